"""The permission crawler: the demo, seen by each kind of user of two units.

Each role signs in, follows every same-origin link reachable from the home page (GET only, no
sign-out, bounded), then asks for every object of the demo by id on every screen and API that
names one. A 200 for an object is only allowed where the app's own rule lets this user see it
(`visible_notices`, knowledge `can_view`, `can_view_document`, the notice attachments' rule), and
no request answers a server error.
"""

import os
import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import Resolver404, resolve
from wagtail.documents import get_document_model
from wagtail.models import Page

from agenda import permissions as agenda_permissions
from agenda.models import Calendar, Event, Meeting, Room
from home.models import NoticePage
from home.permissions import can_download_document, notice_visible_to
from knowledge import permissions as knowledge_permissions
from knowledge.models import KnowledgeCategoryPage, KnowledgeFileVersion, KnowledgeItemPage
from notifications.models import Notification
from people.models import OrgUnit, User
from stats import permissions as stats_permissions
from tests.conftest import restore_wagtail_base_rows
from workflow import permissions as document_permissions
from workflow.models import (
    Circulation,
    Delivery,
    Document,
    IncomingDocument,
    IncomingProcess,
    OutgoingDocument,
    OutgoingProcess,
)

pytestmark = pytest.mark.django_db

# Ordinary employee, file clerk, unit administrator, column administrator, leader; of 东重拖拉机
# and of 东重动力 (which has no column administrator of its own in the demo).
ROLES = [
    "heyan",
    "guoqiang",
    "hanmei",
    "sufang",
    "maxiaodong",
    "fengjie",
    "tangning",
    "luohua",
    "xuzhiyong",
]
MAX_CRAWLED_PAGES = 80
NOT_FOLLOWED = re.compile(
    r"^/(accounts/logout|admin/|django-admin/|static/|media/|i18n/|api/docs)"
    r"|/(delete|discard|revoke|void|remove|active|password|cancel|withdraw)/"
)
SAME_ORIGIN = {"testserver", "localhost", "127.0.0.1"}  # the demo site's and the test client's
HREF = re.compile(r'href="([^"#][^"]*)"')
SEARCH_TERMS = ["通知", "制度", "发文"]
DOCUMENT_VIEWS = {
    "document",
    "pdf_download",
    "body_download",
    "attachment_download",
    "outgoing_print",
    "outgoing_form_pdf",
    "incoming_form",
    "incoming_form_pdf",
    "incoming_document",
}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, loaded once for the module inside a transaction rolled back at its end."""
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    media.enable()
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            restore_wagtail_base_rows()
            with open(os.devnull, "w") as quiet:
                call_command("load_demo", stdout=quiet)
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            media.disable()


class Crawl:
    def __init__(self, username: str):
        self.user = User.objects.get(username=username)
        self.client = Client(raise_request_exception=False)
        self.client.force_login(self.user)
        self.crashes: list[tuple[str, int]] = []
        self.leaks: list[str] = []

    def get(self, url: str):
        response = self.client.get(url)
        if response.status_code >= 500:
            self.crashes.append((url, response.status_code))
        return response

    def expect(self, url: str, allowed: bool, what: str) -> None:
        """A 200 for `what` only where the rule allows it."""
        response = self.get(url)
        if response.status_code == 200 and not allowed:
            self.leaks.append(f"{url} ({what})")

    def check_page(self, url: str, response) -> None:
        """A served page must be one the user may see by its app's rule."""
        page = (response.context or {}).get("page") if response.context is not None else None
        if not isinstance(page, Page):
            return
        specific = page.specific
        if isinstance(specific, NoticePage) and not notice_visible_to(self.user, specific):
            self.leaks.append(f"{url} (notice {specific.pk})")
        in_knowledge = isinstance(specific, KnowledgeCategoryPage | KnowledgeItemPage)
        if in_knowledge and not knowledge_permissions.can_view(self.user, specific):
            self.leaks.append(f"{url} (knowledge page {specific.pk})")

    def check_document_view(self, url: str) -> None:
        try:
            match = resolve(urlsplit(url).path)
        except Resolver404:
            return
        if match.url_name in DOCUMENT_VIEWS:
            document = Document.objects.filter(pk=match.kwargs.get("pk")).first()
            document = document.specific if document else None
            if document and not document_permissions.can_view_document(self.user, document):
                self.leaks.append(f"{url} (document {document.pk})")
        if match.url_name in {"delivery", "delivery_pdf", "delivery_attachment"}:
            delivery = Delivery.objects.filter(pk=match.kwargs.get("pk")).first()
            if delivery and not document_permissions.can_receive_delivery(self.user, delivery):
                self.leaks.append(f"{url} (delivery {delivery.pk})")

    def follow_links(self) -> int:
        """Crawls from the home page; answers how many pages were served."""
        served = 0
        queue, seen = deque(["/"]), {"/"}
        while queue and len(seen) <= MAX_CRAWLED_PAGES:
            url = queue.popleft()
            response = self.get(url)
            if response.status_code != 200:
                continue
            served += 1
            self.check_page(url, response)
            self.check_document_view(url)
            if not response.get("Content-Type", "").startswith("text/html"):
                continue
            for href in HREF.findall(response.content.decode()):
                parts = urlsplit(urldefrag(href.replace("&amp;", "&")).url)
                if parts.netloc and parts.hostname not in SAME_ORIGIN:
                    continue
                link = parts.path + (f"?{parts.query}" if parts.query else "")
                if not link.startswith("/") or NOT_FOLLOWED.search(link):
                    continue
                if link not in seen:
                    seen.add(link)
                    queue.append(link)
        return served


