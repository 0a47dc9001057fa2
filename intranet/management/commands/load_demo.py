"""Load the demo group company: organization, accounts for every role, and the page tree roots."""

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from home.demo import demo_content_ensure
from home.editorial import column_permissions_sync_all
from home.services import portal_ensure, publishing_roots_ensure
from knowledge.demo import knowledge_demo_ensure
from knowledge.services import knowledge_root_ensure
from people.models import OrgUnit, Role, User
from people.services import name_initials, org_unit_create, role_grant
from workflow.demo import documents_demo_ensure

DEMO_PASSWORD = "Xietong@2026"

HEADQUARTERS = ("HQ", "东方重工集团有限公司", "集团总部", "东重")
HQ_DEPARTMENTS = [
    ("HQ-BGS", "办公室", "东重办"),
    ("HQ-RLZY", "人力资源部", "东重人"),
    ("HQ-CWB", "财务部", ""),
    ("HQ-XXZX", "信息中心", ""),
]
UNITS = [
    ("TLJ", "东重拖拉机有限公司", "拖拉机公司", "东重拖"),
    ("DLI", "东重动力有限公司", "动力公司", "东重动"),
    ("ZDA", "东重铸锻有限公司", "铸锻公司", "东重铸"),
]
UNIT_DEPARTMENTS = [("BGS", "综合办公室"), ("SCB", "生产部"), ("CWB", "财务部")]

# username, name, department code, position, leader?, roles (role, scope unit code or None)
PEOPLE = [
    ("sysadmin", "李明", "HQ-XXZX", "信息中心主任", False, [(Role.SYSTEM_ADMIN, None)]),
    ("liuyang", "刘洋", "HQ-BGS", "流程管理员", False, [(Role.PROCESS_ADMIN, "HQ")]),
    ("chenjing", "陈静", "HQ-BGS", "宣传主管", False, [(Role.COLUMN_ADMIN, "HQ")]),
    ("zhaolei", "赵磊", "HQ-BGS", "文书", False, [(Role.FILE_CLERK, "HQ")]),
    ("wangjun", "王军", "HQ-BGS", "集团总经理", True, []),
    ("sunhao", "孙浩", "HQ-RLZY", "人力资源部部长", True, []),
    ("zhouli", "周丽", "HQ-RLZY", "薪酬专员", False, []),
    ("hanmei", "韩梅", "TLJ-BGS", "综合办公室主任", False, [(Role.UNIT_ADMIN, "TLJ")]),
    ("sufang", "苏芳", "TLJ-BGS", "宣传干事", False, [(Role.COLUMN_ADMIN, "TLJ")]),
    ("guoqiang", "郭强", "TLJ-BGS", "文书", False, [(Role.FILE_CLERK, "TLJ")]),
    ("maxiaodong", "马晓东", "TLJ-BGS", "总经理", True, []),
    ("heyan", "何燕", "TLJ-SCB", "生产计划员", False, []),
    ("luohua", "罗华", "DLI-BGS", "综合办公室主任", False, [(Role.UNIT_ADMIN, "DLI")]),
    ("tangning", "唐宁", "DLI-BGS", "文书", False, [(Role.FILE_CLERK, "DLI")]),
    ("xuzhiyong", "许志勇", "DLI-BGS", "总经理", True, []),
    ("fengjie", "冯杰", "DLI-SCB", "工艺员", False, []),
    ("caili", "蔡莉", "ZDA-BGS", "综合办公室主任", False, [(Role.UNIT_ADMIN, "ZDA")]),
    ("dengbo", "邓波", "ZDA-BGS", "文书", False, [(Role.FILE_CLERK, "ZDA")]),
    ("jiangtao", "江涛", "ZDA-BGS", "总经理", True, []),
    ("yaoyao", "姚瑶", "ZDA-CWB", "会计", False, []),
]


class Command(BaseCommand):
    help = "Load the demo group company. Safe to run again: it only adds what is missing."

    def handle(self, *args, **options):
        if not settings.INTRANET_ALLOW_DEMO_DATA:
            raise CommandError(_("Demo data is refused under production settings."))
        with transaction.atomic():
            units = self._organization()
            created = self._people(units)
            home = portal_ensure(site_name=settings.INTRANET_GROUP_NAME)
            publishing_roots_ensure(home)
            knowledge_root_ensure(home)
            demo_content_ensure(home)
            column_permissions_sync_all()
            knowledge_demo_ensure(home)
            documents_demo_ensure()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {len(units)} organization units, {len(PEOPLE)} accounts "
                f"({created} new)."
            )
        )
        self.stdout.write(f"Every demo account's password is: {DEMO_PASSWORD}")
        self.stdout.write("Accounts: " + ", ".join(username for username, *_rest in PEOPLE))

    def _organization(self) -> dict[str, OrgUnit]:
        existing = {unit.code: unit for unit in OrgUnit.objects.all()}

        def ensure(parent, code, name, kind, short_name="", doc_prefix="", order=0):
            if code not in existing:
                existing[code] = org_unit_create(
                    parent=parent,
                    code=code,
                    name=name,
                    kind=kind,
                    short_name=short_name,
                    doc_prefix=doc_prefix,
                    sort_order=order,
                )
            return existing[code]

        code, name, short_name, prefix = HEADQUARTERS
        hq = ensure(None, code, name, OrgUnit.Kind.HEADQUARTERS, short_name, prefix)
        for order, (dept_code, dept_name, dept_prefix) in enumerate(HQ_DEPARTMENTS):
            ensure(hq, dept_code, dept_name, OrgUnit.Kind.DEPARTMENT, "", dept_prefix, order)
        for order, (unit_code, unit_name, unit_short, unit_prefix) in enumerate(UNITS, start=10):
            unit = ensure(
                hq, unit_code, unit_name, OrgUnit.Kind.UNIT, unit_short, unit_prefix, order
            )
            for dept_order, (dept_suffix, dept_name) in enumerate(UNIT_DEPARTMENTS):
                dept_code = f"{unit_code}-{dept_suffix}"
                ensure(unit, dept_code, dept_name, OrgUnit.Kind.DEPARTMENT, order=dept_order)
        return existing

    def _people(self, units: dict[str, OrgUnit]) -> int:
        existing = set(User.objects.values_list("username", flat=True))
        password_hash = None
        created = 0
        for index, (username, name, dept_code, position, leader, roles) in enumerate(PEOPLE, 1):
            if username in existing:
                continue
            password_hash = password_hash or make_password(DEMO_PASSWORD)
            is_system_admin = any(role == Role.SYSTEM_ADMIN for role, _scope in roles)
            user = User.objects.create(
                username=username,
                password=password_hash,
                name=name,
                name_initials=name_initials(name),
                employee_no=f"E{index:05d}",
                department=units[dept_code],
                position=position,
                is_leader=leader,
                email=f"{username}@demo.xietong.invalid",
                mobile=f"1390379{index:04d}",
                office_phone=f"0379-6486{index:04d}",
                is_staff=is_system_admin,
                is_superuser=is_system_admin,
            )
            for role, scope in roles:
                role_grant(actor=None, user=user, role=role, unit=units[scope] if scope else None)
            created += 1
        return created
