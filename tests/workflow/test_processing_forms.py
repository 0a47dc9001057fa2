"""The processing forms on paper: the 收文处理单 of an incoming document (a page and a PDF) built
from its elements and the incoming flow's opinions, and the 发文稿纸 of an outgoing one (a print
view and a PDF without the site's navigation). The PDFs are A4, laid out by the red-head renderer
with its embedded typefaces, Chinese whatever the reader's language, and downloaded by those who
may see the document only."""

import subprocess
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories.circulation import dispatched_document, opinion, registered_incoming
from tests.factories.documents import OfficeFactory
from tests.workflow.redhead.pdf_tools import embedded_fonts, pdf_info, runs_by_font
from workflow.models import TraceEntry
from workflow.services.circulation import circulate, circulation_read

pytestmark = pytest.mark.django_db

INCOMING_LABELS = [
    "收文处理单",
    "来文单位",
    "来文字号",
    "收文日期",
    "收文编号",
    "密级",
    "紧急程度",
    "份数",
    "标题",
    "拟办意见",
    "领导批示",
    "承办情况",
    "传阅记录",
    "办结日期",
    "备注",
]
OUTGOING_LABELS = [
    "发文稿纸",
    "签发",
    "会签",
    "核稿",
    "拟稿部门",
    "拟稿人",
    "标题",
    "主送",
    "抄送",
    "密级",
    "紧急程度",
    "发文字号",
    "印数",
    "附件",
    "校对人",
    "印发日期",
]
FANGSONG, XIAOBIAOSONG, HEITI, KAITI = (
    "FandolFang",
    "Noto-Serif-CJK-SC-Bold",
    "Noto-Sans-CJK-SC",
    "AR-PL-KaitiM-GB",
)


def layout_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "form.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def in_order(text: str, words: list[str]) -> list[str]:
    """The words of `words` that are missing or out of order in `text` (spaces aside: a PDF's
    text is read back with the gaps of its layout)."""
    text = "".join(text.split())
    position, wrong = 0, []
    for word in words:
        found = text.find("".join(word.split()), position)
        if found < 0:
            wrong.append(word)
        else:
            position = found + len(word)
    return wrong


@pytest.fixture
def other_office(office):
    return OfficeFactory(code="UB", name="乙单位", parent=office.unit.get_parent())


@pytest.fixture
def handled(office):
    """An incoming document with every box of the form filled, as the incoming flow does."""
    document = registered_incoming(office)
    opinion(document, "review", office.clerk, "属我单位办理。")
    opinion(document, "propose", office.verifier, "拟请马总阅示，生产部牵头办理。")
    opinion(document, "instruct", office.leader, "请生产部牵头，财务部配合。")
    opinion(document, "instruct", office.second_leader, "同意马总意见。")
    opinion(document, "cohandle", office.finance_head, "经费已落实。", department="财务部")
    opinion(document, "handle", office.production_head, "已完成检查并整改。", department="生产部")
    circulation = circulate(document, readers=[office.drafter, office.safety_head], by=office.clerk)
    circulation_read(
        circulation.readers.get(reader=office.drafter), user=office.drafter, remark="已阅知"
    )
    opinion(document, "close", office.clerk, "按期办结。", action=TraceEntry.Action.CLOSE)
    return document


def form_url(document):
    return reverse("gongwen:incoming_form", args=[document.pk])


def form_pdf_url(document):
    return reverse("gongwen:incoming_form_pdf", args=[document.pk])


