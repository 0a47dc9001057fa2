"""The process administrator's screens (流程管理员): the unit's running processes, reassigning a
stuck task and cancelling a process, each with a reason and traced by the services."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from viewflow.workflow.models import Task

from people.models import OrgUnit, User

from .. import permissions, registers, selectors, services
from ..models import Document
from ..steps import task_step_title
from .documents import refusal


def _administered_unit(request, unit_pk) -> OrgUnit:
    unit = get_object_or_404(
        OrgUnit, pk=unit_pk, kind__in=[OrgUnit.Kind.HEADQUARTERS, OrgUnit.Kind.UNIT]
    )
    if not permissions.is_process_admin(request.user, unit):
        raise PermissionDenied
    return unit


class ProcessAdminIndexView(View):
    def get(self, request):
        unit = registers.administered_units(request.user).first()
        if unit is None:
            raise PermissionDenied
        return redirect("gongwen:processes", unit_pk=unit.pk)


class RunningProcessesView(View):
    def get(self, request, unit_pk):
        unit = _administered_unit(request, unit_pk)
        return TemplateResponse(
            request,
            "workflow/admin/processes.html",
            {
                "unit": unit,
                "units": registers.administered_units(request.user),
                "processes": registers.running_processes(unit),
                **registers.screen_tabs(request.user),
                "active_tab": "processes",
            },
        )


class ReasonField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            label=gettext_lazy("Reason"),
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3}),
            **kwargs,
        )


class ReassignForm(forms.Form):
    to_user = forms.ModelChoiceField(
        label=gettext_lazy("Hand the task to"), queryset=User.objects.none()
    )
    reason = ReasonField()

    def __init__(self, *args, unit: OrgUnit, current_owner_id: int | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_user"].queryset = permissions.reassign_candidates(unit).exclude(
            pk=current_owner_id
        )
        self.fields["to_user"].label_from_instance = _candidate_label


def _candidate_label(user: User) -> str:
    department = user.department.name if user.department_id else ""
    return f"{user.get_full_name()}（{department}）" if department else user.get_full_name()


class CancelForm(forms.Form):
    reason = ReasonField()


def _apply_service_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            field = {"opinion": "reason"}.get(field, field)
            for message in errors:
                form.add_error(field if field in form.fields else None, message.messages[0])
    else:
        for message in error.messages:
            form.add_error(None, message)


class TaskReassignView(View):
    """Hand a stuck task to another user of the unit (reason required, traced)."""

    template_name = "workflow/admin/reassign.html"

    def dispatch(self, request, task_pk):
        task = get_object_or_404(
            Task.objects.select_related("owner"), pk=task_pk, flow_task_type="HUMAN"
        )
        try:
            self.document = selectors.document_of_task(task)
        except ObjectDoesNotExist:
            raise Http404 from None
        if not permissions.can_manage_process(request.user, self.document):
            raise refusal(request.user, self.document)
        self.task = task
        return super().dispatch(request)

    def form(self, data=None):
        return ReassignForm(data, unit=self.document.unit, current_owner_id=self.task.owner_id)

    def get(self, request):
        return self.render(self.form())

    def post(self, request):
        form = self.form(request.POST)
        if form.is_valid():
            try:
                services.task_reassign(
                    task=self.task,
                    user=request.user,
                    to_user=form.cleaned_data["to_user"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                _apply_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The task was handed to %(name)s.")
                    % {"name": form.cleaned_data["to_user"].get_full_name()},
                )
                return redirect("gongwen:processes", unit_pk=self.document.unit_id)
        return self.render(form, status=400)

    def render(self, form, status=200):
        return TemplateResponse(
            self.request,
            self.template_name,
            {
                "form": form,
                "task": self.task,
                "document": self.document,
                "step_title": task_step_title(self.task),
                "is_open": self.task.status in permissions.ACTIVE_TASK_STATUSES,
                **registers.screen_tabs(self.request.user),
                "active_tab": "processes",
            },
            status=status,
        )


class ProcessCancelView(View):
    """Cancel a document's process (reason required; a given number is voided; traced)."""

    template_name = "workflow/admin/cancel.html"

    def dispatch(self, request, document_pk):
        self.document = get_object_or_404(Document, pk=document_pk).specific
        if not permissions.can_manage_process(request.user, self.document):
            raise refusal(request.user, self.document)
        return super().dispatch(request)

    def get(self, request):
        return self.render(CancelForm())

    def post(self, request):
        form = CancelForm(request.POST)
        if form.is_valid():
            try:
                cancel = (
                    services.incoming_cancel
                    if self.document.kind == Document.Kind.INCOMING
                    else services.process_cancel
                )
                cancel(
                    document=self.document, user=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                _apply_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The process of “%(title)s” was cancelled.") % {"title": self.document.title},
                )
                return redirect("gongwen:processes", unit_pk=self.document.unit_id)
        return self.render(form, status=400)

    def render(self, form, status=200):
        return TemplateResponse(
            self.request,
            self.template_name,
            {
                "form": form,
                "document": self.document,
                **registers.screen_tabs(self.request.user),
                "active_tab": "processes",
            },
            status=status,
        )
