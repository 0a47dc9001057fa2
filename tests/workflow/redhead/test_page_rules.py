"""GB/T 9704 page rules: the signature and date never stand on a page without body text, and
签发人 names end one character in from the right edge."""

import pytest

from workflow.redhead.services import render_redhead_pdf

from .layout import measured
from .pdf_tools import SAMPLE_PARAGRAPH, notice, pdf_pages_text


@pytest.mark.parametrize("paragraphs", range(5, 12))
def test_the_signature_and_date_never_stand_alone_on_a_page(paragraphs, tmp_path):
    """Between 5 and 11 paragraphs the text's end crosses from page one to page two: wherever
    it falls, some body text shares the page of the date."""
    pdf = render_redhead_pdf(notice(paragraphs=paragraphs, attachments=[], remarks=""))

    pages = pdf_pages_text(pdf, tmp_path)
    date_page = next(page for page in pages if "2026年11月25日\n" in page + "\n")
    assert SAMPLE_PARAGRAPH[-12:] in date_page.replace("\n", "")


def test_signer_names_end_one_character_from_the_right_edge():
    found = measured(
        render_redhead_pdf(notice(upward=True, signers=["张三", "李四"])), {"last_signer": "李四"}
    )

    # The type area's right edge is 28 + 156 = 184 mm; one character is 15.79 pt.
    assert abs(found["last_signer.right"] - (184 - 15.79 * 25.4 / 72)) <= 0.5
