"""Choosing the next actor in the browser: the department head who checked a document is not
offered as its office verifier (and a forged choice is refused with a message), the verifier is
not offered the drafting department for countersign, and after the leader returns the document
the verifier finds the earlier signing leader chosen again."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from people.models import OrgUnit, User
from tests.e2e.conftest import E2E, sign_out
from workflow.models import OutgoingDocument

pytestmark = E2E

# A headquarters demo document drafted in 人力资源部, waiting for its head (孙浩) to check it.
TITLE = "关于调整职工住房公积金缴存基数的通知"


def user(username: str) -> User:
    return User.objects.get(username=username)


def open_task(page, base_url: str) -> None:
    page.goto(f"{base_url}{reverse('gongwen:todo')}")
    row = page.get_by_test_id("task-row").filter(has_text=TITLE)
    expect(row).to_have_count(1)
    row.get_by_test_id("task-link").click()
    page.wait_for_url(re.compile(r"/execute/$"))


def approve(page) -> None:
    page.locator("textarea[name=opinion]").fill("同意")
    page.locator("button[name=decision][value=approve]").click()
    page.wait_for_url(lambda url: "/execute/" not in url)


def test_the_lists_offer_sensible_next_actors_and_keep_earlier_choices(page, demo, sign_in):
    base = demo.url
    head, verifier, leader = user("sunhao"), user("liuyang"), user("wangjun")
    drafting_department = OrgUnit.objects.get(code="HQ-RLZY")

    sign_in("sunhao")
    open_task(page, base)
    verifiers = page.locator("#id_verifier option")
    expect(verifiers.filter(has_text="刘洋")).to_have_count(1)
    expect(verifiers.filter(has_text="孙浩")).to_have_count(0)
    # A forged choice (an option the list does not offer) is refused and nothing moves.
    page.evaluate(
        """([id, name]) => {
            const option = new Option(name, id);
            document.querySelector('#id_verifier').add(option);
            option.selected = true;
        }""",
        [str(head.pk), "孙浩"],
    )
    page.locator("button[name=decision][value=approve]").click()
    expect(page.locator(".xt-field__error, .xt-form-error").first).to_be_visible()
    assert re.search(r"/execute/$", page.url)
    page.select_option("#id_verifier", str(verifier.pk))
    approve(page)
    sign_out(page)

    sign_in("liuyang")
    open_task(page, base)
    departments = page.locator("input[name=countersign_departments]")
    expect(departments.first).to_be_visible()
    expect(
        page.locator(f"input[name=countersign_departments][value='{drafting_department.pk}']")
    ).to_have_count(0)
    page.select_option("#id_first_signer", str(leader.pk))
    approve(page)
    sign_out(page)

    sign_in("wangjun")
    open_task(page, base)
    page.locator("textarea[name=opinion]").fill("请补充测算依据")
    page.select_option("#id_return_to", "verify")
    page.locator("button[name=decision][value=return]").click()
    page.wait_for_url(lambda url: "/execute/" not in url)
    sign_out(page)

    sign_in("liuyang")
    open_task(page, base)
    expect(page.locator("#id_first_signer")).to_have_value(str(leader.pk))
    page.screenshot(path="tests/e2e/screenshots/next_actor_prefilled.png", full_page=True)
    approve(page)
    document = OutgoingDocument.objects.get(title=TITLE)
    assert [entry.user for entry in document.signer_entries.all()] == [leader]


def test_the_process_administrator_narrows_sign_off_to_the_units_leaders(page, demo, sign_in):
    base = demo.url
    headquarters = OrgUnit.objects.get(code="HQ")
    sign_in("liuyang")
    page.goto(f"{base}{reverse('gongwen:processes', args=[headquarters.pk])}")
    page.get_by_test_id("flow-rules-link").click()
    leaders = page.get_by_test_id("sign-off-leaders")
    expect(leaders).to_contain_text("孙浩")  # no rules yet: every leader, department heads too
    page.select_option("#id_leaders_department", str(OrgUnit.objects.get(code="HQ-BGS").pk))
    page.get_by_test_id("flow-rules-submit").click()
    expect(page.locator(".xt-message").first).to_be_visible()
    expect(leaders).to_contain_text("王军")
    expect(leaders).not_to_contain_text("孙浩")
    page.check("#id_department_heads_sign_off")
    page.get_by_test_id("flow-rules-submit").click()
    expect(leaders).to_contain_text("孙浩")
    page.screenshot(path="tests/e2e/screenshots/next_actor_rules.png", full_page=True)
