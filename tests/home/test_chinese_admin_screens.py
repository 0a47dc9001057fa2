"""The Wagtail admin screens editors use read in Chinese: no English word outside an allow-list,
in the visible text (and the titles and placeholders a user reads) and in the JavaScript strings
the editor shows (the /admin/jsi18n/ catalog)."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from home.models import NoticeIndexPage
from people.models import Role
from people.services import role_grant
from tests.factories import UserFactory
from tests.factories.publishing import NewsColumnPageFactory, NewsPageFactory, NoticePageFactory

pytestmark = pytest.mark.django_db

# Names, formats and codes that stay as they are in a Chinese interface.
ALLOWED = {
    *("Wagtail", "JavaScript", "PDF", "URL", "ID", "HTML", "RSS", "XLSX", "API", "UTC"),
    *("Ctrl", "Shift", "Alt", "Tab", "Esc", "Enter", "Cmd"),  # keys, as printed on keyboards
    "EN",  # the language switch
    "bianji",  # a user name: they are written in Latin letters
}
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")
READ_ATTRIBUTES = {"title", "placeholder", "alt"}
# Example addresses in help texts (http://domain.com/…) are not words to translate.
ADDRESS = re.compile(r"\S*://\S*")
# What the editors' screens show from the JavaScript catalog (Wagtail's zh catalog lacks them).
EDITOR_JS_STRINGS = ["Insert a block", "Write something or type ‘/’ to insert a block", "Blocks"]


VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class VisibleText(HTMLParser):
    """Text a user reads: element text (template contents included; scripts, styles and hidden
    elements not) and the attributes shown on hover or in place of an image."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open_tags: list[bool] = []  # for each open element: is its text unseen?
        self.parts: list[str] = []

    @property
    def skipping(self) -> bool:
        return any(self.open_tags)

    def handle_starttag(self, tag, attrs):
        names = {name for name, _value in attrs}
        if tag not in VOID_TAGS:
            self.open_tags.append(tag in ("script", "style") or "hidden" in names)
        if self.skipping:
            return
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag not in VOID_TAGS and self.open_tags:
            self.open_tags.pop()

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def english_words(html: str) -> set[str]:
    parser = VisibleText()
    parser.feed(html)
    words = set(ENGLISH_WORD.findall(ADDRESS.sub(" ", " ".join(parser.parts))))
    return {word for word in words if word not in ALLOWED}


@pytest.fixture
def screens(client, portal, unit_a, staff):
    """As a column administrator of unit A (editor and moderator of its column and the notices),
    with a news item waiting for review: the screens and their URLs."""
    notices = NoticeIndexPage.objects.get()
    notices.owner_unit = unit_a
    notices.save()
    column = NewsColumnPageFactory(title="甲单位动态", slug="unit-a-news", owner_unit=unit_a)
    editor = UserFactory(username="bianji", name="编辑", department=staff.department)
    role_grant(actor=None, user=editor, role=Role.COLUMN_ADMIN, unit=unit_a, column=column)
    moderator = UserFactory(username="shenhe", name="审核", department=staff.department)
    role_grant(actor=None, user=moderator, role=Role.COLUMN_ADMIN, unit=unit_a)
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    news = NewsPageFactory(parent=column, title="待审新闻", live=False)
    column.get_workflow().start(news, editor)
    notice = NoticePageFactory(parent=notices, title="通知", issuing_department=unit_a)
    task_state = news.current_workflow_task_state
    client.force_login(moderator)
    return {
        "dashboard": reverse("wagtailadmin_home"),
        "page explorer": reverse("wagtailadmin_explore", args=[column.pk]),
        "add news": reverse("wagtailadmin_pages:add", args=["home", "newspage", column.pk]),
        "edit news": reverse("wagtailadmin_pages:edit", args=[news.pk]),
        "add notice": reverse("wagtailadmin_pages:add", args=["home", "noticepage", notices.pk]),
        "edit notice": reverse("wagtailadmin_pages:edit", args=[notice.pk]),
        "workflow history": reverse("wagtailadmin_pages:workflow_history", args=[news.pk]),
        "page history": reverse("wagtailadmin_pages:history", args=[news.pk]),
        "approve with comment": reverse(
            "wagtailadmin_pages:collect_workflow_action_data",
            args=[news.pk, "approve", task_state.pk],
        ),
        "role form": (admin, reverse("people:user_edit", args=[editor.pk])),
    }


@pytest.mark.parametrize(
    "screen",
    [
        "dashboard",
        "page explorer",
        "add news",
        "edit news",
        "add notice",
        "edit notice",
        "workflow history",
        "page history",
        "approve with comment",
        "role form",
    ],
)
def test_an_editor_screen_has_no_english_words(client, screens, screen):
    url = screens[screen]
    if isinstance(url, tuple):
        user, url = url
        client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    if response["Content-Type"].startswith("application/json"):
        html = response.json().get("html", "")

    assert english_words(html) == set()
    if screen == "role form":
        assert "栏目" in html


def test_the_editor_javascript_strings_are_chinese(client, screens):
    script = client.get(reverse("wagtailadmin_javascript_catalog")).content.decode()
    catalog = json.loads(re.search(r"const newcatalog = (\{.*?\});", script, re.S).group(1))

    for message in EDITOR_JS_STRINGS:
        assert catalog.get(message) not in (None, message)
