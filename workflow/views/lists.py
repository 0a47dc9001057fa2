"""The outgoing-document lists: my drafts, my to-do (待办) and done (已办) tasks, and the unit's
outgoing register (发文登记簿) with its XLSX export."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views import View
from viewflow.workflow.models import Task

from core.xlsx import CONTENT_TYPE as XLSX_CONTENT_TYPE
from people.models import OrgUnit

from .. import registers, services
from ..filters import DoneTaskFilter, TodoTaskFilter
from ..models import DocumentType, OutgoingDocument, Urgency
from ..numbering.models import DocumentPrefix

PAGE_SIZE = 20
FILTER_FIELDS = "workflow/lists/_filter_fields.html"
ANY = [("", gettext_lazy("All"))]


def _page(request, items, size=PAGE_SIZE):
    return Paginator(items, size).get_page(request.GET.get("page"))


# {(filter class, language): HTML}. An unfiltered list's filter fields are the same for
# everyone (their choices are the flows' steps and fixed lists): rendered once per process.
_unbound_filter_fields: dict[tuple[type, str], str] = {}


def filter_fields(filterset) -> str:
    """The filter form's fields as HTML; widgets render through templates, which is slow."""
    if filterset.form.is_bound:
        return render_to_string(FILTER_FIELDS, {"form": filterset.form})
    key = (type(filterset), get_language())
    if key not in _unbound_filter_fields:
        _unbound_filter_fields[key] = render_to_string(FILTER_FIELDS, {"form": filterset.form})
    return _unbound_filter_fields[key]


class TaskListView(View):
    """To-do or done tasks of the signed-in user, filtered and paged."""

    template_name = "workflow/lists/tasks.html"
    done = False

    def get(self, request):
        if self.done:
            filterset = DoneTaskFilter(request.GET or None, queryset=Task.objects.none())
            tasks = registers.DoneTaskPages(request.user, narrow=filterset.filter_queryset)
        else:
            filterset = TodoTaskFilter(
                request.GET or None, queryset=registers.todo_list(request.user)
            )
            tasks = filterset.qs
        form = filterset.form
        page = _page(request, tasks)
        return TemplateResponse(
            request,
            self.template_name,
            {
                "form": form,
                "filter_fields": filter_fields(filterset),
                "page_obj": page,
                "rows": registers.task_rows(page.object_list, request.user),
                "done": self.done,
                "to_read": [] if self.done else registers.to_read(request.user),
                **registers.screen_tabs(request.user),
                "active_tab": "done" if self.done else "todo",
                "filtered": form.is_bound,
                "days": {
                    "very_urgent": registers.task_days()[Urgency.VERY_URGENT],
                    "urgent": registers.task_days()[Urgency.URGENT],
                    "normal": registers.task_days()[Urgency.NORMAL],
                },
            },
        )


class DraftListView(View):
    """The drafter's documents still at the draft step: never submitted, or returned."""

    def get(self, request):
        page = _page(request, registers.my_drafts(request.user))
        draft_tasks = registers.open_draft_tasks(page.object_list)
        return TemplateResponse(
            request,
            "workflow/lists/drafts.html",
            {
                "page_obj": page,
                "drafts": [(doc, draft_tasks.get(doc.pk)) for doc in page.object_list],
                "returned": OutgoingDocument.Status.IN_PROGRESS,
                **registers.screen_tabs(request.user),
                "active_tab": "drafts",
            },
        )


class DraftDiscardView(View):
    """The drafter throws a never-submitted draft away (its process is cancelled, traced)."""

    def post(self, request, pk):
        document = get_object_or_404(
            registers.my_drafts(request.user), pk=pk, status=OutgoingDocument.Status.DRAFT
        )
        try:
            services.process_cancel(
                document=document,
                user=request.user,
                reason=_("Draft discarded by its drafter."),
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, _("The draft “%(title)s” was discarded.") % {"title": document.title}
            )
        return redirect("gongwen:drafts")


# The outgoing register ---------------------------------------------------------------------


class RegisterFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int, required=False)
    prefix = forms.ModelChoiceField(
        label=gettext_lazy("Prefix"),
        queryset=DocumentPrefix.objects.none(),
        required=False,
        empty_label=gettext_lazy("All"),
    )
    doc_type = forms.ChoiceField(
        label=gettext_lazy("Document type"), required=False, choices=ANY + DocumentType.choices
    )

    def __init__(self, *args, unit: OrgUnit, **kwargs):
        super().__init__(*args, **kwargs)
        self.years = registers.register_years(unit)
        requested = str(self.data.get("year", ""))
        if requested.isdigit() and 1949 <= int(requested) <= 9999:
            self.years = sorted({*self.years, int(requested)}, reverse=True)
        self.fields["year"].choices = [(year, str(year)) for year in self.years]
        self.fields["prefix"].queryset = registers.register_prefixes(unit)

    def filters(self) -> registers.RegisterFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return registers.RegisterFilters(
            year=data.get("year") or self.years[0],
            prefix=data.get("prefix"),
            doc_type=data.get("doc_type", ""),
        )


def _register_unit(request, unit_pk) -> OrgUnit:
    unit = get_object_or_404(
        OrgUnit, pk=unit_pk, kind__in=[OrgUnit.Kind.HEADQUARTERS, OrgUnit.Kind.UNIT]
    )
    if not registers.may_see_register(request.user, unit):
        raise PermissionDenied
    return unit


class RegisterIndexView(View):
    """The register of the (first) unit the user keeps it for."""

    def get(self, request):
        unit = registers.register_units(request.user).first()
        if unit is None:
            raise PermissionDenied
        return redirect("gongwen:register", unit_pk=unit.pk)


class RegisterView(View):
    def get(self, request, unit_pk):
        unit = _register_unit(request, unit_pk)
        form = RegisterFilterForm(request.GET or None, unit=unit)
        filters = form.filters()
        rows = registers.register_rows(registers.register_entries(unit, filters))
        query = request.GET.copy()
        return TemplateResponse(
            request,
            "workflow/lists/register.html",
            {
                "unit": unit,
                "units": registers.register_units(request.user),
                "form": form,
                "filters": filters,
                "rows": rows,
                "void_count": sum(row.is_void for row in rows),
                "query_string": query.urlencode(),
                **registers.screen_tabs(request.user),
                "active_tab": "register",
            },
        )


class RegisterExportView(View):
    def get(self, request, unit_pk):
        unit = _register_unit(request, unit_pk)
        form = RegisterFilterForm(request.GET or None, unit=unit)
        filters = form.filters()
        rows = registers.register_rows(registers.register_entries(unit, filters))
        content = registers.register_xlsx(unit, filters, rows)
        response = HttpResponse(
            content,
            content_type=XLSX_CONTENT_TYPE,
        )
        filename = f"outgoing-register-{unit.code}-{filters.year}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