@pytest.fixture(params=ROLES)
def crawl(request, demo):
    return Crawl(request.param)


def test_reachable_links_show_only_what_the_rules_allow(crawl):
    assert crawl.follow_links() > 5  # links are followed, not only the home page
    assert crawl.crashes == []
    assert crawl.leaks == []


def test_notices_by_id(crawl):
    for notice in NoticePage.objects.live():
        allowed = notice_visible_to(crawl.user, notice)
        crawl.expect(notice.url, allowed, f"notice {notice.pk}")
        crawl.expect(f"/api/notices/{notice.pk}", allowed, f"notice {notice.pk}")
        crawl.get(f"/publishing/notices/{notice.pk}/readers/")
    for document in get_document_model().objects.all():
        crawl.expect(
            document.url, can_download_document(crawl.user, document), f"file {document.pk}"
        )
    assert crawl.crashes == []
    assert crawl.leaks == []


def test_notifications_by_id(crawl):
    """Each inbox is its owner's alone: anyone else's item answers 404 on the screen and the API."""
    notifications = list(Notification.objects.all())
    assert notifications  # the demo's tasks reached their owners
    wrong = []
    for notification in notifications:
        own = notification.recipient_id == crawl.user.pk
        screen = crawl.get(f"/notifications/{notification.pk}/").status_code
        api = crawl.client.post(f"/api/notifications/{notification.pk}/read").status_code
        if (screen, api) != ((302, 200) if own else (404, 404)):
            wrong.append((notification.pk, own, screen, api))
    assert wrong == []
    assert crawl.crashes == []


def test_knowledge_by_id(crawl):
    for category in KnowledgeCategoryPage.objects.live():
        allowed = knowledge_permissions.can_view(crawl.user, category)
        crawl.expect(category.url, allowed, f"category {category.pk}")
        crawl.expect(
            f"/api/knowledge/categories/{category.pk}/items", allowed, f"category {category.pk}"
        )
        crawl.expect(
            f"/knowledge-center/categories/{category.pk}/feed/", allowed, f"feed {category.pk}"
        )
    for item in KnowledgeItemPage.objects.live():
        allowed = knowledge_permissions.can_view(crawl.user, item)
        crawl.expect(item.url, allowed, f"item {item.pk}")
        crawl.expect(f"/api/knowledge/items/{item.pk}", allowed, f"item {item.pk}")
    for version in KnowledgeFileVersion.objects.select_related("file__item"):
        allowed = knowledge_permissions.can_view(crawl.user, version.file.item)
        for screen in ("download", "view"):
            crawl.expect(
                f"/knowledge-center/files/{version.pk}/{screen}/", allowed, f"file {version.pk}"
            )
    assert crawl.crashes == []
    assert crawl.leaks == []


