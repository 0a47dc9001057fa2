"""Signing out on one computer signs the account out on the others too (sessions are signed
cookies, see people.services.sessions_end)."""

from .conftest import DEMO_PASSWORD, E2E, sign_out, submit_login

pytestmark = E2E


def test_signing_out_on_one_computer_signs_out_the_other(browser, page, demo):
    submit_login(page, demo.url, "heyan", DEMO_PASSWORD)
    page.wait_for_url(f"{demo.url}/")
    other_computer = browser.new_context(locale="en-US").new_page()
    submit_login(other_computer, demo.url, "heyan", DEMO_PASSWORD)
    other_computer.wait_for_url(f"{demo.url}/")

    sign_out(page)
    other_computer.goto(f"{demo.url}/notices/")

    assert "/accounts/login/" in other_computer.url
    other_computer.context.close()
