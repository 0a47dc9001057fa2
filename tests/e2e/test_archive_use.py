"""The archive's use in the browser: a staff member finds a filed item in search, asks to read it,
the archivist approves and the staff member opens its file; an archivist proposes destroying an
item whose retention has ended, the second archivist and the unit administrator approve, and the
destruction register lists it."""

import re

from django.utils import timezone
from playwright.sync_api import expect

from archive.models import Retention
from people.models import OrgUnit, Role, RoleAssignment, User
from search import principals
from tests.e2e.conftest import E2E, SCREENSHOTS, sign_out
from tests.factories.archive import archived_item, fonds_of

pytestmark = E2E

TITLE = "关于档案利用演示工作的通知"


def snap(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def archive_of_tlj():
    unit = OrgUnit.objects.get(code="TLJ")
    for username in ("sufang", "maxiaodong"):
        RoleAssignment.objects.create(
            user=User.objects.get(username=username), role=Role.ARCHIVIST, unit=unit
        )
    fonds = fonds_of(unit, "Z201")
    filer = User.objects.get(username="sufang")
    reader = User.objects.get(username="heyan")
    item = archived_item(fonds, filer, title=TITLE, audience=(principals.user(reader.pk),))
    old = archived_item(
        fonds,
        filer,
        number=1,
        year=timezone.localdate().year - 10,
        retention=Retention.TEN_YEARS,
        title="关于十年前临时性事务的通知",
    )
    return item, old


def test_find_request_approve_and_open(page, demo, sign_in):
    item, _old = archive_of_tlj()
    sign_in("heyan")
    box = page.locator(".xt-search-box input[name=q]")
    box.fill("档案利用演示")
    box.press("Enter")
    result = page.get_by_test_id("search-result").filter(has_text=TITLE)
    result.locator(".xt-result__title").click()
    expect(page).to_have_url(re.compile(rf"/archive/items/{item.pk}/read/"))
    expect(page.get_by_test_id("archive-code")).to_have_text(item.archive_code)
    expect(page.get_by_test_id("files-closed")).to_be_visible()
    form = page.get_by_test_id("request-form")
    form.get_by_label("查阅").check()
    form.get_by_label("理由").fill("编写年度工作总结需要查阅")
    form.get_by_role("button", name="提交申请").click()
    expect(page.get_by_text("申请已提交档案员审批。")).to_be_visible()
    expect(page.get_by_test_id("my-item-requests")).to_contain_text("待审批")
    snap(page, "archive-read-requested")
    sign_out(page)

    sign_in("sufang")
    page.goto(f"{demo.url}/archive/requests/")
    pending = page.get_by_test_id("pending-requests")
    expect(pending).to_contain_text(item.archive_code)
    snap(page, "archive-requests-pending")
    pending.get_by_role("button", name="审批").click()
    expect(page.get_by_text("已审批。")).to_be_visible()
    expect(page.get_by_test_id("pending-requests")).to_contain_text("暂无待审批申请。")
    sign_out(page)

    sign_in("heyan")
    page.goto(f"{demo.url}/archive/items/{item.pk}/read/")
    expect(page.get_by_test_id("my-item-requests")).to_contain_text("已批准，有效期至")
    snap(page, "archive-read-approved")
    link = page.get_by_test_id("archive-files").get_by_role("link", name="打开").first
    response = page.request.get(demo.url + link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    sign_out(page)

    sign_in("sufang")
    page.goto(f"{demo.url}/archive/access-log/")
    expect(page.get_by_test_id("access-log")).to_contain_text(item.archive_code)
    expect(page.get_by_test_id("access-log")).to_contain_text("何")
    snap(page, "archive-access-log")


def test_propose_approve_twice_and_register(page, demo, sign_in):
    _item, old = archive_of_tlj()
    sign_in("sufang")
    page.goto(f"{demo.url}/archive/review/")
    review = page.get_by_test_id("review-items")
    expect(review).to_contain_text(old.archive_code)
    snap(page, "archive-review")
    review.get_by_label(f"销毁 {old.archive_code}").check()
    page.locator("#propose-reason").fill("保管期限已满，经鉴定无继续保存价值")
    page.get_by_role("button", name="提请销毁所选档案").click()
    expect(page).to_have_url(re.compile(r"/archive/destructions/$"))
    expect(page.get_by_text("已提请销毁，等待双人审批。")).to_be_visible()
    sign_out(page)

    for approver in ("maxiaodong", "hanmei"):
        sign_in(approver)
        page.goto(f"{demo.url}/archive/destructions/")
        proposal = page.locator("[data-testid^=destruction-]").first
        expect(proposal).to_contain_text(old.archive_code)
        snap(page, f"archive-destructions-{approver}")
        proposal.get_by_role("button", name="审批").click()
        expect(page.get_by_text("审批意见已记录。")).to_be_visible()
        sign_out(page)

    sign_in("hanmei")
    page.goto(f"{demo.url}/archive/destructions/register/")
    register = page.get_by_test_id("destruction-register")
    expect(register).to_contain_text(old.archive_code)
    expect(register).to_contain_text("保管期限已满，经鉴定无继续保存价值")
    expect(page.get_by_role("button", name="打印")).to_be_visible()
