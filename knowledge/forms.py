from django import forms
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from core.uploads import KNOWLEDGE_FILES
from people.models import OrgUnit, User

from .models import CategoryAccess


class FileUploadForm(forms.Form):
    """A new file of an item, or a new version of one of its files."""

    file = forms.ModelChoiceField(
        label=_("File"),
        queryset=None,
        required=False,
        empty_label=_("— A new file —"),
        help_text=_("Choose a file to upload its new version, or add a new file to the item."),
    )
    title = forms.CharField(
        label=_("Title of the new file"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the file name."),
    )
    upload = forms.FileField(label=_("Upload"))
    change_note = forms.CharField(
        label=_("Change note"),
        max_length=300,
        required=False,
        help_text=_("What changed in this version."),
    )

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].queryset = item.files.all()
        self.fields["upload"].widget.attrs["accept"] = KNOWLEDGE_FILES.accept_attribute()


class CategoryAccessForm(forms.ModelForm):
    class Meta:
        model = CategoryAccess
        fields = ["view_rule", "view_units", "view_groups", "edit_users", "edit_groups"]
        widgets = {
            "view_rule": forms.RadioSelect,
            "view_units": forms.SelectMultiple(attrs={"size": 10}),
            "view_groups": forms.SelectMultiple(attrs={"size": 6}),
            "edit_users": forms.SelectMultiple(attrs={"size": 10}),
            "edit_groups": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["view_units"].queryset = OrgUnit.objects.filter(is_active=True).order_by("path")
        self.fields["view_units"].label_from_instance = lambda unit: (
            "\u3000" * (unit.depth - 1) + unit.name
        )
        # Groups the intranet keeps in step with roles by itself are not for choosing here.
        groups = Group.objects.exclude(name__regex=r"^(knowledge|column)-\d+-").order_by("name")
        self.fields["view_groups"].queryset = groups
        self.fields["edit_groups"].queryset = groups
        self.fields["edit_users"].queryset = (
            User.objects.filter(is_active=True).select_related("department").order_by("username")
        )
        self.fields["edit_users"].label_from_instance = lambda user: (
            f"{user.get_full_name()}（{user.username}）"
            + (f" · {user.department.name}" if user.department_id else "")
        )
