"""The statistics screens. A unit the user may not see answers 404, like the document screens."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.xlsx import CONTENT_TYPE as XLSX_TYPE

from . import charts, exports, permissions, selectors, services
from .models import Figure, MonthlyBulletin
from .periods import PeriodError, current_month, period_from_params, previous_month
from .tables import GROUP_COLUMNS, UNIT_COLUMNS, sorted_rows


def _period(request):
    try:
        return period_from_params(request.GET)
    except PeriodError as error:
        messages.error(request, str(error))
        return current_month()


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def _unit(request, pk, rule=permissions.can_view_unit):
    unit = get_object_or_404(selectors.stats_units(), pk=pk)
    if not rule(request.user, unit):
        raise Http404
    return unit


def index(request):
    if permissions.can_view_group(request.user):
        return redirect("stats:group")
    units = permissions.viewable_units(request.user)
    if not units:
        raise Http404
    return redirect("stats:unit", pk=units[0].pk)


def group(request):
    if not permissions.can_view_group(request.user):
        raise Http404
    period = _period(request)
    rows = selectors.period_figures(period)
    sort = request.GET.get("sort", "")
    descending = request.GET.get("order") != "asc"
    if sort in {column.key for column in GROUP_COLUMNS}:
        rows = sorted_rows(rows, sort, descending)
    else:
        sort = ""
    return render(
        request,
        "stats/group.html",
        {
            "period": period,
            "period_query": urlencode(period.query),
            "table": [
                (
                    row,
                    [(column, column.display(row)) for column in GROUP_COLUMNS],
                    permissions.can_view_unit_lists(request.user, row.unit),
                )
                for row in rows
            ],
            "columns": GROUP_COLUMNS,
            "sort": sort,
            "descending": descending,
            "charts": charts.group_charts(rows),
            "rolled_up_until": selectors.rolled_up_until(),
        },
    )


def group_export(request):
    if not permissions.can_view_group(request.user):
        raise Http404
    period = _period(request)
    content = exports.group_workbook(period, selectors.period_figures(period))
    return _xlsx(content, f"stats-{period.label}")


def unit(request, pk):
    unit = _unit(request, pk)
    period = _period(request)
    (row,) = selectors.period_figures(period, units=[unit], with_durations=True)
    steps = selectors.step_turnarounds(unit, period)
    daily = selectors.daily_figures(unit, period)
    return render(
        request,
        "stats/unit.html",
        {
            "unit": unit,
            "period": period,
            "period_query": urlencode(period.query),
            "row": row,
            "cells": [(column, column.display(row)) for column in UNIT_COLUMNS],
            "steps": steps,
            "daily": daily,
            "charts": charts.unit_charts(daily, steps),
            "top_queries": selectors.top_queries_without_results(unit, period),
            "may_drill_down": permissions.can_view_unit_lists(request.user, unit),
            "may_see_group": permissions.can_view_group(request.user),
            "rolled_up_until": selectors.rolled_up_until(),
        },
    )


def unit_export(request, pk):
    unit = _unit(request, pk)
    period = _period(request)
    content = exports.unit_workbook(
        unit,
        period,
        selectors.daily_figures(unit, period),
        selectors.step_turnarounds(unit, period),
    )
    return _xlsx(content, f"stats-{unit.code}-{period.label}")


def _drill_down_input(request, pk, figure):
    unit = _unit(request, pk, rule=permissions.can_view_unit_lists)
    if figure not in selectors.DRILL_DOWNS:
        raise Http404
    return unit, Figure(figure), _period(request)


def drill_down(request, pk, figure):
    unit, figure, period = _drill_down_input(request, pk, figure)
    return render(
        request,
        "stats/drill_down.html",
        {
            "unit": unit,
            "figure": figure,
            "period": period,
            "period_query": urlencode(period.query),
            "headings": selectors.DRILL_DOWNS[figure],
            "rows": selectors.drill_down(unit, figure, period),
            "limit": selectors.DRILL_DOWN_LIMIT,
        },
    )


def drill_down_export(request, pk, figure):
    unit, figure, period = _drill_down_input(request, pk, figure)
    content = exports.list_workbook(
        figure.label, selectors.DRILL_DOWNS[figure], selectors.drill_down(unit, figure, period)
    )
    return _xlsx(content, f"stats-{unit.code}-{figure.value}-{period.label}")


def bulletins(request):
    if not permissions.can_view_group(request.user):
        raise Http404
    return render(
        request,
        "stats/bulletins.html",
        {
            "bulletins": MonthlyBulletin.objects.all()[:36],
            "last_month": f"{previous_month().start:%Y-%m}",
        },
    )


@require_POST
def bulletin_generate(request):
    if not permissions.can_view_group(request.user):
        raise Http404
    try:
        period = period_from_params({"period": "month", "month": request.POST.get("month", "")})
    except PeriodError as error:
        messages.error(request, str(error))
        return redirect("stats:bulletins")
    services.bulletin_generate(period, user=request.user)
    messages.success(request, _("The bulletin of %(month)s is ready.") % {"month": period.label})
    return redirect("stats:bulletins")


@require_POST
def bulletin_notice(request, pk):
    if not permissions.can_view_group(request.user):
        raise Http404
    bulletin = get_object_or_404(MonthlyBulletin, pk=pk)
    services.bulletin_notice_draft(bulletin, user=request.user)
    messages.success(
        request,
        _("A draft notice with the bulletin attached awaits the notices column's editors."),
    )
    return redirect("stats:bulletins")


def bulletin_pdf(request, pk):
    if not permissions.can_view_group(request.user):
        raise Http404
    bulletin = get_object_or_404(MonthlyBulletin, pk=pk)
    response = HttpResponse(bulletin.pdf.read(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bulletin-{bulletin.month:%Y-%m}.pdf"'
    return response
