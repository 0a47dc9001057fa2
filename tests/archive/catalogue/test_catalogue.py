"""The catalogue (归档文件目录): its rows and order, filters, destroyed items, who may see it,
the printed PDF and the XLSX workbook, and its queries."""

import subprocess
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from archive import catalogue
from archive.models import Retention
from tests.factories.archive import archived_item

pytestmark = pytest.mark.django_db


def url(name, fonds, **query):
    path = reverse(f"archive:{name}", kwargs={"fonds_pk": fonds.pk})
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def codes(response) -> list[str]:
    return [row.archive_code for _item, row, _class in response.context["rows"]]


@pytest.fixture
def items(fonds, archivist):
    """Two classes of 2025 in two retentions, and one item of 2024."""
    return [
        archived_item(fonds, archivist, number=1, retention=Retention.TEN_YEARS),
        archived_item(fonds, archivist, number=2, retention=Retention.THIRTY_YEARS),
        archived_item(fonds, archivist, number=1, retention=Retention.THIRTY_YEARS),
        archived_item(fonds, archivist, number=1, retention=Retention.PERMANENT),
        archived_item(
            fonds, archivist, number=1, retention=Retention.THIRTY_YEARS, class_code="SCB"
        ),
        archived_item(fonds, archivist, number=1, year=2024, title="上年度的通知"),
    ]


def test_the_catalogue_lists_the_latest_year_by_retention_class_and_item_number(
    archivist_client, fonds, items
):
    response = archivist_client.get(url("catalogue", fonds))

    assert response.status_code == 200
    assert codes(response) == [
        "Z109-WS·2025-Y-BGS-0001",
        "Z109-WS·2025-D30-BGS-0001",
        "Z109-WS·2025-D30-BGS-0002",
        "Z109-WS·2025-D30-SCB-0001",
        "Z109-WS·2025-D10-BGS-0001",
    ]
    row = response.context["rows"][0][1]
    assert response.context["rows"][0][2] == "办公室"
    assert row.cells() == [
        1,
        "Z109-WS·2025-Y-BGS-0001",
        "甲办〔2025〕1号",
        "甲单位",
        "关于做好年度安全生产工作的通知",
        "20250310",
        1,
        "非密",
        "",
    ]
    html = response.content.decode()
    for column in ("序号", "档号", "文号", "责任者", "题名", "日期", "页数", "密级", "备注"):
        assert f"<th>{column}</th>" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"year": 2024}, ["Z109-WS·2024-D30-BGS-0001"]),
        ({"year": 2025, "retention": "Y"}, ["Z109-WS·2025-Y-BGS-0001"]),
        ({"year": 2025, "class_code": "SCB"}, ["Z109-WS·2025-D30-SCB-0001"]),
        (
            {"year": 2025, "retention": "D30", "class_code": "BGS"},
            ["Z109-WS·2025-D30-BGS-0001", "Z109-WS·2025-D30-BGS-0002"],
        ),
    ],
)
def test_filters_narrow_the_catalogue(archivist_client, fonds, items, query, expected):
    assert codes(archivist_client.get(url("catalogue", fonds, **query))) == expected


@pytest.mark.parametrize(
    "query", [{"year": "abc"}, {"year": "1999"}, {"retention": "X"}, {"page": "x"}, {"page": "99"}]
)
def test_malformed_filters_get_a_message_and_never_fail(archivist_client, fonds, items, query):
    response = archivist_client.get(url("catalogue", fonds, **query))

    assert response.status_code == 200
    if "page" not in query:
        assert response.context["form"].errors


def test_destroyed_items_stay_listed_and_marked(archivist_client, fonds, items):
    items[3].mark_destroyed()

    response = archivist_client.get(url("catalogue", fonds, retention="Y", year=2025))

    _item, row, _class = response.context["rows"][0]
    assert row.destroyed and row.remarks.startswith("已销毁")
    assert 'data-testid="destroyed-mark"' in response.content.decode()


