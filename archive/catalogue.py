"""The catalogue (归档文件目录, DA/T 22-2015 §8.3) of a unit's items: the rows of the screen, and
the printed (PDF) and XLSX catalogue, one section per class (year, retention, class code) with
the standard title block and columns 序号, 档号, 文号, 责任者, 题名, 日期, 页数, 密级, 备注.

Every read is a fixed number of queries whatever the number of items.
"""

from dataclasses import dataclass
from itertools import groupby

from django.conf import settings
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from core.xlsx import workbook_bytes
from workflow.models import Classification
from workflow.redhead.services import font_stacks, render_html_pdf

from .models import ArchiveClassCode, ArchiveItem, FondsSettings, Retention
from .permissions import archivist_unit_ids

# WeasyPrint lays out about a hundred rows a second: a printout beyond this is asked to narrow.
MAX_PRINTED_ROWS = 3000
RETENTION_ORDER = Case(
    *(When(retention=value, then=Value(rank)) for rank, value in enumerate(Retention.values)),
    output_field=IntegerField(),
)


@dataclass(frozen=True)
class CatalogueFilters:
    year: int | None = None
    retention: str = ""
    class_code: str = ""


def fonds_kept_by(user) -> QuerySet[FondsSettings]:
    """The fonds of the units whose archive the user keeps."""
    return (
        FondsSettings.objects.filter(unit_id__in=archivist_unit_ids(user))
        .select_related("unit")
        .order_by("fonds_code")
    )


def catalogue_years(fonds: FondsSettings) -> list[int]:
    """The years with items, latest first."""
    return list(
        ArchiveItem.objects.filter(fonds=fonds)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def class_names(fonds: FondsSettings) -> dict[str, str]:
    """The names of the fonds' class codes (机构/问题), by code."""
    return dict(ArchiveClassCode.objects.filter(fonds=fonds).values_list("code", "name"))


def catalogue_items(fonds: FondsSettings, filters: CatalogueFilters) -> QuerySet[ArchiveItem]:
    """The fonds' items in catalogue order: by year, retention (永久 first), class, item number;
    destroyed items stay listed, marked."""
    items = ArchiveItem.objects.filter(fonds=fonds)
    if filters.year:
        items = items.filter(year=filters.year)
    if filters.retention:
        items = items.filter(retention=filters.retention)
    if filters.class_code:
        items = items.filter(class_code=filters.class_code)
    return items.annotate(retention_rank=RETENTION_ORDER).order_by(
        "year", "retention_rank", "class_code", "item_number"
    )


@dataclass(frozen=True)
class CatalogueRow:
    """One line of the catalogue, as printed."""

    serial: int
    archive_code: str
    doc_number: str
    responsible: str
    title: str
    date: str
    pages: int
    classification: str
    remarks: str
    destroyed: bool

    def cells(self) -> list:
        return [
            self.serial,
            self.archive_code,
            self.doc_number,
            self.responsible,
            self.title,
            self.date,
            self.pages,
            self.classification,
            self.remarks,
        ]


def catalogue_row(item: ArchiveItem) -> CatalogueRow:
    destroyed = item.state == ArchiveItem.State.DESTROYED
    remarks = item.remarks
    if destroyed:
        remarks = " ".join(filter(None, [pgettext("catalogue", "Destroyed"), remarks]))
    return CatalogueRow(
        # 序号: items are numbered from 1 without gaps within their class, so the item number is
        # the line's place in its class's catalogue.
        serial=item.item_number,
        archive_code=item.archive_code,
        doc_number=item.doc_number,
        responsible=item.responsible,
        title=item.title,
        date=item.document_date.strftime("%Y%m%d"),
        pages=item.pages,
        classification=classification_label(item.classification),
        remarks=remarks,
        destroyed=destroyed,
    )


def classification_label(value: str) -> str:
    return str(Classification(value).label) if value in Classification.values else value


def column_titles() -> list[str]:
    return [
        pgettext("catalogue", "No."),
        pgettext("catalogue", "Archive code"),
        pgettext("catalogue", "Document number"),
        pgettext("catalogue", "Responsible party"),
        pgettext("catalogue", "Title"),
        pgettext("catalogue", "Date"),
        pgettext("catalogue", "Pages"),
        pgettext("catalogue", "Classification"),
        pgettext("catalogue", "Remarks"),
    ]


@dataclass(frozen=True)
class CatalogueSection:
    """The catalogue of one class, under its title block."""

    year: int
    retention: str
    retention_label: str
    class_code: str
    class_name: str
    rows: list[CatalogueRow]

    @property
    def key(self) -> str:
        return "-".join(filter(None, [str(self.year), self.retention, self.class_code]))


def catalogue_sections(fonds: FondsSettings, items) -> list[CatalogueSection]:
    names = class_names(fonds)
    sections = []
    for (year, retention, class_code), members in groupby(
        items, key=lambda item: (item.year, item.retention, item.class_code)
    ):
        sections.append(
            CatalogueSection(
                year=year,
                retention=retention,
                retention_label=str(Retention(retention).label),
                class_code=class_code,
                class_name=names.get(class_code, class_code),
                rows=[catalogue_row(item) for item in members],
            )
        )
    return sections


def catalogue_pdf(fonds: FondsSettings, items) -> bytes:
    """The printed catalogue: A4 landscape, each class from a new page under the title block
    归档文件目录 with 全宗号, 年度, 保管期限 and 机构(问题)."""
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "archive/catalogue/print.html",
            {
                "fonds": fonds,
                "sections": catalogue_sections(fonds, items),
                "columns": column_titles(),
                "fonts": font_stacks(),
                "printed_at": timezone.localtime(),
            },
        )
        return render_html_pdf(html)


XLSX_WIDTHS = [6, 30, 20, 16, 48, 10, 6, 8, 16]


def catalogue_xlsx(fonds: FondsSettings, items) -> bytes:
    """The catalogue as a workbook, one sheet per class, headed in Chinese (it is a record)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _catalogue_workbook(fonds, catalogue_sections(fonds, items))


def _catalogue_workbook(fonds: FondsSettings, sections: list[CatalogueSection]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    if not sections:
        workbook.create_sheet(_("Catalogue"))
    for section in sections:
        # A sheet's name holds at most 31 characters, none of []:*?/\ .
        sheet = workbook.create_sheet(section.key[:31])
        sheet.append([_("Catalogue of archived documents")])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=9)
        sheet["A1"].font = Font(bold=True, size=16)
        sheet["A1"].alignment = Alignment(horizontal="center")
        sheet.append(
            [
                pgettext("catalogue", "Fonds code"),
                fonds.fonds_code,
                _("Year"),
                section.year,
                pgettext("catalogue", "Retention"),
                section.retention_label,
                pgettext("catalogue", "Organisation (subject)"),
                section.class_name,
            ]
        )
        sheet.append(column_titles())
        for column, width in enumerate(XLSX_WIDTHS, 1):
            cell = sheet.cell(row=3, column=column)
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center")
            cell.border = border
            sheet.column_dimensions[get_column_letter(column)].width = width
        for row in section.rows:
            sheet.append(row.cells())
            for cell in sheet[sheet.max_row]:
                cell.border = border
                cell.alignment = Alignment(vertical="top", wrap_text=True)
        sheet.freeze_panes = "A4"
        sheet.print_options.horizontalCentered = True
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.print_title_rows = "3:3"
    return workbook_bytes(workbook)
