"""The review lifecycle: a year by default, owners see what is due and are reminded, readers are
warned about overdue content, reviewing or superseding clears it."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone
from wagtail.models import Site

from intranet import portal
from intranet.portal import rendered_panels
from knowledge.models import KnowledgeItemPage, KnowledgeReview
from knowledge.selectors import items_due_for_review
from knowledge.services import item_mark_reviewed, item_supersede, review_reminders_send
from knowledge.tasks import send_review_reminders
from notifications.models import Notification
from tests.factories import UserFactory
from tests.factories.knowledge import KnowledgeArticlePageFactory

pytestmark = pytest.mark.django_db


def days(n: int):
    return timezone.localdate() + timedelta(days=n)


@pytest.fixture
def owner(unit_a):
    return UserFactory(username="owner", name="责任人", email="owner@example.invalid")


def article(parent, owner, review_in_days: int, **kwargs):
    page = KnowledgeArticlePageFactory(parent=parent, responsible=owner, **kwargs)
    KnowledgeItemPage.objects.filter(pk=page.pk).update(review_date=days(review_in_days))
    page.refresh_from_db()
    return page


def test_a_new_item_is_reviewed_in_a_year_and_its_creator_owns_it(rules, editor):
    page = rules.add_child(
        instance=KnowledgeArticlePageFactory._meta.model(
            title="新制度", slug="new-rule", owner_unit=editor.department, owner=editor
        )
    )
    assert page.review_date == days(365)
    assert page.responsible == editor


def test_owners_see_items_due_within_thirty_days_or_overdue(rules, owner, editor):
    overdue = article(rules, owner, -3)
    soon = article(rules, owner, 20)
    article(rules, owner, 45)  # not yet
    article(rules, editor, -10)  # someone else's
    superseded = article(rules, owner, -30)
    KnowledgeItemPage.objects.filter(pk=superseded.pk).update(
        validity="superseded", superseded_by=soon
    )
    due = items_due_for_review(owner, limit=5)
    assert [item.pk for item in due] == [overdue.pk, soon.pk]


def test_the_home_page_panel_lists_them_in_one_query(
    rules, owner, django_assert_max_num_queries, monkeypatch
):
    overdue = article(rules, owner, -3, title="过期制度")
    kept = {"pending-tasks", "knowledge-review-due"}
    monkeypatch.setattr(
        portal, "_panels", {key: panel for key, panel in portal._panels.items() if key in kept}
    )
    request = RequestFactory().get("/")
    request.user = owner
    Site.find_for_request(request)  # as Wagtail did when it served the home page
    # The to-do panel, also registered, lists the user's tasks and documents to read and counts
    # the tasks (three queries); the review panel lists its items in one.
    with django_assert_max_num_queries(5):
        html = "".join(rendered_panels(request))
    assert overdue.title in html and 'data-testid="knowledge-review-due"' in html


def test_marking_reviewed_clears_the_cached_home_page_panel(rules, owner, client, portal):
    page = article(rules, owner, -1, title="过期制度")
    client.force_login(owner)
    assert 'data-testid="knowledge-review-due"' in client.get("/").content.decode()

    client.post(f"/knowledge-center/items/{page.pk}/reviewed/")

    assert 'data-testid="knowledge-review-due"' not in client.get("/").content.decode()


def test_readers_are_warned_about_overdue_items_until_reviewed(
    rules, owner, staff_client, client, editor
):
    page = article(rules, owner, -1)
    assert 'data-testid="knowledge-overdue"' in staff_client.get(page.url).content.decode()
    listing = staff_client.get(rules.url).content.decode()
    assert "xt-kc-flag--overdue" in listing

    assert staff_client.post(f"/knowledge-center/items/{page.pk}/reviewed/").status_code == 403
    client.force_login(owner)
    assert client.post(f"/knowledge-center/items/{page.pk}/reviewed/").status_code == 302
    page.refresh_from_db()
    assert page.review_date == days(365) and page.reviewed_by == owner
    client.force_login(editor)
    assert 'data-testid="knowledge-overdue"' not in client.get(page.url).content.decode()


def test_an_editor_may_mark_reviewed_too(rules, owner, editor, client):
    page = article(rules, owner, -1)
    client.force_login(editor)
    assert client.post(f"/knowledge-center/items/{page.pk}/reviewed/").status_code == 302


def test_superseding_clears_the_warning_and_links_the_successor(rules, owner, editor, staff_client):
    old = article(rules, owner, -1, title="旧版制度")
    new = article(rules, owner, 300, title="新版制度")
    item_supersede(item=old, successor=new, user=editor)
    page = staff_client.get(old.url).content.decode()
    assert 'data-testid="knowledge-overdue"' not in page
    assert 'data-testid="knowledge-superseded"' in page and new.url in page
    assert old.pk not in [item.pk for item in items_due_for_review(owner, limit=5)]
    # The history records it as a revision.
    assert old.revisions.count() == 2


def test_reminders_go_once_a_day_to_owners_with_due_items(
    rules, owner, editor, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_HOST = "smtp.example.invalid"
    article(rules, owner, -2, title="到期制度甲")
    article(rules, owner, 10, title="到期制度乙")
    article(rules, editor, 200)
    with django_capture_on_commit_callbacks(execute=True):
        assert review_reminders_send() == 1
    (reminder,) = Notification.objects.all()
    assert reminder.recipient == owner and reminder.kind == "knowledge.review_due"
    assert "到期制度甲" in reminder.body and "到期制度乙" in reminder.body
    # Owners get these by e-mail unless they turn it off.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["owner@example.invalid"]

    assert review_reminders_send() == 0
    call_command("knowledge_review_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    send_review_reminders.enqueue()
    assert Notification.objects.count() == 1

    assert review_reminders_send(today=days(1)) == 1
    assert Notification.objects.filter(recipient=owner).count() == 2


@pytest.mark.parametrize("debug", [True, False])
def test_the_api_refuses_marking_reviewed_without_rights_in_json(
    rules, owner, staff_client, settings, debug
):
    settings.DEBUG = debug
    page = article(rules, owner, -1)
    response = staff_client.post(f"/api/knowledge/items/{page.pk}/reviewed")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {"detail": "您无权执行此操作。"}
    page.refresh_from_db()
    assert page.review_date == days(-1)


def test_a_review_is_recorded_with_the_date_it_was_due(rules, owner, editor):
    page = article(rules, owner, -3)
    item_mark_reviewed(item=page, user=owner)
    item_mark_reviewed(item=page, user=editor)
    reviews = list(page.reviews.order_by("pk").values_list("due_date", "reviewed_by"))
    assert reviews == [(days(-3), owner.pk), (days(365), editor.pk)]
    page.refresh_from_db()
    assert page.review_date == days(365)


def test_a_refused_review_records_nothing(rules, owner, staff):
    page = article(rules, owner, -3)
    with pytest.raises(PermissionDenied):
        item_mark_reviewed(item=page, user=staff)
    assert not KnowledgeReview.objects.exists()
