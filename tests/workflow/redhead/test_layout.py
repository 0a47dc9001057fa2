"""Layout regression (GB/T 9704 and its special formats): for a golden document of each format,
the positions of mark, number, rules, title, first and last body line and page number, within
0.5 mm. A change that moves any of them fails here; when a move is intended, re-measure with
tests/workflow/redhead/layout.py and say why in the commit."""

import pytest

from workflow.redhead.services import render_redhead_pdf

from .layout import measured
from .pdf_tools import notice

TOLERANCE_MM = 0.5
LAST_BODY = "按时完成自查和整改工作。"

GOLDEN_DOCUMENTS = {
    "standard": notice(),
    "upward": notice(
        upward=True,
        signers=["张三", "李四"],
        title="关于申请安全生产专项资金的请示",
        main_recipients=["集团公司"],
    ),
    "letter": notice(
        print_format="letter",
        issuer_mark="东方重工集团有限公司",
        doc_number="东重函〔2026〕3号",
        title="关于商请协助开展安全检查的函",
        main_recipients=["华北机械有限公司"],
    ),
    "order": notice(
        print_format="order",
        issuer_mark="东方重工集团有限公司令",
        doc_number="第15号",
        title="",
        main_recipients=[],
        attachments=[],
        signatory="董事长　王大明",
        remarks="",
    ),
    "minutes": notice(
        print_format="minutes",
        issuer_mark="东方重工集团办公会纪要",
        doc_number="第3期",
        title="2026年第三次总经理办公会纪要",
        main_recipients=[],
        signature_unit="",
        attendees=["王大明", "李小红", "张三（集团办公室）"],
        absentees=["吴八（出差）"],
        observers=["郑九（审计部）"],
        remarks="",
    ),
}
TEXTS = {
    "standard": {
        "mark": "东方重工集团文件",
        "number": "东重办〔2026〕15号",
        "title": "关于开展安全生产大检查的通知",
        "first_body": "集团总部各部门",
        "last_body": LAST_BODY,
        "date": "2026年11月25日",
    },
    "upward": {
        "mark": "东方重工集团文件",
        "number": "东重办〔2026〕15号",
        "signers": "签发人",
        "title": "关于申请安全生产专项资金的请示",
        "first_body": "集团公司：",
        "last_body": LAST_BODY,
        "date": "2026年11月25日",
    },
    "letter": {
        "mark": "东方重工集团有限公司",
        "number": "东重函〔2026〕3号",
        "title": "关于商请协助开展安全检查的函",
        "first_body": "华北机械有限公司：",
        "last_body": LAST_BODY,
        "date": "2026年11月25日",
        "copy_to": "抄送：",
    },
    "order": {
        "mark": "东方重工集团有限公司令",
        "number": "第15号",
        "first_body": "一、检查范围",
        "signatory": "董事长",
        "last_body": LAST_BODY,
        "date": "2026年11月25日",
    },
    "minutes": {
        "mark": "东方重工集团办公会纪要",
        "number": "第3期",
        "title": "2026年第三次总经理办公会纪要",
        "first_body": "一、检查范围",
        "attendees": "出席：",
        "absentees": "请假：",
        "observers": "列席：",
        "last_body": LAST_BODY,
        "date": "2026年11月25日",
    },
}
# Measured on 2026-11-30 with the Makefile's fonts, in mm from the page's top left.
GOLDEN = {
    "standard": {
        "pages": 2,
        "mark": 76.1,
        "mark.left": 31.0,
        "mark.right": 181.0,
        "mark.page": 1,
        "number": 113.5,
        "number.left": 81.0,
        "number.right": 131.1,
        "number.page": 1,
        "title": 150.0,
        "title.left": 51.7,
        "title.right": 160.3,
        "title.page": 1,
        "first_body": 170.5,
        "first_body.left": 28.0,
        "first_body.right": 67.1,
        "first_body.page": 1,
        "last_body": 59.7,
        "last_body.left": 61.4,
        "last_body.right": 128.4,
        "last_body.page": 2,
        "date": 131.2,
        "date.left": 123.0,
        "date.right": 161.8,
        "date.page": 2,
        "red_rules": [125.4],
        "page_number": 272.7,
        "page_number.left": 165.8,
    },
    "upward": {
        "pages": 2,
        "mark": 121.1,
        "mark.left": 31.0,
        "mark.right": 181.0,
        "mark.page": 1,
        "number": 158.5,
        "number.left": 33.6,
        "number.right": 83.6,
        "number.page": 1,
        "signers": 158.5,
        "signers.left": 128.2,
        "signers.right": 145.0,
        "signers.page": 1,
        "title": 195.0,
        "title.left": 47.8,
        "title.right": 164.2,
        "title.page": 1,
        "first_body": 215.5,
        "first_body.left": 28.0,
        "first_body.right": 55.9,
        "first_body.page": 1,
        "last_body": 121.0,
        "last_body.left": 61.4,
        "last_body.right": 128.4,
        "last_body.page": 2,
        "date": 192.5,
        "date.left": 123.0,
        "date.right": 161.8,
        "date.page": 2,
        "red_rules": [170.4],
        "page_number": 272.7,
        "page_number.left": 165.8,
    },
    "letter": {
        "pages": 2,
        "mark": 33.3,
        "mark.left": 31.0,
        "mark.right": 181.0,
        "mark.page": 1,
        "number": 53.2,
        "number.left": 136.8,
        "number.right": 184.1,
        "number.page": 1,
        "title": 85.2,
        "title.left": 51.7,
        "title.right": 160.3,
        "title.page": 1,
        "first_body": 105.7,
        "first_body.left": 28.0,
        "first_body.right": 78.2,
        "first_body.page": 1,
        "last_body": 208.2,
        "last_body.left": 61.4,
        "last_body.right": 128.4,
        "last_body.page": 1,
        "date": 100.6,
        "date.left": 123.0,
        "date.right": 161.8,
        "date.page": 2,
        "copy_to": 254.8,
        "copy_to.left": 32.9,
        "copy_to.right": 47.8,
        "copy_to.page": 2,
        "red_rules": [49.0, 50.0, 277.0, 277.4],
    },
    "order": {
        "pages": 2,
        "mark": 60.0,
        "mark.left": 31.0,
        "mark.right": 181.0,
        "mark.page": 1,
        "number": 93.4,
        "number.left": 97.7,
        "number.right": 114.4,
        "number.page": 1,
        "first_body": 125.3,
        "first_body.left": 39.1,
        "first_body.right": 72.6,
        "first_body.page": 1,
        "signatory": 90.3,
        "signatory.left": 122.6,
        "signatory.right": 139.5,
        "signatory.page": 2,
        "last_body": 59.7,
        "last_body.left": 61.4,
        "last_body.right": 128.4,
        "last_body.page": 2,
        "date": 100.6,
        "date.left": 123.0,
        "date.right": 161.8,
        "date.page": 2,
        "red_rules": [],
        "page_number": 272.7,
        "page_number.left": 165.8,
    },
    "minutes": {
        "pages": 2,
        "mark": 75.0,
        "mark.left": 31.0,
        "mark.right": 181.0,
        "mark.page": 1,
        "number": 108.4,
        "number.left": 99.1,
        "number.right": 113.0,
        "number.page": 1,
        "title": 144.8,
        "title.left": 50.2,
        "title.right": 161.8,
        "title.page": 1,
        "first_body": 166.6,
        "first_body.left": 39.1,
        "first_body.right": 72.6,
        "first_body.page": 1,
        "attendees": 101.8,
        "attendees.left": 39.1,
        "attendees.right": 55.9,
        "attendees.page": 2,
        "absentees": 112.0,
        "absentees.left": 39.1,
        "absentees.right": 55.9,
        "absentees.page": 2,
        "observers": 122.3,
        "observers.left": 39.1,
        "observers.right": 55.9,
        "observers.page": 2,
        "last_body": 59.7,
        "last_body.left": 61.4,
        "last_body.right": 128.4,
        "last_body.page": 2,
        "date": 151.6,
        "date.left": 123.0,
        "date.right": 161.8,
        "date.page": 2,
        "red_rules": [120.3],
        "page_number": 272.7,
        "page_number.left": 165.8,
    },
}


