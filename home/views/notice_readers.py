"""Who has read a notice: the issuer's statistics page and its XLSX export."""

import re

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Font

from core.xlsx import CONTENT_TYPE as XLSX_CONTENT_TYPE
from core.xlsx import workbook_bytes

from ..models import NoticePage
from ..notice_stats import (
    NoticeReading,
    notice_audience_with_read_times,
    notice_reading,
    notice_unread_users,
)
from ..permissions import can_view_notice_stats

UNREAD_PER_PAGE = 50
UNSAFE_FILENAME_CHARACTERS = re.compile(r'[\\/:*?"<>|\r\n\t]+')


class UnreadFilterForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int, required=False, empty_value=None)

    def __init__(self, data, *, reading: NoticeReading):
        super().__init__(data)
        self.fields["unit"].choices = [("", gettext("All units"))] + [
            (unit.unit_id, unit.unit_name) for unit in reading.units if unit.unit_id is not None
        ]


def _notice_for_stats(request, pk: int) -> NoticePage:
    notice = get_object_or_404(NoticePage.objects.select_related("issuing_department"), pk=pk)
    if not can_view_notice_stats(request.user, notice):
        raise PermissionDenied
    return notice


def notice_readers(request, pk: int):
    notice = _notice_for_stats(request, pk)
    reading = notice_reading(notice)
    form = UnreadFilterForm(request.GET or None, reading=reading)
    unit_id = form.cleaned_data["unit"] if form.is_valid() else None
    unread = Paginator(notice_unread_users(notice, unit_id=unit_id), UNREAD_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "home/notice_readers.html",
        {"notice": notice, "reading": reading, "form": form, "unit_id": unit_id, "unread": unread},
    )


def notice_readers_export(request, pk: int):
    notice = _notice_for_stats(request, pk)
    workbook = Workbook()
    _write_summary(workbook.active, notice_reading(notice))
    _write_readers(workbook.create_sheet(gettext("Readers")), notice)
    response = HttpResponse(workbook_bytes(workbook), content_type=XLSX_CONTENT_TYPE)
    title = UNSAFE_FILENAME_CHARACTERS.sub(" ", notice.title).strip()
    filename = gettext("Reading status-%(title)s.xlsx") % {"title": title}
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _header(sheet, titles: list[str], widths: list[int]) -> None:
    sheet.append(titles)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDEFGH", widths, strict=False):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"


def _write_summary(sheet, reading: NoticeReading) -> None:
    sheet.title = gettext("By unit")
    _header(
        sheet,
        [
            gettext("Unit"),
            gettext("In audience"),
            gettext("Read"),
            gettext("Unread"),
            gettext("Read rate"),
        ],
        [30, 12, 12, 12, 12],
    )
    for unit in reading.units:
        name = unit.unit_name or gettext("No unit")
        sheet.append([name, unit.audience, unit.read, unit.unread, unit.percent / 100])
    sheet.append(
        [gettext("Total"), reading.audience, reading.read, reading.unread, reading.percent / 100]
    )
    sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    for (cell,) in sheet.iter_rows(min_row=2, min_col=5, max_col=5):
        cell.number_format = "0%"


def _write_readers(sheet, notice: NoticePage) -> None:
    _header(
        sheet,
        [
            gettext("Full name"),
            gettext("Unit"),
            gettext("Department"),
            gettext("Position"),
            gettext("Read at"),
        ],
        [14, 30, 24, 18, 20],
    )
    not_read = gettext("Not read")
    for user in notice_audience_with_read_times(notice).iterator(chunk_size=2000):
        department = user.department
        read_at = user.read_at
        sheet.append(
            [
                user.get_full_name(),
                department.unit.name if department and department.unit else "",
                department.name if department else "",
                user.position,
                # openpyxl stores naive datetimes: write the local wall-clock time.
                timezone.localtime(read_at).replace(tzinfo=None) if read_at else not_read,
            ]
        )
        if read_at:
            sheet.cell(row=sheet.max_row, column=5).number_format = "yyyy-mm-dd hh:mm"
