"""Printing many PDFs in one process does not grow it: WeasyPrint keeps the fonts of every font
configuration it makes (the CJK faces, about 17 MB each time), so one is made per thread."""

import os
import threading

from core.pdf import font_configuration
from workflow.redhead.services import font_stacks, render_html_pdf


def _resident_mib() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def test_printing_a_form_twelve_times_keeps_the_fonts_of_the_first():
    html = (
        f"<html><body style='font-family: {font_stacks()['fangsong']}'>"
        "<h1 style='font-family: \"Noto Sans CJK SC\"'>发文稿纸</h1><p>关于第一项工作的通知</p>"
        "</body></html>"
    )
    render_html_pdf(html)
    before = _resident_mib()
    for _ in range(12):
        assert render_html_pdf(html).startswith(b"%PDF")
    assert _resident_mib() - before < 60


def test_each_thread_has_its_own_configuration():
    others = []
    thread = threading.Thread(target=lambda: others.append(font_configuration()))
    thread.start()
    thread.join()
    assert font_configuration() is font_configuration()
    assert others[0] is not font_configuration()
