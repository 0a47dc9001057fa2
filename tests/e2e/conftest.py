"""Browser journeys: Playwright drives Debian's Chromium against a live test server.

Every test module here sets `pytestmark = E2E`: the live server needs committed data, so each
test runs outside a transaction and the database is flushed after it; the `demo` fixture puts back
the rows Wagtail's migrations created before loading the demo.
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import sync_playwright

from tests.conftest import restore_wagtail_base_rows

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still
# synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).parent / "screenshots"
DEMO_PASSWORD = "Xietong@2026"
E2E = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{request.node.name}.png", full_page=True)
    context.close()


@pytest.fixture
def demo(live_server):
    restore_wagtail_base_rows()
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return live_server


def submit_login(page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="登录").click()


def sign_out(page) -> None:
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="退出登录").click()


@pytest.fixture
def sign_in(page, demo):
    """Sign in as a demo account and land on the home page."""

    def sign_in_as(username: str):
        submit_login(page, demo.url, username, DEMO_PASSWORD)
        page.wait_for_url(f"{demo.url}/")

    return sign_in_as
