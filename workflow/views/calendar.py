"""The group's working-day calendar (工作日历): the official holidays and make-up working days
of a year as China's calendar carries them, and the days the office declares over them."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from .. import permissions, registers, services
from ..deadlines import official_adjustments
from ..models import CalendarOverride

FIRST_YEAR, LAST_YEAR = 2004, 2100


class CalendarDayForm(forms.Form):
    day = forms.DateField(
        label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    is_working_day = forms.TypedChoiceField(
        label=gettext_lazy("That day"),
        choices=[("1", gettext_lazy("Working day")), ("0", gettext_lazy("Day off"))],
        coerce=lambda value: value == "1",
    )
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=CalendarOverride._meta.get_field("name").max_length,
        help_text=CalendarOverride._meta.get_field("name").help_text,
    )


class CalendarView(View):
    template_name = "workflow/admin/calendar.html"

    def dispatch(self, request, *args, **kwargs):
        if not permissions.can_keep_calendar(request.user):
            raise PermissionDenied
        try:
            self.year = int(request.GET.get("year") or timezone.localdate().year)
        except ValueError:
            self.year = timezone.localdate().year
        self.year = min(max(self.year, FIRST_YEAR), LAST_YEAR)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.render(CalendarDayForm(initial={"is_working_day": "0"}))

    def post(self, request):
        form = CalendarDayForm(request.POST)
        if form.is_valid():
            try:
                override = services.calendar_day_set(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Changes saved."))
                return redirect(f"{request.path}?year={override.day.year}")
        return self.render(form, status=400)

    def render(self, form, status=200):
        overrides = CalendarOverride.objects.filter(day__year=self.year)
        return TemplateResponse(
            self.request,
            self.template_name,
            {
                "form": form,
                "year": self.year,
                "previous_year": self.year - 1 if self.year > FIRST_YEAR else None,
                "next_year": self.year + 1 if self.year < LAST_YEAR else None,
                "overrides": overrides,
                "official": official_adjustments(self.year),
                **registers.screen_tabs(self.request.user),
                "active_tab": "calendar",
            },
            status=status,
        )


class CalendarDayClearView(View):
    def post(self, request, pk):
        if not permissions.can_keep_calendar(request.user):
            raise PermissionDenied
        override = get_object_or_404(CalendarOverride, pk=pk)
        year = override.day.year
        services.calendar_day_clear(user=request.user, override=override)
        messages.success(request, _("The day counts as China's official calendar says again."))
        return redirect(f"{reverse('gongwen:calendar')}?year={year}")
