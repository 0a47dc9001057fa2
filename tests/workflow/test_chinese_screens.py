"""Every screen routed for documents speaks Chinese: the lists, the processing form, drafting,
the flow chart, the register, process administration, delegations, circulation and the printed
forms show no English words besides a few names that are not translated (file formats, codes)."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories.circulation import dispatched_document, registered_incoming
from tests.factories.documents import act, advance, draft_document, open_task
from workflow import selectors
from workflow.services.circulation import circulate, circulation_read

pytestmark = pytest.mark.django_db

# Words that stay as they are on a Chinese screen: file formats and products, and the language
# switch, which names English in English.
ALLOWED_WORDS = {"PDF", "DOC", "DOCX", "XLSX", "Excel", "Word", "API", "OA", "EN"}
SHOWN_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt", "label"}
VOID_ELEMENTS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
}


class VisibleText(HTMLParser):
    """The text a user reads: element text and shown attributes; not scripts, styles, or icon
    ligatures (an icon font draws "arrow_back" as an arrow)."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._open: list[tuple[str, bool]] = []

    def _hidden(self) -> bool:
        return any(hidden for _, hidden in self._open)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        hidden = tag in {"script", "style", "template"} or "icons" in (
            attributes.get("class") or ""
        )
        if tag not in VOID_ELEMENTS:
            self._open.append((tag, hidden))
        if hidden or self._hidden():
            return
        for name, value in attrs:
            shown_value = name == "value" and tag == "input" and attributes.get("type") == "submit"
            if value and (name in SHOWN_ATTRIBUTES or shown_value):
                self.parts.append(value)

    def handle_endtag(self, tag):
        for position in range(len(self._open) - 1, -1, -1):
            if self._open[position][0] == tag:
                del self._open[position:]
                break

    def handle_data(self, data):
        if not self._hidden():
            self.parts.append(data)


def english_words(content: str, *also_allowed: str) -> set[str]:
    parser = VisibleText()
    parser.feed(content)
    words = set(re.findall(r"[A-Za-z][A-Za-z'’-]+", " ".join(parser.parts)))
    return words - ALLOWED_WORDS - set(also_allowed)


@pytest.fixture
def in_chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def signed_in(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def _names_and_codes(office) -> set[str]:
    """Usernames and unit codes that a screen may show as data, not as interface text."""
    words = set()
    for user in [office.drafter, office.clerk, office.process_admin, office.leader]:
        words.update(re.findall(r"[A-Za-z]+", user.username))
    words.update(re.findall(r"[A-Za-z]+", office.unit.code))
    return words


def _assert_chinese(client, urls, office):
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert english_words(response.content.decode(), *_names_and_codes(office)) == set(), url


def test_the_drafters_screens_are_chinese(office, signed_in, portal, in_chinese):
    document = draft_document(office)
    client = signed_in(office.drafter)
    _assert_chinese(
        client,
        [
            reverse("gongwen:todo"),
            reverse("gongwen:drafts"),
            reverse("workflow:documents:document_create"),
            reverse("workflow:documents:document_edit", args=[document.pk]),
            selectors.task_url(open_task(document)),
            reverse("workflow:documents:delegations"),
        ],
        office,
    )
    act(document, office)
    _assert_chinese(
        client,
        [reverse("gongwen:done"), reverse("workflow:documents:document", args=[document.pk])],
        office,
    )


def test_the_task_screens_and_the_flow_chart_are_chinese(office, signed_in, portal, in_chinese):
    document = draft_document(office)
    advance(document, office, until="sign_off", countersign=[office.finance])
    client = signed_in(office.leader)
    task = open_task(document)
    chart = reverse("workflow:documents:flows:outgoing:process_chart", args=[document.process.pk])
    _assert_chinese(client, [selectors.task_url(task), reverse("gongwen:todo"), chart], office)


def test_the_flow_chart_names_every_node_in_chinese(office, signed_in, portal, in_chinese):
    document = draft_document(office)
    client = signed_in(office.drafter)
    svg = client.get(
        reverse("workflow:documents:flows:outgoing:process_chart", args=[document.process.pk])
    ).content.decode()
    for title in ["发起公文", "核稿后流转", "分送会签", "会签汇总", "退回前序环节", "签发"]:
        assert title in svg
    for english in ["Start", "After Check", "Send Back", "Countersign Split"]:
        assert english not in svg


def test_the_clerks_and_administrators_screens_are_chinese(office, signed_in, portal, in_chinese):
    document = draft_document(office)
    advance(document, office, until="check")
    task = open_task(document)
    screens = {
        office.clerk: [
            reverse("gongwen:register_index"),
            reverse("gongwen:register", args=[office.unit.pk]),
            reverse("gongwen:incoming_register", args=[office.unit.pk]),
            reverse("gongwen:supervision", args=[office.unit.pk]),
            reverse("gongwen:task_urge", args=[task.pk]),
        ],
        office.leader: [reverse("gongwen:document_supervise", args=[document.pk])],
        office.process_admin: [
            reverse("gongwen:process_admin"),
            reverse("gongwen:processes", args=[office.unit.pk]),
            reverse("gongwen:task_reassign", args=[task.pk]),
            reverse("gongwen:process_cancel", args=[document.pk]),
        ],
    }
    for user, urls in screens.items():
        client = signed_in(user)
        for url in urls:
            response = client.get(url, follow=True)
            assert response.status_code == 200, url
            words = english_words(response.content.decode(), *_names_and_codes(office))
            assert words == set(), url


def test_the_circulation_screens_and_the_processing_forms_are_chinese(
    office, signed_in, portal, in_chinese
):
    document = dispatched_document(office)
    incoming = registered_incoming(office)
    for sent in (document, incoming):
        circulation = circulate(sent, readers=[office.leader, office.drafter], by=office.clerk)
        circulation_read(circulation.readers.get(reader=office.drafter), user=office.drafter)
    pages = [
        reverse("workflow:documents:document", args=[document.pk]),
        reverse("gongwen:outgoing_print", args=[document.pk]),
        reverse("gongwen:incoming_form", args=[incoming.pk]),
    ]
    # The trace shows the final PDF's SHA-256 and the seal certificate's serial, which are data.
    allowed = {"SHA-", *re.findall(r"[A-Za-z]+", document.final_pdf_sha256)}
    for entry in document.trace_entries.all():
        allowed |= set(re.findall(r"[A-Za-z]+", str(entry.extra)))
    allowed |= _names_and_codes(office)
    screens = {
        office.clerk: pages,
        office.leader: [
            *pages,
            reverse("gongwen:circulation_unread"),
            reverse("gongwen:circulation_read"),
        ],
    }
    for user, urls in screens.items():
        client = signed_in(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert english_words(response.content.decode(), *allowed) == set(), url
