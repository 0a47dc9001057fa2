"""The scale-out test's data, made in the shared database by a process of its own:

python -m tests.operations.scale_site setup     users, roles, the portal and a draft notice
python -m tests.operations.scale_site flood N   N index changes waiting in the outbox
"""

import json
import sys

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from wagtail.models import Site  # noqa: E402

from home.models import NoticeIndexPage  # noqa: E402
from home.services import portal_ensure, publishing_roots_ensure  # noqa: E402
from knowledge.services import knowledge_root_ensure  # noqa: E402
from people.models import OrgUnit, Role, User  # noqa: E402
from search import outbox  # noqa: E402
from tests.conftest import restore_wagtail_base_rows  # noqa: E402
from tests.factories import OrgUnitFactory, UserFactory  # noqa: E402
from tests.factories.people import RoleAssignmentFactory  # noqa: E402
from tests.factories.publishing import NoticePageFactory  # noqa: E402

DRAFT_NOTICE = "关于扩容演练的通知"


def setup() -> None:
    call_command("migrate", verbosity=0)
    restore_wagtail_base_rows()
    home = portal_ensure(site_name="东方重工集团")
    publishing_roots_ensure(home)
    knowledge_root_ensure(home)
    Site.objects.update(hostname="127.0.0.1")
    unit = OrgUnitFactory(code="HQ", name="东方重工集团有限公司", kind=OrgUnit.Kind.HEADQUARTERS)
    UserFactory(username="root", name="系统管理员", department=unit, is_superuser=True)
    UserFactory(username="employee", name="普通员工", department=unit)
    admin = UserFactory(username="unitadmin", name="单位管理员", department=unit)
    assignment = RoleAssignmentFactory(user=admin, role=Role.UNIT_ADMIN, unit=unit)
    notice = NoticePageFactory(
        title=DRAFT_NOTICE,
        parent=NoticeIndexPage.objects.get(),
        live=False,
        issuing_department=unit,
    )
    call_command("search_setup", stdout=sys.stderr)
    print(json.dumps({"notice": notice.pk, "unit_admin": admin.pk, "assignment": assignment.pk}))


def flood(count: str) -> None:
    """Many outbox rows at once: every user's directory entry, over and over."""
    keys = [str(pk) for pk in User.objects.values_list("pk", flat=True)]
    with transaction.atomic():
        for _round in range(int(count) // len(keys)):
            outbox.enqueue_many("person", keys)


if __name__ == "__main__":
    {"setup": setup, "flood": flood}[sys.argv[1]](*sys.argv[2:])
