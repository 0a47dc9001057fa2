"""`load_demo` builds the demo group once, covers every role, and is refused in production."""

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from wagtail.models import Site

from home.models import HomePage, NewsIndexPage, NoticeIndexPage
from knowledge.models import KnowledgeIndexPage
from people.models import OrgUnit, Role, RoleAssignment, User

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the demo draws its pictures and a PDF


def snapshot():
    return {
        "units": sorted(OrgUnit.objects.values_list("code", "path", "unit__code")),
        "users": sorted(User.objects.values_list("username", "password", "department__code")),
        "roles": sorted(RoleAssignment.objects.values_list("user__username", "role", "unit__code")),
        "pages": sorted(HomePage.objects.values_list("path"))
        + sorted(
            (page.path, page.title)
            for page in Site.objects.get(is_default_site=True).root_page.get_descendants()
        ),
    }


def test_builds_the_group_and_running_again_changes_nothing(capsys):
    call_command("load_demo")
    first = snapshot()
    call_command("load_demo")
    assert snapshot() == first
    output = capsys.readouterr().out
    assert "Xietong@2026" in output


def test_group_has_headquarters_departments_and_three_units():
    call_command("load_demo")
    hq = OrgUnit.objects.get(kind=OrgUnit.Kind.HEADQUARTERS)
    departments = {node.name for node in hq.get_children() if node.kind == OrgUnit.Kind.DEPARTMENT}
    assert {"办公室", "人力资源部", "信息中心"} <= departments
    units = OrgUnit.objects.filter(kind=OrgUnit.Kind.UNIT)
    assert units.count() == 3
    for unit in units:
        assert unit.doc_prefix
        assert unit.get_children().filter(kind=OrgUnit.Kind.DEPARTMENT).exists()
        assert all(child.unit_id == unit.pk for child in unit.get_children())


def test_every_role_has_accounts_at_headquarters_and_in_units():
    call_command("load_demo")
    assert (
        User.objects.get(username="sysadmin")
        .role_assignments.filter(role=Role.SYSTEM_ADMIN)
        .exists()
    )
    for role in [Role.PROCESS_ADMIN, Role.COLUMN_ADMIN, Role.FILE_CLERK]:
        assert RoleAssignment.objects.filter(
            role=role, unit__kind=OrgUnit.Kind.HEADQUARTERS
        ).exists()
    for role in [Role.UNIT_ADMIN, Role.COLUMN_ADMIN, Role.FILE_CLERK]:
        assert RoleAssignment.objects.filter(role=role, unit__kind=OrgUnit.Kind.UNIT).exists()
    leaders = User.objects.filter(is_leader=True)
    assert leaders.filter(department__unit__kind=OrgUnit.Kind.HEADQUARTERS).exists()
    assert leaders.filter(department__unit__kind=OrgUnit.Kind.UNIT).exists()
    ordinary = User.objects.filter(role_assignments__isnull=True, is_leader=False)
    assert ordinary.filter(department__unit__kind=OrgUnit.Kind.UNIT).exists()
    assert User.objects.get(username="heyan").check_password("Xietong@2026")


def test_page_tree_roots_replace_the_wagtail_welcome_page():
    call_command("load_demo")
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    for page_class in [NewsIndexPage, NoticeIndexPage, KnowledgeIndexPage]:
        page = page_class.objects.get()
        assert page.live and page.get_parent().pk == site.root_page.pk
    assert not site.root_page.get_siblings(inclusive=False).exists()


@override_settings(INTRANET_ALLOW_DEMO_DATA=False)
def test_refused_under_production_settings():
    with pytest.raises(CommandError, match="生产环境配置下不允许加载演示数据"):
        call_command("load_demo")
    assert not User.objects.exists()


def test_production_settings_forbid_demo_data():
    from intranet.settings import production

    assert production.INTRANET_ALLOW_DEMO_DATA is False