class TestIncomingForm:
    def test_the_page_shows_every_box_with_the_opinions_in_order(
        self, client, office, handled, django_assert_max_num_queries
    ):
        client.force_login(office.clerk)
        with django_assert_max_num_queries(15):
            page = client.get(form_url(handled))
        text = page.content.decode()
        assert page.status_code == 200
        assert in_order(text, INCOMING_LABELS) == []
        assert (
            in_order(
                text,
                [
                    "市应急管理局",
                    "市应急〔2026〕12号",
                    handled.number_text,
                    "加急",
                    handled.title,
                    "拟请马总阅示，生产部牵头办理。",
                    "韩审核",
                    "请生产部牵头，财务部配合。",
                    "马总",
                    "同意马总意见。",
                    "王副总",
                    "经费已落实。",
                    "财务部 钱会计长",
                    "已完成检查并整改。",
                    "生产部 周部长",
                    "何拟稿：已阅知",
                    "已阅",
                    "安部长",
                    "未阅",
                    "按期办结。",
                ],
            )
            == []
        )
        assert "属我单位办理。" not in text.split("拟办意见")[1].split("传阅记录")[0]

    def test_the_pdf_is_the_same_form_on_a4_in_the_red_head_typefaces(
        self, client, office, handled, tmp_path
    ):
        client.force_login(office.clerk)
        response = client.get(form_pdf_url(handled), HTTP_ACCEPT_LANGUAGE="en")

        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert "attachment" in response["Content-Disposition"]
        pdf = response.content
        text = layout_text(pdf, tmp_path)
        assert in_order(text, INCOMING_LABELS) == [], text
        today = timezone.localdate()
        assert (
            in_order(
                text,
                [
                    "拟请马总阅示，生产部牵头办理。",
                    f"韩审核 {today:%Y}年{today.month}月{today.day}日",
                    "请生产部牵头，财务部配合。",
                    "同意马总意见。",
                    "已完成检查并整改。",
                    "何拟稿：已阅知",
                    "安部长",
                    f"{today:%Y}年{today.month}月{today.day}日",
                    "按期办结。",
                ],
            )
            == []
        ), text
        info = pdf_info(pdf, tmp_path)
        assert "Pages:           1" in info and "(A4)" in info
        fonts = embedded_fonts(pdf, tmp_path)
        assert {FANGSONG, XIAOBIAOSONG, HEITI, KAITI} <= set(fonts) and all(fonts.values())
        runs = runs_by_font(pdf)
        assert (XIAOBIAOSONG, "收文处理单") in runs
        assert any(font == KAITI and "请生产部牵头" in run for font, run in runs)

    def test_a_reader_sees_the_form_and_other_people_do_not(
        self, client, office, other_office, handled
    ):
        for user, status in [
            (office.safety_head, 200),  # a reader, not yet read
            (office.production_head, 200),  # handled it
            (office.outsider, 404),
            (other_office.clerk, 404),
        ]:
            client.force_login(user)
            assert client.get(form_url(handled)).status_code == status, user
            assert client.get(form_pdf_url(handled)).status_code == status, user

    def test_an_outgoing_id_is_not_an_incoming_form(self, client, office):
        document = dispatched_document(office)
        client.force_login(office.clerk)
        assert client.get(form_url(document)).status_code == 404
        assert client.get(form_pdf_url(document)).status_code == 404


class TestOutgoingForm:
    @pytest.fixture
    def dispatched(self, office):
        return dispatched_document(office)

    def test_the_print_view_has_the_form_and_not_the_sites_navigation(
        self, client, office, dispatched, django_assert_max_num_queries
    ):
        client.force_login(office.drafter)
        with django_assert_max_num_queries(15):
            page = client.get(reverse("gongwen:outgoing_print", args=[dispatched.pk]))
        text = page.content.decode()
        assert page.status_code == 200
        assert 'class="xt-header' not in text and 'class="xt-footer' not in text
        assert "xt-workbench__menu" not in text
        assert in_order(text, ["发文稿纸", "签发", "同意", "马总", "拟稿人", "何拟稿"]) == []
        assert reverse("gongwen:outgoing_form_pdf", args=[dispatched.pk]) in text

    def test_the_document_page_links_the_print_view(self, client, office, dispatched):
        client.force_login(office.drafter)
        page = client.get(reverse("workflow:documents:document", args=[dispatched.pk]))
        assert reverse("gongwen:outgoing_print", args=[dispatched.pk]) in page.content.decode()

    def test_the_pdf_lists_the_boxes_in_order_with_names_and_dates(
        self, client, office, dispatched, tmp_path
    ):
        client.force_login(office.clerk)
        response = client.get(
            reverse("gongwen:outgoing_form_pdf", args=[dispatched.pk]), HTTP_ACCEPT_LANGUAGE="en"
        )
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        pdf = response.content
        text = layout_text(pdf, tmp_path)
        assert in_order(text, OUTGOING_LABELS) == [], text
        written = dispatched.written_on
        assert (
            in_order(
                text,
                [
                    "同意",
                    f"马总 {written:%Y}年{written.month}月{written.day}日",
                    dispatched.title,
                    dispatched.number_text,
                    "检查表",
                    "何拟稿",
                ],
            )
            == []
        ), text
        info = pdf_info(pdf, tmp_path)
        assert "Pages:           1" in info and "(A4)" in info
        fonts = embedded_fonts(pdf, tmp_path)
        assert {FANGSONG, XIAOBIAOSONG, HEITI, KAITI} <= set(fonts) and all(fonts.values())

    def test_only_those_who_see_the_document_print_it(
        self, client, office, other_office, dispatched
    ):
        for url_name in ("gongwen:outgoing_print", "gongwen:outgoing_form_pdf"):
            url = reverse(url_name, args=[dispatched.pk])
            client.force_login(office.outsider)
            assert client.get(url).status_code == 404
            client.force_login(other_office.clerk)
            assert client.get(url).status_code == 404
            client.force_login(office.clerk)
            assert client.get(url).status_code == 200


def test_nothing_of_the_form_is_closed_before_the_close_step(client, office):
    document = registered_incoming(office, received_on=timezone.localdate() - timedelta(days=2))
    client.force_login(office.clerk)
    text = client.get(form_url(document)).content.decode()
    assert "办结日期" in text and "按期办结" not in text
