"""A notice for unit A is invisible to unit B's staff on every path: list, URL, home page and
attachments (feeds and the API are tested with them)."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection, GroupCollectionPermission

from home.models import NoticeAttachment
from people.models import ConcurrentPost, OrgUnit
from tests.factories import OrgUnitFactory, UserFactory
from tests.home.test_notice_receipts import publish_notice

Document = get_document_model()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def unit_b_staff(headquarters):
    unit_b = OrgUnitFactory(parent=headquarters, code="UB", name="乙单位", kind=OrgUnit.Kind.UNIT)
    department = OrgUnitFactory(
        parent=unit_b, code="UB-BGS", name="乙办公室", kind=OrgUnit.Kind.DEPARTMENT
    )
    return UserFactory(username="lisi", name="李四", department=department)


@pytest.fixture
def seconded_to_unit_a(unit_b_staff, staff):
    """Unit B's employee holding a concurrent post in unit A's office."""
    seconded = UserFactory(username="wangwu", name="王五", department=unit_b_staff.department)
    ConcurrentPost.objects.create(user=seconded, department=staff.department, position="兼职")
    return seconded


def new_document(title: str):
    return Document.objects.create(title=title, file=ContentFile(b"plan", name=f"{title}.txt"))


@pytest.fixture
def plan(db):
    return new_document("plan")


@pytest.fixture
def notice(notice_index, issuer, unit_a, plan):
    """A notice to unit A with a file attached."""
    return publish_notice(
        notice_index,
        title="甲单位安全检查通知",
        owner=issuer,
        audience_units=[unit_a],
        attachments=[NoticeAttachment(document=plan)],
    )


def signed_in(client, user):
    client.force_login(user)
    return client


def listed_on_index(client, notice_index, notice) -> bool:
    response = client.get(notice_index.url)
    assert response.status_code == 200
    listed = notice.pk in [item.pk for item in response.context["children"]]
    assert listed == (notice.title in response.content.decode())
    return listed


def listed_on_home(client, notice) -> bool:
    response = client.get("/")
    assert response.status_code == 200
    listed = notice.pk in [item.pk for item in response.context["notices"]]
    assert listed == (notice.title in response.content.decode())
    return listed


@pytest.mark.parametrize("reader", ["staff", "seconded_to_unit_a"])
def test_unit_a_staff_and_those_posted_there_read_it_everywhere(
    request, client, notice_index, notice, plan, reader
):
    client = signed_in(client, request.getfixturevalue(reader))

    assert client.get(notice.url).status_code == 200
    assert listed_on_index(client, notice_index, notice)
    assert listed_on_home(client, notice)
    download = client.get(plan.url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"plan"


def test_unit_b_staff_cannot_reach_it_by_any_path(client, notice_index, notice, plan, unit_b_staff):
    client = signed_in(client, unit_b_staff)

    assert client.get(notice.url).status_code == 404
    assert not listed_on_index(client, notice_index, notice)
    assert not listed_on_home(client, notice)
    assert client.get(plan.url).status_code == 403


def test_files_are_served_through_the_checked_view_not_the_media_url(plan):
    assert plan.url == f"/documents/{plan.pk}/{plan.filename}"


def test_a_file_linked_from_a_notice_body_is_for_its_audience_only(
    client, notice_index, issuer, unit_a, staff, unit_b_staff
):
    linked = new_document("linked")
    publish_notice(
        notice_index,
        title="正文链接附件",
        owner=issuer,
        audience_units=[unit_a],
        body=f'<p><a linktype="document" id="{linked.pk}">附件</a></p>',
    )

    assert signed_in(client, staff).get(linked.url).status_code == 200
    assert signed_in(client, unit_b_staff).get(linked.url).status_code == 403


def test_editors_of_documents_and_of_the_notice_may_still_download(
    client, notice_index, notice, plan, unit_b_staff
):
    document_editors = Group.objects.create(name="文档编辑")
    GroupCollectionPermission.objects.create(
        group=document_editors,
        collection=Collection.get_first_root_node(),
        permission=Permission.objects.get(
            content_type__app_label="wagtaildocs", codename="change_document"
        ),
    )
    unit_b_staff.groups.add(document_editors)
    assert signed_in(client, unit_b_staff).get(plan.url).status_code == 200

    notice_editors = Group.objects.create(name="通知编辑")
    notice_editors.page_permissions.create(
        page=notice_index, permission=Permission.objects.get(codename="change_page")
    )
    notice_editor = UserFactory(name="通知编辑人", department=unit_b_staff.department)
    notice_editor.groups.add(notice_editors)
    assert signed_in(client, notice_editor).get(plan.url).status_code == 200


def test_a_file_of_an_unpublished_notice_is_refused_to_its_audience(client, notice, plan, staff):
    notice.unpublish()

    assert signed_in(client, staff).get(plan.url).status_code == 403


def test_files_outside_notices_are_for_every_signed_in_user(client, plan, unit_b_staff):
    assert signed_in(client, unit_b_staff).get(plan.url).status_code == 200


def test_a_notice_to_a_department_reaches_its_sub_departments_not_its_siblings(
    client, notice_index, issuer, unit_a, staff
):
    workshop = OrgUnitFactory(
        parent=staff.department, code="UA-BGS-1", name="文印室", kind=OrgUnit.Kind.DEPARTMENT
    )
    sibling = OrgUnitFactory(
        parent=unit_a, code="UA-SCB", name="生产部", kind=OrgUnit.Kind.DEPARTMENT
    )
    notice = publish_notice(
        notice_index, title="办公室通知", owner=issuer, audience_units=[staff.department]
    )

    for reader in (staff, UserFactory(name="文印员", department=workshop)):
        assert signed_in(client, reader).get(notice.url).status_code == 200
    sibling_staff = signed_in(client, UserFactory(name="生产员", department=sibling))
    assert sibling_staff.get(notice.url).status_code == 404
    assert not listed_on_index(sibling_staff, notice_index, notice)


def test_an_expired_notice_leaves_the_lists_but_its_link_still_works_for_the_audience(
    client, notice_index, issuer, unit_a, staff, unit_b_staff
):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    notice = publish_notice(
        notice_index,
        title="已过期通知",
        owner=issuer,
        audience_units=[unit_a],
        expires_on=yesterday,
    )
    client = signed_in(client, staff)

    assert not listed_on_index(client, notice_index, notice)
    assert not listed_on_home(client, notice)
    response = client.get(notice.url)
    assert response.status_code == 200
    assert response.context["page"].is_expired
    assert signed_in(client, unit_b_staff).get(notice.url).status_code == 404
