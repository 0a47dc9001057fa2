"""Urging and supervision screens (催办/督办): the unit office's overdue and supervision
dashboard with its XLSX export, the urge form, and a leader's supervision and the lead
department's progress report on a document."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from viewflow.workflow.models import Task

from core.xlsx import CONTENT_TYPE as XLSX_CONTENT_TYPE
from people.models import OrgUnit

from .. import permissions, registers, selectors, supervision
from ..exports import table_xlsx
from ..flows import FLOWS
from ..models import Document
from ..selectors import OPEN_STATUSES
from ..services import supervision as services
from ..steps import task_step_title
from .admin import _apply_service_errors

PAGE_SIZE = 50
STATE_CHOICES = [
    ("", gettext_lazy("All watched")),
    ("overdue", gettext_lazy("Overdue")),
    ("due_soon", gettext_lazy("Due by the next working day")),
    ("supervised", gettext_lazy("Under supervision")),
]


def _office_units(user):
    return [
        unit
        for unit in registers.register_units(user)
        if permissions.can_see_supervision_dashboard(user, unit)
    ]


def _dashboard_unit(request, unit_pk) -> OrgUnit:
    unit = get_object_or_404(
        OrgUnit, pk=unit_pk, kind__in=[OrgUnit.Kind.HEADQUARTERS, OrgUnit.Kind.UNIT]
    )
    if not permissions.can_see_supervision_dashboard(request.user, unit):
        raise PermissionDenied
    return unit


def _step_choices():
    steps = {}
    for flow_class in FLOWS:
        for spec in flow_class.steps.specs:
            steps.setdefault(spec.name, spec.title)
    return [("", gettext_lazy("All")), *steps.items()]


class DashboardFilterForm(forms.Form):
    state = forms.ChoiceField(label=gettext_lazy("Show"), choices=STATE_CHOICES, required=False)
    step = forms.ChoiceField(label=gettext_lazy("Step"), required=False)
    department = forms.ModelChoiceField(
        label=gettext_lazy("Department"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=gettext_lazy("All"),
    )

    def __init__(self, *args, unit: OrgUnit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = _step_choices()
        self.fields["department"].queryset = OrgUnit.objects.filter(
            unit=unit, kind=OrgUnit.Kind.DEPARTMENT, is_active=True
        ).order_by("path")

    def filters(self) -> supervision.DashboardFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return supervision.DashboardFilters(
            step=data.get("step", ""),
            department=data.get("department"),
            state=data.get("state", ""),
        )


class DashboardIndexView(View):
    def get(self, request):
        units = _office_units(request.user)
        if not units:
            raise PermissionDenied
        return redirect("gongwen:supervision", unit_pk=units[0].pk)


class DashboardView(View):
    """The unit's open tasks with a deadline or under supervision, for its office."""

    def get(self, request, unit_pk):
        unit = _dashboard_unit(request, unit_pk)
        form = DashboardFilterForm(request.GET or None, unit=unit)
        page = Paginator(supervision.dashboard_tasks(unit, form.filters()), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        query = request.GET.copy()
        query.pop("page", None)
        return TemplateResponse(
            request,
            "workflow/supervision/dashboard.html",
            {
                "unit": unit,
                "units": _office_units(request.user),
                "form": form,
                "page_obj": page,
                "rows": supervision.dashboard_rows(page.object_list),
                "query_string": query.urlencode(),
                "filtered": form.is_bound,
                **registers.screen_tabs(request.user),
                "active_tab": "supervision",
            },
        )


class DashboardExportView(View):
    def get(self, request, unit_pk):
        unit = _dashboard_unit(request, unit_pk)
        form = DashboardFilterForm(request.GET or None, unit=unit)
        rows = supervision.dashboard_rows(supervision.dashboard_tasks(unit, form.filters()))
        response = HttpResponse(_dashboard_xlsx(unit, rows), content_type=XLSX_CONTENT_TYPE)
        filename = f"supervision-{unit.code}-{timezone.localdate():%Y%m%d}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


def _dashboard_xlsx(unit: OrgUnit, rows) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        yes = _("Yes")
        return table_xlsx(
            sheet_title=_("Overdue and supervision"),
            heading=_("%(unit)s overdue and supervised documents, %(day)s")
            % {"unit": unit.name, "day": f"{timezone.localdate():%Y-%m-%d}"},
            columns=[
                (_("No."), 6),
                (_("Title"), 48),
                (_("Current step"), 14),
                (_("Now with"), 12),
                (_("Department"), 16),
                (_("Deadline"), 12),
                (_("Overdue"), 8),
                (_("Under supervision"), 10),
                (_("Latest progress"), 40),
            ],
            rows=[
                [
                    position,
                    row.document.title,
                    row.step_title,
                    row.owner.get_full_name(),
                    row.department.name if row.department else "",
                    row.deadline,
                    yes if row.is_overdue else "",
                    yes if row.supervision else "",
                    row.supervision.last_progress if row.supervision else "",
                ]
                for position, row in enumerate(rows, 1)
            ],
        )


class MessageForm(forms.Form):
    message = forms.CharField(
        label=gettext_lazy("Message"),
        max_length=services.MESSAGE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TaskUrgeView(View):
    """The unit's office urges the owner of an open task (催办)."""

    def dispatch(self, request, task_pk):
        self.task = get_object_or_404(
            Task.objects.select_related("owner"), pk=task_pk, flow_task_type="HUMAN"
        )
        documents = supervision.documents_of_tasks([self.task])
        self.document = documents.get(self.task.process_id)
        if self.document is None or not permissions.can_urge(request.user, self.document):
            raise Http404
        return super().dispatch(request)

    def get(self, request):
        return self.render(MessageForm())

    def post(self, request):
        form = MessageForm(request.POST)
        if form.is_valid():
            try:
                services.task_urge(
                    task=self.task, user=request.user, message=form.cleaned_data["message"]
                )
            except ValidationError as error:
                _apply_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(name)s was urged.") % {"name": self.task.owner.get_full_name()},
                )
                return redirect("gongwen:supervision", unit_pk=self.document.unit_id)
        return self.render(form, status=400)

    def render(self, form, status=200):
        return TemplateResponse(
            self.request,
            "workflow/supervision/urge.html",
            {
                "form": form,
                "task": self.task,
                "document": self.document,
                "step_title": task_step_title(self.task),
                "is_open": self.task.status in OPEN_STATUSES,
                **registers.screen_tabs(self.request.user),
                "active_tab": "supervision",
            },
            status=status,
        )


class SuperviseForm(forms.Form):
    instruction = forms.CharField(
        label=gettext_lazy("Instruction"),
        max_length=services.MESSAGE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ProgressForm(forms.Form):
    progress = forms.CharField(
        label=gettext_lazy("Progress"),
        max_length=services.PROGRESS_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class _DocumentActionView(View):
    form_class = forms.Form
    title = ""

    def dispatch(self, request, document_pk):
        self.document = get_object_or_404(Document.objects.select_related("unit"), pk=document_pk)
        if not self.allowed(request.user):
            raise Http404
        return super().dispatch(request)

    def get(self, request):
        return self.render(self.form_class())

    def post(self, request):
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                self.act(form.cleaned_data)
            except ValidationError as error:
                _apply_service_errors(form, error)
            else:
                messages.success(request, self.done_message)
                return redirect(selectors.document_url(self.document))
        return self.render(form, status=400)

    def render(self, form, status=200):
        return TemplateResponse(
            self.request,
            "workflow/supervision/document_action.html",
            {"form": form, "document": self.document, "title": self.title},
            status=status,
        )


class DocumentSuperviseView(_DocumentActionView):
    """A leader of the unit puts the document under supervision (督办)."""

    form_class = SuperviseForm
    title = gettext_lazy("Put under supervision")
    done_message = gettext_lazy("The document is now under supervision.")

    def allowed(self, user):
        return permissions.can_supervise(user, self.document)

    def act(self, data):
        services.supervision_start(
            document=self.document, user=self.request.user, instruction=data["instruction"]
        )


class ProgressReportView(_DocumentActionView):
    """The lead department reports how a supervised document stands."""

    form_class = ProgressForm
    title = gettext_lazy("Report progress")
    done_message = gettext_lazy("Your progress report was sent to the supervising leader.")

    def allowed(self, user):
        if not hasattr(self.document, "supervision"):
            return False
        tasks = list(supervision.tasks_of_document(self.document))
        lead = supervision.lead_department(self.document.specific, tasks)
        return permissions.can_report_progress(user, lead)

    def act(self, data):
        services.supervision_progress(
            document=self.document, user=self.request.user, progress=data["progress"]
        )