@pytest.fixture(scope="module", params=sorted(GOLDEN_DOCUMENTS))
def layout(request):
    name = request.param
    return name, measured(render_redhead_pdf(GOLDEN_DOCUMENTS[name]), TEXTS[name])


def test_every_element_stays_within_half_a_millimetre(layout):
    name, found = layout
    expected = GOLDEN[name]

    assert found.keys() == expected.keys()
    for key, value in expected.items():
        if isinstance(value, list):
            assert len(found[key]) == len(value), key
            assert all(abs(a - b) <= TOLERANCE_MM for a, b in zip(found[key], value, strict=True))
        else:
            assert abs(found[key] - value) <= TOLERANCE_MM, (key, found[key], value)


def test_the_layout_numbers_of_the_standard_hold(layout):
    """The figures GB/T 9704 names, independent of the golden measurements."""
    name, found = layout
    # The date ends four characters (4 × 15.79 pt) in from the type area's right edge (28 mm
    # + 156 mm).
    assert abs(found["date.right"] - (184 - 4 * 15.79 * 25.4 / 72)) <= TOLERANCE_MM
    if name == "letter":
        assert "page_number" not in found, "a letter's first page carries no number"
        assert abs(found["red_rules"][-1] - 277) <= TOLERANCE_MM, "20 mm above the bottom edge"
        assert found["number"] > found["red_rules"][0]
    if name == "order":
        assert found["red_rules"] == [], "an order has no red rule"
    if name == "standard":
        assert abs(found["mark"] - GOLDEN["upward"]["mark"] + 45) <= TOLERANCE_MM
