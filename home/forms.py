"""The Wagtail admin forms of the publishing pages."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from people.models import OrgUnit


def org_node_labels() -> dict[int, str]:
    """Each active org node's label as its place in the tree, from its unit down (e.g.
    拖拉机公司 › 财务部), so departments of the same name in several units can be told apart."""
    nodes = {node.pk: node for node in OrgUnit.objects.filter(is_active=True).order_by("path")}
    by_path = {node.path: node for node in nodes.values()}
    labels = {}
    for node in nodes.values():
        unit = nodes.get(node.unit_id, node)
        prefixes = range(unit.depth * OrgUnit.steplen, len(node.path) + 1, OrgUnit.steplen)
        chain = [by_path[node.path[:end]] for end in prefixes if node.path[:end] in by_path]
        labels[node.pk] = " › ".join(item.display_name for item in chain)
    return labels


class OrgTreeLabels:
    """Labels org nodes by their place in the tree, reading the tree once per form."""

    def label_from_instance(self, node):
        if not hasattr(self, "_labels"):
            self._labels = org_node_labels()
        return self._labels.get(node.pk, node.display_name)


class OrgNodeChoiceField(OrgTreeLabels, forms.ModelChoiceField):
    pass


class OrgNodesChoiceField(OrgTreeLabels, forms.ModelMultipleChoiceField):
    pass


class NoticePageForm(WagtailAdminPageForm):
    """The notice editor: units and departments are chosen from the tree, and a notice for
    chosen units needs at least one, judged from what was submitted (the page's own many-to-many
    is only saved after validation)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        nodes = OrgUnit.objects.filter(is_active=True).order_by("path")
        department = self.fields["issuing_department"]
        self.fields["issuing_department"] = OrgNodeChoiceField(
            queryset=nodes,
            label=department.label,
            required=department.required,
            help_text=department.help_text,
        )
        audience_units = self.fields["audience_units"]
        self.fields["audience_units"] = OrgNodesChoiceField(
            queryset=nodes,
            label=audience_units.label,
            required=False,
            help_text=audience_units.help_text,
            widget=forms.CheckboxSelectMultiple,
        )

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("audience") == "chosen" and not cleaned_data.get("audience_units"):
            self.add_error("audience_units", _("Choose at least one unit or department."))
        return cleaned_data
