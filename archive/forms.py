from django import forms
from django.utils.translation import gettext_lazy as _

from workflow.models import DocumentType

from .models import ArchiveItem, ClassScheme, Retention
from .retention import INCOMING, retention_keys


class FondsForm(forms.Form):
    fonds_code = forms.CharField(label=_("fonds code"), max_length=12)
    category_code = forms.CharField(label=_("record category code"), max_length=4, initial="WS")
    scheme = forms.ChoiceField(label=_("classification scheme"), choices=ClassScheme.choices)


class ClassCodeForm(forms.Form):
    code = forms.CharField(label=_("code"), max_length=12)
    name = forms.CharField(label=_("name"), max_length=100)
    department = forms.ChoiceField(label=_("department"), required=False)

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", _("None (a subject)"))] + [
            (d.pk, d.name) for d in departments
        ]


def retention_label(key: str) -> str:
    return str(_("Incoming documents")) if key == INCOMING else str(DocumentType(key).label)


class RetentionRulesForm(forms.Form):
    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for key in retention_keys():
            self.fields[key] = forms.ChoiceField(
                label=retention_label(key), choices=Retention.choices, initial=current[key]
            )


class FilingForm(forms.Form):
    retention = forms.ChoiceField(label=_("retention"), choices=Retention.choices)
    reason = forms.CharField(
        label=_("reason for the retention"),
        max_length=300,
        required=False,
        help_text=_("Required when the retention differs from the default for the type."),
    )
    class_code = forms.ChoiceField(label=_("class code"), required=False)
    access = forms.ChoiceField(
        label=_("access"), choices=ArchiveItem.Access.choices, initial=ArchiveItem.Access.CONTROLLED
    )
    remarks = forms.CharField(label=_("remarks"), max_length=300, required=False)

    def __init__(self, *args, subjects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["class_code"].choices = [("", "—")] + [(c.code, str(c)) for c in subjects]
