"""Forms of the administration and request screens; they parse input, services decide."""

from django import forms
from django.contrib import messages
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import permissions
from .models import AuditEntry, OrgUnit, Role, User
from .selectors.admin import column_pages


class NodeChoiceField(forms.ModelChoiceField):
    """Org nodes indented by depth, so the tree reads as a tree in a select box."""

    def label_from_instance(self, node):
        return f"{'　' * (node.depth - 1)}{node.name}"


def department_field(actor: User, **kwargs) -> NodeChoiceField:
    nodes = permissions.administered_nodes(actor).filter(kind=OrgUnit.Kind.DEPARTMENT)
    return NodeChoiceField(queryset=nodes.order_by("path"), label=_("Department"), **kwargs)


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    unit = NodeChoiceField(queryset=OrgUnit.objects.none(), required=False, label=_("Unit"))
    department = NodeChoiceField(
        queryset=OrgUnit.objects.none(), required=False, label=_("Department")
    )
    role = forms.ChoiceField(required=False, label=_("Role"))
    active = forms.ChoiceField(
        required=False,
        label=_("Status"),
        choices=[("", _("All")), ("1", _("Active")), ("0", _("Disabled"))],
    )

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        nodes = permissions.administered_nodes(actor).order_by("path")
        self.fields["unit"].queryset = nodes.exclude(kind=OrgUnit.Kind.DEPARTMENT)
        self.fields["department"].queryset = nodes.filter(kind=OrgUnit.Kind.DEPARTMENT)
        self.fields["role"].choices = [
            ("", _("All")),
            ("ordinary", _("Ordinary user")),
            *Role.choices,
        ]


class UserAccountForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=50)
    employee_no = forms.CharField(label=_("Employee number"), max_length=32, required=False)
    position = forms.CharField(label=_("Position"), max_length=50, required=False)
    is_leader = forms.BooleanField(label=_("Leader"), required=False)
    gender = forms.ChoiceField(
        label=_("Gender"), choices=[("", "—"), *User.Gender.choices], required=False
    )
    email = forms.EmailField(label=_("Email"), required=False)
    mobile = forms.RegexField(
        label=_("Mobile"),
        regex=r"^1[3-9]\d{9}$",
        required=False,
        error_messages={"invalid": _("Enter an 11-digit mobile number.")},
    )
    office_phone = forms.CharField(label=_("Office phone"), max_length=20, required=False)

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"] = department_field(actor)
        self.order_fields(["username", "name", "employee_no", "department"])


class UserCreateForm(UserAccountForm):
    username = forms.RegexField(
        label=_("Account"),
        regex=r"^[A-Za-z0-9_.-]{2,30}$",
        help_text=_("Usually the employee number; letters, digits, dot, dash, underscore."),
        error_messages={"invalid": _("Use 2 to 30 letters, digits, dots, dashes or underscores.")},
    )
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput(render_value=False),
        help_text=password_validators_help_text_html,
    )

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This account name is already taken."))
        return username


class ConcurrentPostForm(forms.Form):
    position = forms.CharField(label=_("Position"), max_length=50, required=False)

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"] = department_field(actor)
        self.order_fields(["department", "position"])


class PasswordResetForm(forms.Form):
    new_password = forms.CharField(
        label=_("New password"),
        widget=forms.PasswordInput(render_value=False),
        help_text=password_validators_help_text_html,
    )


class ColumnFieldMixin:
    """An optional column (a publishing column page) for column administrator rights."""

    def add_column_field(self):
        self.fields["column"] = forms.ModelChoiceField(
            queryset=column_pages(),
            required=False,
            label=pgettext_lazy("publishing", "Column"),
            help_text=_("Only for column administrators: limit the right to this column."),
        )

    def clean(self):
        data = super().clean()
        if data.get("column") and data.get("role") != Role.COLUMN_ADMIN:
            self.add_error("column", _("Only a column administrator is granted a column."))
        return data


class RoleGrantForm(ColumnFieldMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role"))
    unit = NodeChoiceField(
        queryset=OrgUnit.objects.none(),
        required=False,
        label=_("Scope"),
        help_text=_("The unit whose subtree the role covers; empty for the whole group."),
    )

    def __init__(self, *args, actor: User, target: User, **kwargs):
        super().__init__(*args, **kwargs)
        roles = permissions.grantable_roles(actor, target)
        self.fields["role"].choices = [(role.value, role.label) for role in roles]
        self.fields["unit"].queryset = (
            permissions.administered_nodes(actor)
            .exclude(kind=OrgUnit.Kind.DEPARTMENT)
            .order_by("path")
        )
        self.add_column_field()


class UnitForm(forms.ModelForm):
    class Meta:
        model = OrgUnit
        fields = ["name", "short_name", "sort_order", "doc_prefix", "is_active"]


class UnitCreateForm(UnitForm):
    parent = NodeChoiceField(
        queryset=OrgUnit.objects.exclude(kind=OrgUnit.Kind.DEPARTMENT).order_by("path"),
        label=_("Parent"),
    )

    class Meta(UnitForm.Meta):
        fields = ["parent", "code", "name", "short_name", "kind", "sort_order", "doc_prefix"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (OrgUnit.Kind.UNIT.value, OrgUnit.Kind.UNIT.label),
            (OrgUnit.Kind.DEPARTMENT.value, OrgUnit.Kind.DEPARTMENT.label),
        ]


class PermissionRequestForm(ColumnFieldMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role"))
    unit = NodeChoiceField(queryset=OrgUnit.objects.none(), required=False, label=_("Scope"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, requester: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [
            (role.value, role.label) for role in Role if role != Role.SYSTEM_ADMIN
        ]
        unit = requester.department.unit if requester.department_id else None
        self.fields["unit"].queryset = (
            OrgUnit.objects.filter(pk=unit.pk) if unit else OrgUnit.objects.none()
        )
        self.fields["unit"].initial = unit
        self.add_column_field()
        self.order_fields(["role", "unit", "column", "reason"])


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("reject", _("Reject"))], label=_("Decision")
    )
    opinion = forms.CharField(
        label=_("Opinion"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(required=False, label=_("Action"))
    unit = NodeChoiceField(
        queryset=OrgUnit.objects.exclude(kind=OrgUnit.Kind.DEPARTMENT).order_by("path"),
        required=False,
        label=_("Unit"),
    )
    q = forms.CharField(required=False, label=_("Account or actor"))
    since = forms.DateField(
        required=False, label=_("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        required=False, label=_("To"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All")), *AuditEntry.Action.choices]


def add_service_errors(form: forms.Form, error) -> None:
    """Show a service's ValidationError on the form: on its field where it names one we render."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def flash_service_errors(request, error) -> None:
    """Show a service's ValidationError as messages, for actions posted from another page."""
    for message in error.messages:
        messages.error(request, message)