def test_only_the_units_archivists_see_its_catalogue(
    client, staff, archivist_client, other_archivist_client, fonds, items
):
    client.force_login(staff)  # of the same unit, not an archivist

    assert client.get(url("catalogue", fonds)).status_code == 404
    assert client.get(url("catalogue_print", fonds)).status_code == 404
    assert client.get(url("catalogue_xlsx", fonds)).status_code == 404
    assert client.get(reverse("archive:catalogue_index")).status_code == 403
    for name in ("catalogue", "catalogue_print", "catalogue_xlsx"):
        assert other_archivist_client.get(url(name, fonds)).status_code == 404
    assert archivist_client.get(reverse("archive:catalogue_index")).url == url("catalogue", fonds)


def test_the_screen_reads_in_the_same_queries_for_few_or_many_items(
    archivist_client, fonds, archivist, django_assert_max_num_queries
):
    archived_item(fonds, archivist, number=1)
    archivist_client.get(url("catalogue", fonds))  # the user's roles are cached from here on
    with django_assert_max_num_queries(15) as few:
        archivist_client.get(url("catalogue", fonds))
    for number in range(2, 61):
        archived_item(fonds, archivist, number=number)

    with django_assert_max_num_queries(len(few)) as many:
        response = archivist_client.get(url("catalogue", fonds, page=2))

    assert len(response.context["rows"]) == 10
    assert len(many) == len(few)


@pytest.mark.parametrize("name", ["catalogue_print", "catalogue_xlsx"])
def test_the_printout_and_workbook_read_in_a_few_queries(
    archivist_client, fonds, archivist, name, django_assert_max_num_queries
):
    for number in range(1, 41):
        archived_item(fonds, archivist, number=number, class_code=("BGS", "SCB")[number % 2])
    archivist_client.get(url("catalogue", fonds))

    with django_assert_max_num_queries(10):
        assert archivist_client.get(url(name, fonds)).status_code == 200


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "catalogue.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def test_the_printout_has_a_title_block_per_class_on_landscape_pages(
    archivist_client, fonds, items, tmp_path
):
    response = archivist_client.get(url("catalogue_print", fonds, year=2025))

    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    pages = text.split("\f")[:-1]
    assert len(pages) == 4  # Y-BGS, D30-BGS, D30-SCB, D10-BGS: each class from a new page
    assert all("归档文件目录" in page and "全宗号：Z109" in page for page in pages)
    assert "保管期限：定期30年" in pages[2] and "机构（问题）：生产部" in pages[2]
    assert "Z109-WS·2025-D30-BGS-0002" in pages[1] and "20250310" in pages[1]
    info = subprocess.run(
        ["pdfinfo", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert "841.89 x 595.276" in info  # A4 landscape, in points


def test_a_printout_too_long_is_refused_with_a_message(archivist_client, fonds, items, monkeypatch):
    monkeypatch.setattr(catalogue, "MAX_PRINTED_ROWS", 2)

    response = archivist_client.get(url("catalogue_print", fonds, year=2025), follow=True)

    assert response.redirect_chain[0][0] == url("catalogue", fonds, year=2025)
    assert "超过 2 件" in response.content.decode()


def test_the_workbook_has_a_sheet_per_class_with_the_standard_columns_and_no_formulas(
    archivist_client, fonds, archivist
):
    archived_item(fonds, archivist, number=1, title='=HYPERLINK("http://evil","点击")')
    archived_item(fonds, archivist, number=1, class_code="SCB")

    response = archivist_client.get(url("catalogue_xlsx", fonds))

    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames == ["2025-D30-BGS", "2025-D30-SCB"]
    sheet = workbook["2025-D30-BGS"]
    assert sheet["A1"].value == "归档文件目录"
    assert [cell.value for cell in sheet[2]][:8] == [
        "全宗号", "Z109", "年度", 2025, "保管期限", "定期30年", "机构（问题）", "办公室"
    ]  # fmt: skip
    assert [cell.value for cell in sheet[3]] == [
        "序号", "档号", "文号", "责任者", "题名", "日期", "页数", "密级", "备注"
    ]  # fmt: skip
    title = sheet["E4"]
    assert title.value == '=HYPERLINK("http://evil","点击")'
    assert title.data_type == "s" and title.quotePrefix
