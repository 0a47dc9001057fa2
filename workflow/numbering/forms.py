from django import forms
from django.utils.translation import gettext_lazy as _

from .services import MAX_YEAR


class PrefixForm(forms.Form):
    text = forms.CharField(
        label=_("Prefix"),
        max_length=20,
        help_text=_("The 代字 only, e.g. 一拖 or 东重办; numbers read 一拖〔2026〕15号."),
    )
    order = forms.IntegerField(label=_("Order"), min_value=0, initial=0)
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)
    is_order = forms.BooleanField(
        label=_("Order numbers (令号)"),
        required=False,
        help_text=_("For orders (命令): numbers read 第15号 and are counted on their own."),
    )


class NextSerialForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1, max_value=MAX_YEAR)
    next_serial = forms.IntegerField(
        label=_("Next serial"),
        min_value=1,
        help_text=_("Only forward: the serials skipped are never issued."),
    )


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("Reason for voiding"), max_length=300)
