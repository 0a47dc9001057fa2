"""The organization tree, kept by the system administrator (information center)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from .. import permissions, services
from ..audit import client_ip
from ..forms import UnitCreateForm, UnitForm, add_service_errors
from ..models import OrgUnit


def _require_unit_manager(request):
    if not permissions.can_manage_units(request.user):
        raise PermissionDenied


def unit_list(request):
    _require_unit_manager(request)
    nodes = OrgUnit.objects.order_by("path")
    return render(request, "people/admin/unit_list.html", {"nodes": nodes})


def unit_create(request):
    _require_unit_manager(request)
    form = UnitCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            node = services.org_unit_create(
                actor=request.user, ip_address=client_ip(request), **data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s created.") % {"name": node.name})
            return redirect("people:unit_list")
    return render(request, "people/admin/unit_form.html", {"form": form, "creating": True})


def unit_edit(request, pk):
    _require_unit_manager(request)
    node = get_object_or_404(OrgUnit, pk=pk)
    form = UnitForm(request.POST or None, instance=OrgUnit.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        services.org_unit_update(
            actor=request.user, node=node, ip_address=client_ip(request), **form.cleaned_data
        )
        messages.success(request, _("Changes saved."))
        return redirect("people:unit_list")
    return render(request, "people/admin/unit_form.html", {"form": form, "node": node})