def test_documents_and_tasks_by_id(crawl):
    for document in OutgoingDocument.objects.all():
        allowed = document_permissions.can_view_document(crawl.user, document)
        base = f"/workflow/documents/document/{document.pk}"
        crawl.expect(f"{base}/", allowed, f"document {document.pk}")
        crawl.expect(f"{base}/pdf/", allowed, f"document {document.pk}")
        crawl.expect(f"{base}/body/", allowed, f"document {document.pk}")
        crawl.expect(f"/api/documents/{document.pk}", allowed, f"document {document.pk}")
        crawl.expect(f"/workflow/outgoing/{document.pk}/print/", allowed, f"form {document.pk}")
        crawl.expect(f"/workflow/outgoing/{document.pk}/form.pdf", allowed, f"form {document.pk}")
        for attachment in document.attachments.all():
            crawl.expect(f"{base}/attachments/{attachment.pk}/", allowed, f"attachment of {base}")
    for document in IncomingDocument.objects.all():
        allowed = document_permissions.can_view_incoming(crawl.user, document)
        url = f"/api/documents/incoming/{document.pk}"
        crawl.expect(url, allowed, f"incoming document {document.pk}")
        for screen in ("form/", "form.pdf"):
            url = f"/workflow/incoming/{document.pk}/{screen}"
            crawl.expect(url, allowed, f"incoming form {document.pk}")
    for circulation in Circulation.objects.all():
        # Reminding is the sender's, signing the reader's: a GET changes nothing anywhere.
        crawl.expect(f"/workflow/circulation/{circulation.pk}/remind/", False, "remind")
    for delivery in Delivery.objects.select_related("recipient_unit"):
        allowed = document_permissions.can_receive_delivery(crawl.user, delivery)
        base = f"/workflow/exchange/deliveries/{delivery.pk}"
        crawl.expect(f"{base}/", allowed, f"delivery {delivery.pk}")
        crawl.expect(f"{base}/pdf/", allowed, f"delivery {delivery.pk}")
        for attachment in delivery.document.attachments.all():
            crawl.expect(f"{base}/attachments/{attachment.pk}/", allowed, f"attachment of {base}")
    for incoming in IncomingDocument.objects.select_related("unit"):
        allowed = document_permissions.can_register_incoming(crawl.user, incoming.unit)
        base = f"/workflow/incoming/registered/{incoming.pk}"
        crawl.expect(f"{base}/", allowed, f"incoming document {incoming.pk}")
        crawl.expect(f"{base}/scan/", allowed, f"incoming document {incoming.pk}")
    for process in OutgoingProcess.objects.select_related("document"):
        allowed = document_permissions.can_view_document(crawl.user, process.document)
        chart = f"/workflow/documents/flows/outgoing/{process.pk}/chart/"
        crawl.expect(chart, allowed, f"process {process.pk}")
        for task in process.task_set.all():
            node = task.flow_task.name
            url = f"/workflow/documents/flows/outgoing/{process.pk}/{node}/{task.pk}/detail/"
            crawl.expect(url, allowed, f"task {task.pk}")
    for document in IncomingDocument.objects.all():
        allowed = document_permissions.can_view_document(crawl.user, document)
        base = f"/workflow/documents/incoming/{document.pk}"
        crawl.expect(f"{base}/", allowed, f"incoming document {document.pk}")
        for attachment in document.attachments.all():
            url = f"/workflow/documents/document/{document.pk}/attachments/{attachment.pk}/"
            crawl.expect(url, allowed, f"attachment of {base}")
    for process in IncomingProcess.objects.select_related("document"):
        allowed = document_permissions.can_view_document(crawl.user, process.document)
        flows = "/workflow/documents/flows/incoming"
        crawl.expect(f"{flows}/{process.pk}/chart/", allowed, f"process {process.pk}")
        for task in process.task_set.all():
            url = f"{flows}/{process.pk}/{task.flow_task.name}/{task.pk}/execute/"
            crawl.expect(url, allowed and task.owner_id == crawl.user.pk, f"task {task.pk}")
    assert crawl.crashes == []
    assert crawl.leaks == []


