"""The Content-Security-Policy blocks nothing the intranet, viewflow or the Wagtail admin needs:
every screen loads without a single violation, and its scripts still work."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from home.models import NewsPage, NoticeIndexPage, NoticePage
from knowledge.models import KnowledgeIndexPage
from tests.e2e.conftest import E2E

pytestmark = E2E

# Registered before any page script runs; Playwright's own injection is not subject to the policy.
COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`
  );
});
"""


@pytest.fixture
def watched(page):
    """The page, with every CSP violation and script error of every screen it opens recorded."""
    problems = []
    page.add_init_script(COLLECT_VIOLATIONS)
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on(
        "console",
        lambda message: (
            problems.append(f"console: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )

    def settle(url: str):
        problems.extend(page.evaluate("window.__cspViolations"))
        assert problems == [], f"{url}: {problems}"

    page.settle = settle
    return page


def visit(page, url: str):
    response = page.goto(url)
    assert response.status == 200, url
    assert "script-src" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    page.settle(url)


def test_the_intranet_screens_load_and_run_without_violations(watched, demo, sign_in):
    page, base = watched, demo.url
    sign_in("maxiaodong")
    page.settle("login")
    notice = NoticePage.objects.live().first()
    news = NewsPage.objects.live().first()
    for url in (
        "/",
        NoticeIndexPage.objects.get().url,
        notice.url,
        news.get_parent().get_parent().url,
        news.url,
        KnowledgeIndexPage.objects.get().url,
        "/search/?q=通知",
        reverse("gongwen:todo"),
    ):
        visit(page, base + url)

    # The processing form: viewflow's screen with the project's script for common phrases.
    page.get_by_test_id("task-row").first.get_by_test_id("task-link").click()
    page.wait_for_url(re.compile(r"/execute/$"))
    page.wait_for_load_state("networkidle")
    phrase = page.locator(".wf-phrase").first
    phrase.click()
    expect(page.locator("textarea[name=opinion]")).to_have_value(
        phrase.get_attribute("data-phrase")
    )
    page.settle("processing form")


def test_the_drafts_confirmation_runs_from_the_static_script(watched, demo, sign_in):
    page, base = watched, demo.url
    sign_in("zhouli")
    page.goto(f"{base}{reverse('gongwen:drafts')}")
    page.get_by_test_id("new-document").click()
    page.fill("#id_title", "CSP 草稿")
    page.fill("#id_body", "正文")
    page.locator("button[name=save]").click()
    page.wait_for_url(re.compile(r"/edit/$"))
    visit(page, f"{base}{reverse('gongwen:drafts')}")

    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.get_by_test_id("draft-row").filter(has_text="CSP 草稿").get_by_test_id(
        "draft-discard"
    ).click()
    expect(page.get_by_test_id("draft-row").filter(has_text="CSP 草稿")).to_have_count(1)
    assert len(questions) == 1
    page.settle("drafts")


def test_the_wagtail_page_editor_works_without_violations(watched, demo, sign_in):
    page, base = watched, demo.url
    sign_in("chenjing")
    notice = NoticePage.objects.live().filter(owner__username="chenjing").first()
    visit(page, f"{base}{reverse('wagtailadmin_pages:edit', args=[notice.pk])}")

    expect(page.locator(".Draftail-Editor").first).to_be_visible()
    total_forms = page.locator("#id_attachments-TOTAL_FORMS")
    before = int(total_forms.input_value())
    page.locator("#id_attachments-ADD").click()  # InlinePanel: started by an inline script
    expect(total_forms).to_have_value(str(before + 1))
    page.settle("wagtail editor")
