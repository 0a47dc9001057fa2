"""Pages are saved only by the editor's own submit. Wagtail's autosave posted the whole edit form
in the background, with whatever action a click had just added: an approval ran beside the real
submit, which then saved the page back as not live and answered 500 ('NoneType' object has no
attribute 'on_action'); on the add form it created drafts (with their attachments) the editor had
abandoned, so the next try met a slug already in use."""

import pytest

from home.models import NewsPage
from tests.factories.publishing import NewsColumnPageFactory
from tests.home.news_editing import add_url, edit_url, news_form
from tests.home.test_editorial import column_editor, unit_column_admin

pytestmark = pytest.mark.django_db

BACKGROUND = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def column(portal, unit_a):
    return NewsColumnPageFactory(title="甲单位动态", slug="unit-a-news", owner_unit=unit_a)


@pytest.fixture
def submitted(client, column, unit_a):
    client.force_login(column_editor(unit_a, column))
    client.post(add_url(column), news_form("待审新闻", "pending", action="action-submit"))
    return NewsPage.objects.get(slug="pending")


def test_the_editor_screens_do_not_autosave(client, column, unit_a, submitted):
    client.force_login(unit_column_admin(unit_a))

    for url in (add_url(column), edit_url(submitted)):
        assert "data-w-autosave-interval-value" not in client.get(url).content.decode()


def test_a_background_save_carrying_an_approval_changes_nothing(client, unit_a, submitted):
    client.force_login(unit_column_admin(unit_a))
    data = news_form("待审新闻", "pending", action="action-workflow-action")
    data["workflow-action-name"] = "approve"

    response = client.post(edit_url(submitted), data, **BACKGROUND)

    assert response.status_code in (400, 403)
    assert response.json()["success"] is False
    submitted.refresh_from_db()
    assert not submitted.live
    assert submitted.current_workflow_task is not None


def test_approving_with_the_real_submit_publishes(client, unit_a, submitted):
    client.force_login(unit_column_admin(unit_a))
    data = news_form("待审新闻", "pending", action="action-workflow-action")
    data["workflow-action-name"] = "approve"

    response = client.post(edit_url(submitted), data)

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.live
    assert submitted.current_workflow_state is None


def test_an_abandoned_add_form_leaves_no_draft_and_the_next_try_saves(client, column, unit_a):
    client.force_login(column_editor(unit_a, column))

    background = client.post(add_url(column), news_form("草稿", "draft"), **BACKGROUND)
    assert background.json()["success"] is False
    assert not NewsPage.objects.exists()

    client.post(add_url(column), news_form("草稿", "draft", action="action-submit"))
    assert NewsPage.objects.get().slug == "draft"
