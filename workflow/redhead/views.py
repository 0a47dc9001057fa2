"""The process administrator's screen for the unit's red-head template, with a PDF preview."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from people.models import OrgUnit

from . import permissions, services
from .forms import RedheadTemplateForm


def _chosen_unit(request, source) -> tuple[OrgUnit, list[OrgUnit]]:
    """The unit asked for (unit=) among those the user may edit, else the first of them."""
    units = list(permissions.editable_units(request.user))
    if not units:
        raise PermissionDenied
    wanted = source.get("unit", "")
    for unit in units:
        if str(unit.pk) == wanted:
            return unit, units
    return units[0], units


@login_required
def template_edit(request):
    unit, units = _chosen_unit(request, request.GET)
    template = services.template_for(unit)
    form = RedheadTemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        try:
            services.template_update(unit=unit, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request, _("The red-head template of %(unit)s is saved.") % {"unit": unit}
            )
            return redirect(f"{reverse('redhead:template_edit')}?unit={unit.pk}")
    return render(
        request,
        "redhead/template_form.html",
        {"form": form, "unit": unit, "units": units, "template": template},
    )


@login_required
@require_POST
def template_preview(request):
    """The sample document in the template as typed on the form (not saved yet), as a PDF."""
    unit, _units = _chosen_unit(request, request.GET)
    if not permissions.can_edit_template(request.user, unit):
        raise PermissionDenied
    template = services.template_for(unit)
    form = RedheadTemplateForm(request.POST, instance=template)
    try:
        if not form.is_valid():
            raise ValidationError([error for errors in form.errors.values() for error in errors])
        services.validate_template(form.instance)
    except ValidationError as error:
        problems = " ".join(error.messages)
        return HttpResponse(problems, status=400, content_type="text/plain; charset=utf-8")
    pdf = services.render_redhead_pdf(services.sample_content(form.instance))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="redhead-preview.pdf"'
    return response
