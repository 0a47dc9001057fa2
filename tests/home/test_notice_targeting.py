"""A notice for chosen units and departments: the editor picks them from the tree, and the issuer
and the column's editors always see it, everywhere the rule applies, with a link to 阅读情况."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from home.models import NoticeIndexPage, NoticePage
from home.search import NoticeProvider
from people.models import OrgUnit, Role
from people.services import role_grant
from search.principals import principals_for
from tests.factories import OrgUnitFactory, UserFactory
from tests.home.test_notice_receipts import publish_notice

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit_b(headquarters):
    return OrgUnitFactory(parent=headquarters, code="UB", name="乙单位", kind=OrgUnit.Kind.UNIT)


@pytest.fixture
def unit_b_office(unit_b):
    return OrgUnitFactory(
        parent=unit_b, code="UB-BGS", name="综合办公室", kind=OrgUnit.Kind.DEPARTMENT
    )


@pytest.fixture
def column_editor(notice_index, headquarters):
    editor = UserFactory(username="bianji", name="编辑", department=headquarters)
    role_grant(
        actor=None, user=editor, role=Role.COLUMN_ADMIN, unit=headquarters, column=notice_index
    )
    return editor


def notice_form(department, audience_units=()) -> dict:
    data = nested_form_data(
        {
            "title": "关于乙单位检查的通知",
            "slug": "unit-b-check",
            "issuing_department": str(department.pk),
            "audience": "chosen",
            "priority": "0",
            "body": rich_text("<p>正文</p>"),
            "attachments": inline_formset([]),
            "action-publish": "publish",
        }
    )
    data["audience_units"] = [str(node.pk) for node in audience_units]
    return data


def test_the_editor_sends_a_notice_to_chosen_units_on_add_and_on_edit(
    client, notice_index, column_editor, unit_b, unit_b_office, staff
):
    client.force_login(column_editor)
    add_url = reverse("wagtailadmin_pages:add", args=["home", "noticepage", notice_index.pk])

    added = client.post(add_url, notice_form(column_editor.department, audience_units=[unit_b]))

    assert added.status_code == 302, added.context["form"].errors
    notice = NoticePage.objects.get()
    assert list(notice.audience_units.all()) == [unit_b]
    edited = client.post(
        reverse("wagtailadmin_pages:edit", args=[notice.pk]),
        notice_form(
            column_editor.department,
            audience_units=[unit_b_office, staff.department],
        ),
    )
    assert edited.status_code == 302, edited.context["form"].errors
    notice.refresh_from_db()
    assert set(notice.audience_units.all()) == {unit_b_office, staff.department}


def test_a_chosen_audience_without_units_is_refused_on_edit_too(client, column_editor, issuer):
    notice = publish_notice(NoticeIndexPage.objects.get(), title="全员通知", owner=issuer)
    client.force_login(column_editor)

    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[notice.pk]), notice_form(issuer.department)
    )

    assert response.status_code == 200
    assert "请至少选择一个单位或部门。" in response.context["form"].errors["audience_units"]
    notice.refresh_from_db()
    assert notice.audience == NoticePage.Audience.EVERYONE


def test_the_unit_picker_shows_each_department_under_its_unit(
    client, notice_index, column_editor, unit_b_office, staff
):
    client.force_login(column_editor)
    add_url = reverse("wagtailadmin_pages:add", args=["home", "noticepage", notice_index.pk])

    choices = dict(client.get(add_url).context["form"].fields["audience_units"].choices)

    labels = {str(label) for label in choices.values()}
    assert {"甲单位 › 综合办公室", "乙单位 › 综合办公室", "乙单位"} <= labels


@pytest.fixture
def notice_to_unit_b(notice_index, issuer, unit_b):
    return publish_notice(
        notice_index, title="乙单位检查通知", owner=issuer, audience_units=[unit_b]
    )


@pytest.mark.parametrize("who", ["issuer", "column_editor"])
def test_the_issuer_and_the_column_editors_see_their_notice_everywhere(
    request, client, notice_index, notice_to_unit_b, who
):
    user = request.getfixturevalue(who)
    client.force_login(user)

    page = client.get(notice_to_unit_b.url)

    assert page.status_code == 200
    assert reverse("home:notice_readers", args=[notice_to_unit_b.pk]) in page.content.decode()
    assert notice_to_unit_b.title in client.get(notice_index.url).content.decode()
    assert notice_to_unit_b.title in client.get("/").content.decode()
    api_titles = [item["title"] for item in client.get("/api/notices").json()["items"]]
    assert notice_to_unit_b.title in api_titles
    assert client.get(f"/api/notices/{notice_to_unit_b.pk}").status_code == 200
    entry = NoticeProvider().entry_for(str(notice_to_unit_b.pk))
    assert set(entry.access) & set(principals_for(user))


def test_someone_outside_the_audience_who_neither_issued_nor_edits_it_sees_nothing(
    client, notice_index, notice_to_unit_b, staff
):
    client.force_login(staff)

    assert client.get(notice_to_unit_b.url).status_code == 404
    assert notice_to_unit_b.title not in client.get(notice_index.url).content.decode()
    assert notice_to_unit_b.title not in client.get("/").content.decode()
    assert client.get(f"/api/notices/{notice_to_unit_b.pk}").status_code == 404
    entry = NoticeProvider().entry_for(str(notice_to_unit_b.pk))
    assert not set(entry.access) & set(principals_for(staff))
