"""In a column shared by several units, rights follow the news item's owning unit; and nobody
moderates their own submission. Proven through the Wagtail admin's own URLs."""

import re

import pytest
from django.contrib.messages import constants, get_messages
from django.urls import reverse
from wagtail.models import TaskState

from home.models import ColumnApprovalTask, NewsPage
from people.models import OrgUnit, Role
from people.services import role_grant
from tests.factories import OrgUnitFactory, UserFactory
from tests.factories.publishing import NewsColumnPageFactory, NewsPageFactory
from tests.home.news_editing import add_url, edit_url, news_form

pytestmark = pytest.mark.django_db

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def unit_b(headquarters):
    return OrgUnitFactory(parent=headquarters, code="UB", name="乙单位", kind=OrgUnit.Kind.UNIT)


@pytest.fixture
def shared_column(portal, headquarters):
    return NewsColumnPageFactory(title="基层动态", slug="unit-news", owner_unit=headquarters)


def column_editor(unit, column, username):
    user = UserFactory(username=username, department=unit)
    role_grant(actor=None, user=user, role=Role.COLUMN_ADMIN, unit=unit, column=column)
    return user


def column_moderator(unit, username):
    user = UserFactory(username=username, department=unit)
    role_grant(actor=None, user=user, role=Role.COLUMN_ADMIN, unit=unit)
    return user


@pytest.fixture
def editor_a(unit_a, shared_column):
    return column_editor(unit_a, shared_column, "editor-a")


@pytest.fixture
def editor_b(unit_b, shared_column):
    return column_editor(unit_b, shared_column, "editor-b")


@pytest.fixture
def news_a(shared_column, unit_a):
    return NewsPageFactory(
        parent=shared_column, title="甲单位新闻", slug="a-news", owner_unit=unit_a
    )


def assert_refused_in_chinese(response):
    if response.status_code == 403:
        return
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")
    errors = [m.message for m in get_messages(response.wsgi_request) if m.level == constants.ERROR]
    assert errors
    assert all(CHINESE.search(message) for message in errors)


def workflow_action(client, page, action):
    task_state = page.current_workflow_task_state
    return client.post(
        reverse("wagtailadmin_pages:workflow_action", args=(page.pk, action, task_state.pk)),
        {"comment": ""},
    )


# Rights follow the owning unit


def test_other_units_editor_cannot_open_publish_unpublish_or_delete(client, editor_b, news_a):
    client.force_login(editor_b)

    assert_refused_in_chinese(client.get(edit_url(news_a)))
    for action in ("action-publish", "action-submit"):
        assert_refused_in_chinese(
            client.post(edit_url(news_a), news_form("被改了", "a-news", action))
        )
    assert_refused_in_chinese(
        client.post(reverse("wagtailadmin_pages:unpublish", args=(news_a.pk,)))
    )
    assert_refused_in_chinese(client.post(reverse("wagtailadmin_pages:delete", args=(news_a.pk,))))

    news_a.refresh_from_db()
    assert news_a.live
    assert news_a.title == "甲单位新闻"
    assert news_a.get_latest_revision_as_object().title == "甲单位新闻"
    assert news_a.workflow_states.count() == 0


def test_other_units_editor_finds_no_action_on_it_in_the_explorer(
    client, editor_b, news_a, shared_column
):
    client.force_login(editor_b)

    explorer = client.get(reverse("wagtailadmin_explore", args=(shared_column.pk,))).content
    assert edit_url(news_a) not in explorer.decode()
    assert reverse("wagtailadmin_pages:delete", args=(news_a.pk,)) not in explorer.decode()


def test_owning_units_editor_edits_and_submits_it(client, editor_a, news_a):
    client.force_login(editor_a)

    assert client.get(edit_url(news_a)).status_code == 200
    client.post(edit_url(news_a), news_form("甲单位新闻（修订）", "a-news", "action-submit"))

    news_a.refresh_from_db()
    assert news_a.get_latest_revision_as_object().title == "甲单位新闻（修订）"
    assert news_a.current_workflow_state is not None


def test_items_of_a_department_below_the_unit_are_the_units(
    client, editor_a, shared_column, unit_a
):
    department = OrgUnitFactory(
        parent=unit_a, code="UA-XCB", name="宣传部", kind=OrgUnit.Kind.DEPARTMENT
    )
    news = NewsPageFactory(parent=shared_column, slug="dept-news", owner_unit=department)
    client.force_login(editor_a)

    assert client.get(edit_url(news)).status_code == 200


def test_column_moderator_keeps_rights_over_every_units_items(
    client, editor_b, news_a, headquarters
):
    moderator = column_moderator(headquarters, "hq-moderator")
    client.force_login(moderator)

    assert client.get(edit_url(news_a)).status_code == 200
    client.post(edit_url(news_a), news_form("总部改过", "a-news", "action-publish"))

    news_a.refresh_from_db()
    assert news_a.title == "总部改过"


def test_added_news_belongs_to_the_creators_unit(client, editor_a, editor_b, shared_column, unit_b):
    client.force_login(editor_b)
    client.post(add_url(shared_column), news_form("乙单位新闻", "b-news"))
    news = NewsPage.objects.get(slug="b-news")

    assert news.owner_unit == unit_b
    news.save_revision().publish()  # a later revision keeps the owner
    news.refresh_from_db()
    assert news.owner_unit == unit_b
    client.force_login(editor_a)
    assert_refused_in_chinese(client.get(edit_url(news)))


# Nobody moderates their own submission


@pytest.fixture
def moderators(headquarters, shared_column):
    return column_moderator(headquarters, "mod-1"), column_moderator(headquarters, "mod-2")


@pytest.fixture
def own_submission(client, moderators, shared_column):
    client.force_login(moderators[0])
    client.post(add_url(shared_column), news_form("自己审", "own", "action-submit"))
    return NewsPage.objects.get(slug="own")


def test_column_workflows_use_the_column_approval_task(own_submission):
    assert isinstance(own_submission.current_workflow_task, ColumnApprovalTask)


def test_submitter_who_moderates_is_offered_no_decision(client, moderators, own_submission):
    form = client.get(edit_url(own_submission)).content.decode()

    assert 'data-workflow-action-name="approve"' not in form
    assert 'data-workflow-action-name="reject"' not in form
    assert not TaskState.objects.reviewable_by(moderators[0]).exists()
    assert TaskState.objects.reviewable_by(moderators[1]).exists()


def test_submitter_who_moderates_cannot_approve_or_reject_by_post(client, own_submission):
    for action in ("approve", "reject"):
        response = workflow_action(client, own_submission, action)
        assert response.status_code in (302, 403)
    client.post(
        edit_url(own_submission),
        news_form("自己审", "own", "action-workflow-action", **{"workflow-action-name": "approve"}),
    )
    client.post(edit_url(own_submission), news_form("自己审", "own", "action-publish"))

    own_submission.refresh_from_db()
    assert not own_submission.live
    assert own_submission.current_workflow_task_state.status == TaskState.STATUS_IN_PROGRESS


def test_another_moderator_approves_and_it_goes_live(client, moderators, own_submission):
    client.force_login(moderators[1])
    form = client.get(edit_url(own_submission)).content.decode()
    assert 'data-workflow-action-name="approve"' in form

    workflow_action(client, own_submission, "approve")

    own_submission.refresh_from_db()
    assert own_submission.live
    assert own_submission.current_workflow_state is None
