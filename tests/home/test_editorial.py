"""Column editors and moderators: roles mapped onto Wagtail page permissions and workflows, proven
through the Wagtail admin's own URLs."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import constants, get_messages
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Page, WorkflowPage, WorkflowState

from home.editorial import (
    column_permissions_sync,
    editors_group_name,
    moderators_group_name,
)
from home.models import NewsPage, NoticeIndexPage
from people.models import OrgUnit, Role, RoleAssignment
from people.services import role_grant, role_revoke
from tests.factories import OrgUnitFactory, UserFactory
from tests.factories.publishing import NewsColumnPageFactory, NewsPageFactory
from tests.home.news_editing import add_url, edit_url, news_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit_b(headquarters):
    return OrgUnitFactory(parent=headquarters, code="UB", name="乙单位", kind=OrgUnit.Kind.UNIT)


@pytest.fixture
def column_x(portal, unit_a):
    return NewsColumnPageFactory(title="甲单位动态", slug="unit-a-news", owner_unit=unit_a)


@pytest.fixture
def column_y(portal, unit_b):
    return NewsColumnPageFactory(title="乙单位动态", slug="unit-b-news", owner_unit=unit_b)


@pytest.fixture
def direct_column(portal, unit_a):
    return NewsColumnPageFactory(
        title="甲单位快讯", slug="unit-a-flash", owner_unit=unit_a, direct_publish=True
    )


@pytest.fixture
def system_admin(headquarters):
    return UserFactory(username="admin", is_superuser=True, is_staff=True)


def column_editor(unit, column, username="editor"):
    user = UserFactory(username=username, department=unit)
    role_grant(actor=None, user=user, role=Role.COLUMN_ADMIN, unit=unit, column=column)
    return user


def unit_column_admin(unit, username="moderator"):
    user = UserFactory(username=username)
    role_grant(actor=None, user=user, role=Role.COLUMN_ADMIN, unit=unit)
    return user


@pytest.fixture
def editor(column_x, unit_a):
    return column_editor(unit_a, column_x)


@pytest.fixture
def moderator(column_x, column_y, unit_a):
    return unit_column_admin(unit_a)


def assert_refused(response):
    """Wagtail 8 refuses in three observable ways: 403 (adding below a page the user may not add
    to), a redirect to the dashboard with an error message (editing, or acting on a task the user
    may not), and a redirect to the admin login for someone with no admin access at all."""
    if response.status_code == 403:
        return
    assert response.status_code == 302
    if response.url.startswith(reverse("wagtailadmin_login")):
        return
    assert response.url == reverse("wagtailadmin_home")
    levels = [message.level for message in get_messages(response.wsgi_request)]
    assert constants.ERROR in levels


def approve(client, page):
    task_state = page.current_workflow_task_state
    return client.post(
        reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk)),
        {"comment": ""},
    )


# The mapping of roles onto groups


def test_column_editor_is_in_the_editors_group_of_that_column_only(editor, column_x, column_y):
    assert set(editor.groups.values_list("name", flat=True)) == {editors_group_name(column_x.pk)}


def test_unit_column_admin_edits_and_moderates_only_their_units_columns(
    moderator, column_x, column_y, direct_column
):
    assert set(moderator.groups.values_list("name", flat=True)) == {
        editors_group_name(column_x.pk),
        moderators_group_name(column_x.pk),
        editors_group_name(direct_column.pk),
        moderators_group_name(direct_column.pk),
    }


def test_column_without_owner_is_moderated_by_headquarters_column_admins(
    portal, headquarters, unit_a
):
    hq_admin = unit_column_admin(headquarters, "hq")
    unit_admin = unit_column_admin(unit_a, "ua")
    column = NewsColumnPageFactory(owner_unit=None)

    moderators = Group.objects.get(name=moderators_group_name(column.pk))
    assert set(moderators.user_set.all()) == {hq_admin}
    assert not unit_admin.groups.filter(name=editors_group_name(column.pk)).exists()


def test_system_admins_moderate_every_column(column_x, column_y, headquarters):
    admin = UserFactory(username="sys")
    role_grant(actor=None, user=admin, role=Role.SYSTEM_ADMIN)

    names = set(admin.groups.values_list("name", flat=True))
    assert moderators_group_name(column_x.pk) in names
    assert moderators_group_name(column_y.pk) in names
    assert editors_group_name(column_x.pk) not in names


def test_notices_page_is_a_column_owned_by_its_unit(portal, unit_a):
    notices = NoticeIndexPage.objects.get()
    notices.owner_unit = unit_a
    notices.save()
    admin = unit_column_admin(unit_a)

    assert admin.groups.filter(name=moderators_group_name(notices.pk)).exists()
    assert WorkflowPage.objects.get(page=notices).workflow.active


def test_changing_the_owning_unit_moves_the_column_to_that_units_admins(
    column_x, moderator, unit_b
):
    other = unit_column_admin(unit_b, "ub")
    column_x.owner_unit = unit_b
    column_x.save_revision().publish()

    moderators = Group.objects.get(name=moderators_group_name(column_x.pk))
    assert set(moderators.user_set.all()) == {other}


def test_sync_is_idempotent_and_resyncs_from_roles(editor, moderator, column_x):
    group = Group.objects.get(name=editors_group_name(column_x.pk))
    group.user_set.clear()
    column_permissions_sync(column_x)
    column_permissions_sync(column_x)

    assert set(group.user_set.all()) == {editor, moderator}
    assert group.page_permissions.filter(page=column_x).count() == 2


def test_command_resyncs_everything_and_drops_groups_of_former_columns(editor, column_x, portal):
    stale = Group.objects.create(name="column-999999-editors")
    Group.objects.get(name=editors_group_name(column_x.pk)).user_set.clear()

    call_command("sync_column_permissions", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert editor.groups.filter(name=editors_group_name(column_x.pk)).exists()
    assert not Group.objects.filter(pk=stale.pk).exists()


def test_unpublishing_a_column_removes_its_groups_and_workflow(editor, column_x):
    workflow = WorkflowPage.objects.get(page=column_x).workflow
    column_x.unpublish()

    assert not Group.objects.filter(name__in=[editors_group_name(column_x.pk)]).exists()
    workflow.refresh_from_db()
    assert not workflow.active
    assert not editor.groups.exists()


# Workflows


def test_moderated_column_has_its_own_workflow_and_no_inherited_one(column_x, direct_column):
    assert WorkflowPage.objects.get(page=column_x).workflow.name.endswith("甲单位动态")
    assert not WorkflowPage.objects.filter(page=Page.get_first_root_node()).exists()
    assert column_x.get_workflow().tasks.get().specific.groups.get().name == (
        moderators_group_name(column_x.pk)
    )
    assert direct_column.get_workflow() is None


def test_switching_to_direct_publish_and_back(column_x):
    workflow = column_x.get_workflow()
    column_x.direct_publish = True
    column_x.save_revision().publish()
    assert Page.objects.get(pk=column_x.pk).get_workflow() is None

    column_x.direct_publish = False
    column_x.save_revision().publish()
    assert Page.objects.get(pk=column_x.pk).get_workflow() == workflow


# Through the Wagtail admin


def test_editor_adds_news_in_own_column_and_submits_it(client, editor, column_x):
    client.force_login(editor)
    assert client.get(add_url(column_x)).status_code == 200

    response = client.post(
        add_url(column_x), news_form("新车下线", "new-tractor", action="action-submit")
    )

    page = NewsPage.objects.get(slug="new-tractor")
    assert response.status_code == 302
    assert page.get_parent().pk == column_x.pk
    assert not page.live
    assert page.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS


def test_editor_cannot_add_news_in_another_column(client, editor, column_y):
    client.force_login(editor)

    assert_refused(client.get(add_url(column_y)))
    assert_refused(
        client.post(add_url(column_y), news_form("越权", "intrusion", action="action-submit"))
    )
    assert not NewsPage.objects.filter(slug="intrusion").exists()


def test_editor_cannot_edit_or_browse_news_of_another_column(client, editor, column_y):
    news = NewsPageFactory(parent=column_y, title="乙单位新闻", slug="b-news")
    client.force_login(editor)

    assert_refused(client.get(edit_url(news)))
    assert_refused(client.post(edit_url(news), news_form("被改了", "b-news", "action-publish")))
    news.refresh_from_db()
    assert news.title == "乙单位新闻"
    assert news.latest_revision.as_object().title == "乙单位新闻"

    explorer = client.get(reverse("wagtailadmin_explore", args=(column_y.pk,)), follow=True)
    assert explorer.redirect_chain  # sent to the part of the tree they may explore
    assert "乙单位新闻" not in explorer.content.decode()


def test_editor_edits_news_of_own_column(client, editor, column_x):
    news = NewsPageFactory(parent=column_x, title="甲单位新闻", slug="a-news")
    client.force_login(editor)

    response = client.post(edit_url(news), news_form("甲单位新闻（修订）", "a-news"))

    assert response.status_code == 302
    news.refresh_from_db()
    assert news.get_latest_revision_as_object().title == "甲单位新闻（修订）"
    assert news.title == "甲单位新闻"  # a draft until it is approved


def test_editor_of_moderated_column_can_only_submit(client, editor, column_x):
    news = NewsPageFactory(parent=column_x, slug="a-draft", live=False)
    client.force_login(editor)

    form = client.get(edit_url(news)).content.decode()
    assert 'name="action-submit"' in form
    assert 'name="action-publish"' not in form

    client.post(edit_url(news), news_form("想直接发布", "a-draft", action="action-publish"))
    news.refresh_from_db()
    assert not news.live


def test_moderator_approves_and_the_news_goes_live(client, editor, moderator, column_x):
    client.force_login(editor)
    client.post(add_url(column_x), news_form("待审新闻", "pending", action="action-submit"))
    page = NewsPage.objects.get(slug="pending")

    client.force_login(moderator)
    response = approve(client, page)

    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live
    assert page.current_workflow_state is None


def test_editor_cannot_approve_own_submission(client, editor, column_x):
    client.force_login(editor)
    client.post(add_url(column_x), news_form("自己批", "self", action="action-submit"))
    page = NewsPage.objects.get(slug="self")

    assert_refused(approve(client, page))
    page.refresh_from_db()
    assert not page.live


def test_moderator_of_another_unit_cannot_approve(client, editor, column_x, unit_b, column_y):
    client.force_login(editor)
    client.post(add_url(column_x), news_form("跨单位", "cross", action="action-submit"))
    page = NewsPage.objects.get(slug="cross")

    client.force_login(unit_column_admin(unit_b, "ub"))
    assert_refused(approve(client, page))
    page.refresh_from_db()
    assert not page.live


def test_editor_of_direct_publish_column_publishes_directly(client, unit_a, direct_column):
    editor = column_editor(unit_a, direct_column)
    client.force_login(editor)

    form = client.get(add_url(direct_column)).content.decode()
    assert 'name="action-publish"' in form
    assert 'name="action-submit"' not in form
    client.post(add_url(direct_column), news_form("快讯", "flash", action="action-publish"))

    assert NewsPage.objects.get(slug="flash").live


def test_revoking_the_role_removes_access_at_once(client, editor, column_x, system_admin):
    client.force_login(editor)
    assert client.get(add_url(column_x)).status_code == 200

    assignment = RoleAssignment.objects.get(user=editor, column=column_x)
    role_revoke(actor=system_admin, assignment=assignment)

    assert_refused(client.get(add_url(column_x)))
    assert not editor.groups.exists()


def test_granting_unit_column_admin_makes_a_moderator_of_that_units_columns_only(
    client, editor, column_x, column_y, unit_a, system_admin
):
    client.force_login(editor)
    client.post(add_url(column_x), news_form("甲稿", "a-item", action="action-submit"))
    a_item = NewsPage.objects.get(slug="a-item")
    b_item = NewsPageFactory(parent=column_y, slug="b-item", live=False)
    newcomer = UserFactory(username="newcomer")

    role_grant(actor=system_admin, user=newcomer, role=Role.COLUMN_ADMIN, unit=unit_a)

    client.force_login(newcomer)
    assert_refused(client.get(edit_url(b_item)))
    approve(client, a_item)
    a_item.refresh_from_db()
    assert a_item.live


def test_column_editor_cannot_change_the_column_page_itself(client, editor, column_x):
    client.force_login(editor)
    assert client.get(add_url(column_x)).status_code == 200

    assert_refused(client.get(edit_url(column_x)))
    assert_refused(client.post(reverse("wagtailadmin_pages:delete", args=(column_x.pk,))))
    assert Page.objects.filter(pk=column_x.pk).exists()


def test_moderator_edits_the_column_page(client, moderator, column_x):
    client.force_login(moderator)

    assert client.get(edit_url(column_x)).status_code == 200
