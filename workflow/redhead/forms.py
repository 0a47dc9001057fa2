from django import forms
from django.utils.translation import gettext_lazy as _

from .models import RedheadTemplate


class RedheadTemplateForm(forms.ModelForm):
    class Meta:
        model = RedheadTemplate
        fields = [
            "issuer_mark",
            "mark_colour",
            "separator_colour",
            "signature_unit",
            "printing_unit",
            "letter_mark",
            "order_mark",
            "minutes_mark",
        ]
        widgets = {
            "mark_colour": forms.TextInput(attrs={"type": "color"}),
            "separator_colour": forms.TextInput(attrs={"type": "color"}),
        }
        labels = {
            "issuer_mark": _("Issuer mark (发文机关标志)"),
            "signature_unit": _("Signature (发文机关署名)"),
            "printing_unit": _("Printing office (印发机关)"),
            "letter_mark": _("Letter mark (信函格式)"),
            "order_mark": _("Order mark (命令格式)"),
            "minutes_mark": _("Minutes mark (纪要格式)"),
        }
