"""The clerk's numbering screens: who gets in, what they show, what a bad form changes (nothing)."""

import pytest

from workflow.numbering.models import DocumentPrefix, IssuedNumber, NumberCounter
from workflow.numbering.services import assign_number, void_number

pytestmark = pytest.mark.django_db

PREFIXES = "/workflow/numbering/"
REGISTER = "/workflow/numbering/register/"


@pytest.fixture
def clerk_client(client, clerk_a):
    client.force_login(clerk_a)
    return client


def test_the_clerk_sees_the_units_prefixes_with_their_next_number(clerk_client, prefix_a, clerk_a):
    assign_number(prefix=prefix_a, user=clerk_a)

    html = clerk_client.get(PREFIXES).content.decode()

    assert "甲单位" in html and "甲字" in html
    assert "甲字〔2026〕2号" in html or "〕2号" in html


def test_a_clerk_adds_a_prefix_and_bad_input_changes_nothing(clerk_client, unit_a):
    response = clerk_client.post(
        f"{PREFIXES}prefixes/new/?unit={unit_a.pk}", {"text": "甲〔办", "order": 0}
    )
    assert response.status_code == 200
    assert not DocumentPrefix.objects.exists()

    response = clerk_client.post(
        f"{PREFIXES}prefixes/new/?unit={unit_a.pk}", {"text": "甲办", "order": 1, "is_active": "on"}
    )
    assert response.status_code == 302
    assert DocumentPrefix.objects.get().text == "甲办"


def test_the_next_serial_form_refuses_going_back(clerk_client, prefix_a, clerk_a):
    assign_number(prefix=prefix_a, user=clerk_a, year=2026)
    url = f"{PREFIXES}prefixes/{prefix_a.pk}/next-serial/"

    response = clerk_client.post(url, {"year": 2026, "next_serial": 1})
    assert response.status_code == 200
    assert NumberCounter.objects.get(prefix=prefix_a, year=2026).next_serial == 2

    response = clerk_client.post(url, {"year": 2026, "next_serial": 20})
    assert response.status_code == 302
    assert NumberCounter.objects.get(prefix=prefix_a, year=2026).next_serial == 20


def test_the_register_lists_numbers_with_void_ones_and_their_reason(
    clerk_client, prefix_a, clerk_a, django_assert_max_num_queries
):
    numbers = [
        assign_number(prefix=prefix_a, user=clerk_a, year=2026, subject=f"关于第{n}件事的通知")
        for n in range(1, 13)
    ]
    void_number(number=numbers[4], user=clerk_a, reason="文件撤销，不再印发")

    with django_assert_max_num_queries(12):
        html = clerk_client.get(f"{REGISTER}?year=2026").content.decode()

    assert "甲字〔2026〕12号" in html and "关于第12件事的通知" in html
    assert "文件撤销，不再印发" in html
    assert html.index("甲字〔2026〕12号") < html.index("甲字〔2026〕1号")


def test_voiding_from_the_register_needs_a_reason(clerk_client, prefix_a, clerk_a):
    number = assign_number(prefix=prefix_a, user=clerk_a, year=2026)
    url = f"/workflow/numbering/numbers/{number.pk}/void/"

    clerk_client.post(url, {"reason": ""})
    assert not IssuedNumber.objects.get(pk=number.pk).is_void

    response = clerk_client.post(url, {"reason": "重复编号"})
    assert response.status_code == 302
    assert IssuedNumber.objects.get(pk=number.pk).void_reason == "重复编号"


def test_another_units_clerk_and_ordinary_users_are_refused(
    client, prefix_a, clerk_a, clerk_b, staff
):
    number = assign_number(prefix=prefix_a, user=clerk_a, year=2026)

    client.force_login(staff)
    assert client.get(PREFIXES).status_code == 403
    assert client.get(REGISTER).status_code == 403

    client.force_login(clerk_b)
    html = client.get(f"{REGISTER}?unit={prefix_a.unit.pk}").content.decode()
    assert "甲字" not in html and "乙单位" in html
    assert client.get(f"{PREFIXES}prefixes/{prefix_a.pk}/").status_code == 403
    response = client.post(
        f"{PREFIXES}prefixes/{prefix_a.pk}/", {"text": "乙改", "order": 0, "is_active": "on"}
    )
    assert response.status_code == 403
    response = client.post(
        f"{PREFIXES}prefixes/{prefix_a.pk}/next-serial/", {"year": 2026, "next_serial": 50}
    )
    assert response.status_code == 403
    response = client.post(f"/workflow/numbering/numbers/{number.pk}/void/", {"reason": "越权"})
    assert response.status_code == 403

    assert DocumentPrefix.objects.get(pk=prefix_a.pk).text == "甲字"
    assert NumberCounter.objects.get(prefix=prefix_a).next_serial == 2
    assert not IssuedNumber.objects.get(pk=number.pk).is_void


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(PREFIXES)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
