"""What the intranet caches per request path or per user is never stale after a change."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Site

from home.editorial import editors_group_name
from home.models import NewsIndexPage, NoticeIndexPage
from people.models import ConcurrentPost, OrgUnit, Role
from people.services import role_grant
from tests.factories import OrgUnitFactory
from tests.factories.publishing import NoticePageFactory

pytestmark = pytest.mark.django_db


def test_moving_the_site_root_routes_the_next_request_there(staff_client, portal):
    assert "通知公告" in staff_client.get("/").content.decode()
    site = Site.objects.get(is_default_site=True)
    site.root_page = NewsIndexPage.objects.get()
    site.save()

    assert staff_client.get("/").context["page"].specific_class is NewsIndexPage


def test_a_granted_role_shows_on_the_next_page(staff_client, staff, portal):
    assert "/people/admin/users/" not in staff_client.get("/").content.decode()

    role_grant(actor=None, user=staff, role=Role.UNIT_ADMIN, unit=staff.department.unit)

    assert "/people/admin/users/" in staff_client.get("/").content.decode()


def test_a_new_concurrent_post_shows_that_units_notices_at_once(
    staff_client, staff, headquarters, portal
):
    other_unit = OrgUnitFactory(
        parent=headquarters, code="UB", name="乙公司", kind=OrgUnit.Kind.UNIT
    )
    NoticePageFactory(
        title="乙公司内部通知",
        audience="chosen",
        audience_units=[other_unit],
        issuing_department=headquarters,
    )
    assert "乙公司内部通知" not in staff_client.get("/").content.decode()

    ConcurrentPost.objects.create(user=staff, department=other_unit, position="兼职")

    assert "乙公司内部通知" in staff_client.get("/").content.decode()


def test_opening_a_notice_clears_its_unread_mark_on_the_home_page(
    staff_client, headquarters, portal
):
    notice = NoticePageFactory(title="全员通知", issuing_department=headquarters)
    assert "is-unread" in staff_client.get("/").content.decode()

    staff_client.get(notice.url)

    assert "is-unread" not in staff_client.get("/").content.decode()


def test_joining_and_leaving_a_columns_group_shows_and_hides_its_notices_at_once(
    staff_client, staff, headquarters, portal
):
    other_unit = OrgUnitFactory(
        parent=headquarters, code="UB", name="乙公司", kind=OrgUnit.Kind.UNIT
    )
    NoticePageFactory(
        title="乙公司内部通知",
        audience="chosen",
        audience_units=[other_unit],
        issuing_department=headquarters,
    )
    assert "乙公司内部通知" not in staff_client.get("/notices/").content.decode()
    editors, _ = Group.objects.get_or_create(
        name=editors_group_name(NoticeIndexPage.objects.get().pk)
    )

    staff.groups.add(editors)
    assert "乙公司内部通知" in staff_client.get("/notices/").content.decode()

    editors.user_set.remove(staff)
    assert "乙公司内部通知" not in staff_client.get("/notices/").content.decode()
