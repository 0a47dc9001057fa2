"""The unit's incoming register (收文登记簿) and its XLSX export, beside the outgoing one and
for the same people: the unit's document clerks and process administrators."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy
from django.views import View

from core.xlsx import CONTENT_TYPE as XLSX_CONTENT_TYPE

from .. import incoming_registers, registers
from ..models import Urgency
from .lists import _register_unit

PAGE_SIZE = 50
# Normal urgency is stored empty; the filter needs a value of its own for it.
NORMAL = "normal"
DATE_INPUT = forms.DateInput(attrs={"type": "date"})


class IncomingFilterForm(forms.Form):
    received_from = forms.DateField(
        label=gettext_lazy("Received from"), required=False, widget=DATE_INPUT
    )
    received_to = forms.DateField(
        label=gettext_lazy("Received until"), required=False, widget=DATE_INPUT
    )
    sender = forms.CharField(label=gettext_lazy("Sending unit"), max_length=100, required=False)
    urgency = forms.ChoiceField(
        label=gettext_lazy("Urgency"),
        required=False,
        choices=[
            ("", gettext_lazy("All")),
            *((value or NORMAL, label) for value, label in Urgency.choices),
        ],
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[
            ("", gettext_lazy("All")),
            (incoming_registers.OPEN, gettext_lazy("Being handled")),
            (incoming_registers.CLOSED, gettext_lazy("Closed")),
        ],
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            raise forms.ValidationError(gettext_lazy("The period ends before it starts."))
        return data

    def filters(self) -> incoming_registers.IncomingFilters:
        data = self.cleaned_data if self.is_valid() else {}
        urgency = data.get("urgency", "")
        return incoming_registers.IncomingFilters(
            received_from=data.get("received_from"),
            received_to=data.get("received_to"),
            sender=data.get("sender", "").strip(),
            urgency=None if not urgency else "" if urgency == NORMAL else urgency,
            status=data.get("status", ""),
        )


class IncomingRegisterIndexView(View):
    def get(self, request):
        unit = registers.register_units(request.user).first()
        if unit is None:
            raise PermissionDenied
        return redirect("gongwen:incoming_register", unit_pk=unit.pk)


class IncomingRegisterView(View):
    def get(self, request, unit_pk):
        unit = _register_unit(request, unit_pk)
        form = IncomingFilterForm(request.GET or None)
        documents = incoming_registers.incoming_entries(unit, form.filters())
        page = Paginator(documents, PAGE_SIZE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return TemplateResponse(
            request,
            "workflow/lists/incoming_register.html",
            {
                "unit": unit,
                "units": registers.register_units(request.user),
                "form": form,
                "page_obj": page,
                "query_string": query.urlencode(),
                "filtered": form.is_bound,
                **registers.screen_tabs(request.user),
                "active_tab": "incoming_register",
            },
        )


class IncomingRegisterExportView(View):
    def get(self, request, unit_pk):
        unit = _register_unit(request, unit_pk)
        form = IncomingFilterForm(request.GET or None)
        documents = incoming_registers.incoming_entries(unit, form.filters())
        response = HttpResponse(
            incoming_registers.incoming_xlsx(unit, documents), content_type=XLSX_CONTENT_TYPE
        )
        response["Content-Disposition"] = (
            f'attachment; filename="incoming-register-{unit.code}.xlsx"'
        )
        return response
