"""The red-head PDF: what a reader finds on the printed pages (GB/T 9704-2012)."""

import re

import pytest

from workflow.redhead.services import render_redhead_pdf, sanitised_body_html, sha256_hex

from .pdf_tools import notice, page_png, pdf_info, pdf_pages_text, pdf_text, red_rows


@pytest.fixture(scope="module")
def notice_pdf():
    return render_redhead_pdf(notice())


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_pdf_carries_number_title_recipients_and_footer_in_order(notice_pdf, tmp_path):
    text = _flat(pdf_text(notice_pdf, tmp_path))

    expected_in_order = [
        "东方重工集团文件",
        "东重办〔2026〕15号",
        "关于开展安全生产大检查的通知",
        "集团总部各部门、各二级单位、各控股公司：",
        "一、检查范围",
        "附件：1．安全生产大检查自查表2．隐患整改台账",
        "东方重工集团有限公司",
        "2026年11月25日",
        "（联系人：王明，电话：12345678）",
        "抄送：集团领导、集团纪委、集团工会。",
        "东方重工集团办公室",
        "2026年11月26日印发",
    ]
    positions = [text.find(part) for part in expected_in_order]
    assert -1 not in positions, dict(zip(expected_in_order, positions, strict=True))
    assert positions == sorted(positions)


def test_pages_are_a4(notice_pdf, tmp_path):
    info = pdf_info(notice_pdf, tmp_path)

    media_boxes = re.findall(r"Page\s+\d+\s+MediaBox:\s+" + r"([\d.]+)\s+" * 4, info)
    assert len(media_boxes) == info.count("MediaBox") >= 2
    for box in media_boxes:
        assert [round(float(value)) for value in box] == [0, 0, 595, 842]


def test_a_long_body_runs_over_numbered_pages(tmp_path):
    pdf = render_redhead_pdf(notice(paragraphs=30))
    pages = [_flat(page) for page in pdf_pages_text(pdf, tmp_path)]

    assert len(pages) >= 4
    assert pages[0].endswith("—1—") or "—1—" in pages[0]
    assert "—2—" in pages[1] and "—3—" in pages[2]
    assert "抄送：" in pages[-1] and "抄送：" not in "".join(pages[:-1])


def test_the_footer_part_goes_to_the_foot_of_an_even_page(tmp_path):
    pdf = render_redhead_pdf(notice(paragraphs=1, attachments=[], remarks=""))
    pages = [_flat(page) for page in pdf_pages_text(pdf, tmp_path)]

    assert len(pages) == 2
    assert "东方重工集团有限公司2026年11月25日" in pages[0] and "抄送" not in pages[0]
    assert pages[1].startswith("抄送：") and "—2—" in pages[1]


def test_a_blank_page_before_the_footer_page_and_the_footer_page_are_not_numbered(tmp_path):
    # Eight paragraphs end the text on page 2 with no room left for the footer part.
    pdf = render_redhead_pdf(notice(paragraphs=8, attachments=[], remarks=""))
    pages = [_flat(page) for page in pdf_pages_text(pdf, tmp_path)]

    assert len(pages) == 4
    assert "—2—" in pages[1] and "2026年11月25日" in pages[1]
    assert pages[2] == ""
    assert pages[3].startswith("抄送：") and "—" not in pages[3]


def test_signer_appears_only_on_upward_documents(notice_pdf, tmp_path):
    upward = render_redhead_pdf(
        notice(upward=True, signers=["张三", "李四"], title="关于申请技改资金的请示")
    )

    assert "签发人" not in pdf_text(notice_pdf, tmp_path)
    text = _flat(pdf_text(upward, tmp_path))
    assert "签发人：张三李四" in text
    assert text.index("东重办〔2026〕15号") > text.index("东方重工集团文件")


def test_header_marks_print_above_the_issuer_mark(tmp_path):
    pdf = render_redhead_pdf(notice(copy_no="000123", classification="内部", urgency="特急"))

    text = _flat(pdf_text(pdf, tmp_path))
    assert text.index("000123") < text.index("内部") < text.index("特急") < text.index("东方重工")


def test_the_issuer_mark_and_the_rule_are_red_at_the_top_of_page_one(notice_pdf, tmp_path):
    rows = red_rows(page_png(notice_pdf, tmp_path, page=1))
    page_height = 842 * 50 / 72

    assert rows, "no red on page one"
    assert max(rows) < page_height / 2
    # The mark's top lies 35 mm below the type area's top edge (37 mm): 72 mm from the top.
    assert abs(min(rows) - 72 / 25.4 * 50) < 12


def test_body_html_keeps_paragraphs_and_headings_but_nothing_active():
    cleaned = sanitised_body_html(
        '<p style="color:red" onclick="x()">一、总体要求</p><script>alert(1)</script>'
        '<p><strong>重要</strong><a href="http://example.com/">链接</a>'
        '<img src="http://example.com/x.png"></p><h3>（一）目标</h3><p>（二）范围</p>'
    )

    assert cleaned == (
        '<p><span class="level-1">一、总体要求</span></p><p><strong>重要</strong>链接</p>'
        '<h3>（一）目标</h3><p><span class="level-2">（二）范围</span></p>'
    )


def test_the_checksum_is_the_sha256_of_the_bytes():
    assert sha256_hex(b"abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )
