"""GB/T 9704 typefaces: 小标宋 for the mark and title, 仿宋 for the body, 黑体 for 一、 headings and
楷体 for （一） headings (the heading phrase only), all embedded; the faces are settings."""

import pytest
from django.test import override_settings

from workflow.redhead.services import render_redhead_pdf

from .pdf_tools import embedded_fonts, notice, runs_by_font

FANGSONG = "FandolFang"
XIAOBIAOSONG = "Noto-Serif-CJK-SC-Bold"
HEITI = "Noto-Sans-CJK-SC"
KAITI = "AR-PL-KaitiM-GB"
BODY = "<p>一、检查范围</p><p>（一）责任制落实情况。各单位要认真检查。</p><p>正文段落。</p>"


@pytest.fixture(scope="module")
def headed_pdf():
    return render_redhead_pdf(notice(body_html=BODY))


def test_every_font_is_embedded(headed_pdf, tmp_path):
    fonts = embedded_fonts(headed_pdf, tmp_path)

    assert {FANGSONG, XIAOBIAOSONG, HEITI, KAITI} <= set(fonts)
    assert all(fonts.values()), fonts


def test_each_element_prints_in_its_typeface(headed_pdf):
    runs = runs_by_font(headed_pdf)

    assert (XIAOBIAOSONG, "东方重工集团文件") in runs
    assert (XIAOBIAOSONG, "关于开展安全生产大检查的通知") in runs
    assert (FANGSONG, "集团总部各部门、各二级单位、各控股公司：") in runs
    assert (HEITI, "一、检查范围") in runs
    assert (FANGSONG, "正文段落。") in runs


def test_only_the_heading_phrase_takes_the_kaiti_face(headed_pdf):
    runs = runs_by_font(headed_pdf)
    start = runs.index((KAITI, "（一）责任制落实情况。"))

    assert runs[start + 1] == (FANGSONG, "各单位要认真检查。")


def test_a_unit_with_licensed_fonts_names_them_and_they_are_used():
    licensed = {
        "fangsong": ["仿宋_GB2312", "AR PL KaitiM GB"],
        "xiaobiaosong": ["方正小标宋简体", "Noto Sans CJK SC"],
        "heiti": ["黑体", "Noto Serif CJK SC"],
        "kaiti": ["楷体_GB2312", "FandolFang"],
    }
    # The licensed faces are not installed here: the next family named takes their place.
    with override_settings(REDHEAD_FONTS=licensed, REDHEAD_XIAOBIAOSONG_WEIGHT="normal"):
        runs = runs_by_font(render_redhead_pdf(notice(body_html=BODY)))

    assert ("Noto-Sans-CJK-SC", "关于开展安全生产大检查的通知") in runs
    assert ("Noto-Serif-CJK-SC", "一、检查范围") in runs
    assert ("FandolFang", "（一）责任制落实情况。") in runs
    assert ("AR-PL-KaitiM-GB", "正文段落。") in runs


def test_font_names_from_settings_cannot_break_out_of_the_style():
    hostile = {"fangsong": ['x";}</style><p>injected'], "xiaobiaosong": ["a"], "heiti": ["b"]}
    with override_settings(REDHEAD_FONTS={**hostile, "kaiti": ["c"]}):
        runs = runs_by_font(render_redhead_pdf(notice(body_html="<p>正文。</p>")))

    assert not any("injected" in text for _font, text in runs)