def test_agenda_by_id(crawl):
    user = crawl.user
    for calendar in Calendar.objects.all():
        allowed = agenda_permissions.can_view_calendar(user, calendar)
        for screen in ("", "settings/", "export.ics"):
            crawl.expect(
                f"/agenda/calendars/{calendar.pk}/{screen}", allowed, f"calendar {calendar.pk}"
            )
        crawl.expect(
            f"/api/agenda/calendars/{calendar.pk}/events", allowed, f"calendar {calendar.pk}"
        )
    for event in Event.objects.select_related("calendar"):
        allowed = agenda_permissions.can_edit_calendar(user, event.calendar)
        crawl.expect(f"/agenda/events/{event.pk}/", allowed, f"event {event.pk}")
    for meeting in Meeting.objects.select_related("room"):
        allowed = agenda_permissions.can_view_meeting(user, meeting)
        crawl.expect(f"/agenda/meetings/{meeting.pk}/", allowed, f"meeting {meeting.pk}")
        crawl.expect(f"/api/agenda/meetings/{meeting.pk}", allowed, f"meeting {meeting.pk}")
    for room in Room.objects.select_related("unit"):
        allowed = agenda_permissions.can_book(user, room)
        crawl.expect(f"/agenda/rooms/{room.pk}/book/", allowed, f"room {room.pk}")
        allowed = agenda_permissions.can_administer_rooms(user, room.unit)
        crawl.expect(f"/agenda/rooms/{room.pk}/", allowed, f"room {room.pk}")
    for leader in crawl.user.__class__.objects.filter(is_leader=True):
        crawl.get(f"/agenda/leaders/{leader.pk}/")
    visible = set(agenda_permissions.visible_calendars(user).values_list("pk", flat=True))
    for listed in crawl.get("/api/agenda/calendars").json()["items"]:
        if listed["id"] not in visible:
            crawl.leaks.append(f"/api/agenda/calendars lists calendar {listed['id']}")
    assert crawl.crashes == []
    assert crawl.leaks == []


def test_stats_by_id(crawl):
    user = crawl.user
    crawl.expect("/stats/group/", stats_permissions.can_view_group(user), "group statistics")
    crawl.expect("/stats/bulletins/", stats_permissions.can_view_group(user), "bulletins")
    for unit in OrgUnit.objects.all():
        allowed = unit.is_unit_level and stats_permissions.can_view_unit(user, unit)
        crawl.expect(f"/stats/units/{unit.pk}/", allowed, f"statistics of unit {unit.pk}")
        allowed = unit.is_unit_level and stats_permissions.can_view_unit_lists(user, unit)
        for figure in ("logins", "tasks_finished", "searches"):
            crawl.expect(
                f"/stats/units/{unit.pk}/figures/{figure}/", allowed, f"{figure} of unit {unit.pk}"
            )
    assert crawl.crashes == []
    assert crawl.leaks == []


def test_search_and_feeds_show_only_what_the_rules_allow(crawl):
    for term in SEARCH_TERMS:
        response = crawl.get(f"/api/search?q={term}&page_size=50")
        for hit in response.json()["items"] if response.status_code == 200 else []:
            url = urlsplit(hit["url"]).path
            served = crawl.get(url)
            if served.status_code == 200:
                crawl.check_page(url, served)
                crawl.check_document_view(url)
        crawl.get(f"/search/?q={term}")
    for path in ("/api/news", "/api/notices", "/api/knowledge/categories", "/api/documents/tasks"):
        crawl.get(path)
    for listed in crawl.get("/api/documents/incoming?page_size=50").json()["items"]:
        document = IncomingDocument.objects.get(pk=listed["id"])
        if not document_permissions.can_view_incoming(crawl.user, document):
            crawl.leaks.append(f"/api/documents/incoming lists document {document.pk}")
    for notice in crawl.get("/api/notices?page_size=50").json()["items"]:
        notice_page = NoticePage.objects.get(pk=notice["id"])
        if not notice_visible_to(crawl.user, notice_page):
            crawl.leaks.append(f"/api/notices lists notice {notice_page.pk}")
    assert crawl.crashes == []
    assert crawl.leaks == []
