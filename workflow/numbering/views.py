"""The document clerk's screens: prefixes, next serials and the number register of a unit."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from people.models import OrgUnit

from . import permissions, selectors, services
from .forms import NextSerialForm, PrefixForm, VoidForm
from .models import DocumentPrefix, IssuedNumber

REGISTER_PAGE_SIZE = 50


def _chosen_unit(request) -> tuple[OrgUnit, list[OrgUnit]]:
    """The unit asked for (?unit=) among those the user keeps, else the first of them."""
    units = list(permissions.managed_units(request.user))
    if not units:
        raise PermissionDenied
    wanted = request.GET.get("unit", "")
    for unit in units:
        if str(unit.pk) == wanted:
            return unit, units
    return units[0], units


def _managed_prefix(request, pk) -> DocumentPrefix:
    prefix = get_object_or_404(DocumentPrefix.objects.select_related("unit"), pk=pk)
    if not permissions.can_manage_numbering(request.user, prefix.unit):
        raise PermissionDenied
    return prefix


def _unit_url(name: str, unit: OrgUnit, **params) -> str:
    return f"{reverse(name)}?{urlencode({'unit': unit.pk, **params})}"


def _show_service_errors(form, error: ValidationError) -> None:
    form.add_error(None, error.messages)


@login_required
def prefix_list(request):
    unit, units = _chosen_unit(request)
    year = services.current_year()
    counters = selectors.unit_counters(unit, year)
    prefixes = [(prefix, counters.get(prefix.pk, 1)) for prefix in selectors.unit_prefixes(unit)]
    return render(
        request,
        "numbering/prefix_list.html",
        {
            "unit": unit,
            "units": units,
            "year": year,
            "prefixes": prefixes,
            "example": services.format_number("一拖", year, 15),
            "changes": selectors.recent_changes(unit),
            "tab": "prefixes",
        },
    )


@login_required
def prefix_create(request):
    unit, units = _chosen_unit(request)
    form = PrefixForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            prefix = services.prefix_create(unit=unit, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _show_service_errors(form, error)
        else:
            messages.success(request, _("Prefix %(prefix)s added.") % {"prefix": prefix.text})
            return redirect(_unit_url("numbering:prefix_list", unit))
    return render(
        request,
        "numbering/prefix_form.html",
        {"form": form, "unit": unit, "units": units, "creating": True},
    )


@login_required
def prefix_edit(request, pk):
    prefix = _managed_prefix(request, pk)
    initial = {
        "text": prefix.text,
        "order": prefix.order,
        "is_active": prefix.is_active,
        "is_order": prefix.is_order,
    }
    form = PrefixForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.prefix_update(prefix=prefix, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _show_service_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(_unit_url("numbering:prefix_list", prefix.unit))
    return render(
        request,
        "numbering/prefix_form.html",
        {"form": form, "unit": prefix.unit, "prefix": prefix},
    )


@login_required
def next_serial(request, pk):
    prefix = _managed_prefix(request, pk)
    year = services.current_year()
    form = NextSerialForm(request.POST or None, initial={"year": year})
    if request.method == "POST" and form.is_valid():
        try:
            counter = services.set_next_serial(
                prefix=prefix, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _show_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The next number of %(prefix)s will be %(number)s.")
                % {
                    "prefix": prefix.text,
                    "number": services.format_number(
                        prefix.text, counter.year, counter.next_serial
                    ),
                },
            )
            return redirect(_unit_url("numbering:prefix_list", prefix.unit))
    counters = prefix.counters.order_by("-year")
    return render(
        request,
        "numbering/next_serial_form.html",
        {"form": form, "unit": prefix.unit, "prefix": prefix, "counters": counters},
    )


@login_required
def number_register(request):
    unit, units = _chosen_unit(request)
    current = services.current_year()
    years = selectors.register_years(unit, current)
    year = _int_or(request.GET.get("year"), current)
    if year not in years:
        year = current
    prefixes = list(selectors.unit_prefixes(unit))
    prefix = next(
        (item for item in prefixes if str(item.pk) == request.GET.get("prefix", "")), None
    )
    numbers = Paginator(selectors.register(unit, year, prefix), REGISTER_PAGE_SIZE)
    page_obj = numbers.get_page(request.GET.get("page"))
    return render(
        request,
        "numbering/register.html",
        {
            "unit": unit,
            "units": units,
            "year": year,
            "years": years,
            "prefixes": prefixes,
            "chosen_prefix": prefix,
            "page_obj": page_obj,
            "void_form": VoidForm(),
            "can_void": permissions.can_void(request.user, unit),
            "tab": "register",
        },
    )


@login_required
@require_POST
def number_void(request, pk):
    number = get_object_or_404(IssuedNumber.objects.select_related("prefix__unit"), pk=pk)
    unit = number.prefix.unit
    if not permissions.can_void(request.user, unit):
        raise PermissionDenied
    form = VoidForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for voiding the number."))
    else:
        try:
            services.void_number(number=number, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("%(number)s is void.") % {"number": number.text})
    return redirect(_unit_url("numbering:register", unit, year=number.year))


def _int_or(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
