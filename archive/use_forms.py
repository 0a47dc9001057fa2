"""Forms of the archive's use: they parse input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .access_services import MAX_DAYS, REASON_LENGTH
from .labels import ACCESS_KINDS
from .models import Retention

DECISIONS = [("approve", _("Approve")), ("refuse", _("Refuse"))]


class AccessRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("I want to"), choices=list(ACCESS_KINDS.items()), widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=REASON_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )


class AccessDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS)
    days = forms.IntegerField(
        label=_("Days"),
        min_value=1,
        max_value=MAX_DAYS,
        required=False,
        widget=forms.NumberInput(
            attrs={"placeholder": "7 / 30", "title": _("Default: 7 days to read, 30 to borrow.")}
        ),
    )
    note = forms.CharField(
        label=pgettext_lazy("archive", "Note"), max_length=REASON_LENGTH, required=False
    )


class AccessLogFilterForm(forms.Form):
    archive_code = forms.CharField(label=_("Archive code"), max_length=80, required=False)
    person = forms.CharField(label=_("Person"), max_length=150, required=False)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class RetentionExtendForm(forms.Form):
    retention = forms.ChoiceField(
        label=_("New retention"),
        choices=[(r.value, r.label) for r in (Retention.THIRTY_YEARS, Retention.PERMANENT)],
    )
    reason = forms.CharField(label=_("Reason"), max_length=REASON_LENGTH)
    year = forms.IntegerField(min_value=1949, max_value=9999, widget=forms.HiddenInput)


class DestructionProposeForm(forms.Form):
    items = forms.TypedMultipleChoiceField(label=_("Items"), coerce=int)
    reason = forms.CharField(
        label=_("Reason for destruction"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    year = forms.IntegerField(min_value=1949, max_value=9999, widget=forms.HiddenInput)

    def __init__(self, *args, item_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = item_choices


class DestructionDecisionForm(forms.Form):
    role = forms.ChoiceField(label=_("As"))
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS)
    note = forms.CharField(
        label=pgettext_lazy("archive", "Note"), max_length=REASON_LENGTH, required=False
    )

    def __init__(self, *args, roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = roles
