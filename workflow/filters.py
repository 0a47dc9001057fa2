"""The filters of the to-do (待办) and done (已办) lists."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import registers
from .models import DocumentType, Urgency

ALL = gettext_lazy("All")
NORMAL = "normal"


def _date_input():
    return forms.DateInput(attrs={"type": "date"})


class PeriodForm(forms.Form):
    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            raise ValidationError(_("The end of the period is before its start."))
        return data


class DoneTaskFilter(django_filters.FilterSet):
    """The dates bound the finish of a done task."""

    date_field = "finished"

    doc_type = django_filters.ChoiceFilter(
        label=gettext_lazy("Document type"),
        choices=DocumentType.choices,
        empty_label=ALL,
        method="filter_doc_type",
    )
    # Normal urgency is stored as the empty string, which django-filter reads as "no filter".
    urgency = django_filters.ChoiceFilter(
        label=gettext_lazy("Urgency"),
        choices=[
            (NORMAL, gettext_lazy("Normal")),
            (Urgency.URGENT, Urgency.URGENT.label),
            (Urgency.VERY_URGENT, Urgency.VERY_URGENT.label),
        ],
        empty_label=ALL,
        method="filter_urgency",
    )
    step = django_filters.ChoiceFilter(
        label=gettext_lazy("Step"),
        choices=registers.step_choices,
        empty_label=ALL,
        method="filter_step",
    )
    date_from = django_filters.DateFilter(
        label=gettext_lazy("From"), widget=_date_input(), method="filter_date_from"
    )
    date_to = django_filters.DateFilter(
        label=gettext_lazy("Until"), widget=_date_input(), method="filter_date_to"
    )

    class Meta:
        form = PeriodForm

    def filter_queryset(self, queryset):
        # A filter that does not validate is explained above the list and ignored as a whole.
        if not self.form.is_valid():
            return queryset
        return super().filter_queryset(queryset)

    def filter_doc_type(self, queryset, name, value):
        return registers.tasks_of_type(queryset, value)

    def filter_urgency(self, queryset, name, value):
        return registers.tasks_of_urgency(queryset, Urgency.NORMAL if value == NORMAL else value)

    def filter_step(self, queryset, name, value):
        return registers.tasks_at_step(queryset, value)

    def filter_date_from(self, queryset, name, value):
        return registers.tasks_since(queryset, value, date_field=self.date_field)

    def filter_date_to(self, queryset, name, value):
        return registers.tasks_until(queryset, value, date_field=self.date_field)


class TodoTaskFilter(DoneTaskFilter):
    """The dates bound the arrival of an open task, which may also be filtered by overdue."""

    date_field = "created"

    overdue = django_filters.BooleanFilter(
        label=gettext_lazy("Overdue only"), widget=forms.CheckboxInput, method="filter_overdue"
    )

    def filter_overdue(self, queryset, name, value):
        return registers.overdue_tasks(queryset) if value else queryset
