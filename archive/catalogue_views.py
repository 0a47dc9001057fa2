"""The catalogue screen (归档文件目录) of a unit's archive, its printout and workbook, and the
transfer packages built from it: for the unit's archivists only. Another unit's fonds or
package answers 404."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from core.xlsx import CONTENT_TYPE as XLSX_CONTENT_TYPE

from . import catalogue, transfers
from .models import FondsSettings, PackageExport, Retention
from .permissions import may_export_package, may_read_catalogue

PAGE_SIZE = 50
RECENT_EXPORTS = 5


class CatalogueFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int, required=False)
    retention = forms.ChoiceField(
        label=pgettext_lazy("catalogue", "Retention"),
        required=False,
        choices=[("", gettext_lazy("All")), *Retention.choices],
    )
    class_code = forms.ChoiceField(
        label=pgettext_lazy("catalogue", "Organisation (subject)"), required=False
    )

    def __init__(self, data, *, years: list[int], class_names: dict[str, str]):
        super().__init__(data)
        self.fields["year"].choices = [(year, year) for year in years]
        self.fields["class_code"].choices = [
            ("", gettext_lazy("All")),
            *((code, f"{code} {name}") for code, name in sorted(class_names.items())),
        ]
        self.latest_year = years[0] if years else None
        self.class_names = class_names

    def filters(self) -> catalogue.CatalogueFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return catalogue.CatalogueFilters(
            # The catalogue is kept per year: the latest one unless another is chosen.
            year=data.get("year") or self.latest_year,
            retention=data.get("retention", ""),
            class_code=data.get("class_code", ""),
        )


def _fonds(request, fonds_pk, rule=may_read_catalogue) -> FondsSettings:
    fonds = get_object_or_404(FondsSettings.objects.select_related("unit"), pk=fonds_pk)
    if not rule(request.user, fonds):
        raise Http404
    return fonds


def _filtered(request, fonds):
    form = CatalogueFilterForm(
        request.GET or None,
        years=catalogue.catalogue_years(fonds),
        class_names=catalogue.class_names(fonds),
    )
    return form, catalogue.catalogue_items(fonds, form.filters())


def catalogue_index(request):
    fonds = catalogue.fonds_kept_by(request.user).first()
    if fonds is None:
        raise PermissionDenied
    return redirect("archive:catalogue", fonds_pk=fonds.pk)


def catalogue_screen(request, fonds_pk):
    fonds = _fonds(request, fonds_pk)
    form, items = _filtered(request, fonds)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(
        request,
        "archive/catalogue/screen.html",
        {
            "fonds": fonds,
            "fonds_choices": catalogue.fonds_kept_by(request.user),
            "form": form,
            "year": form.filters().year,
            "page_obj": page,
            "rows": [
                (item, catalogue.catalogue_row(item), form.class_names.get(item.class_code, ""))
                for item in page
            ],
            "columns": catalogue.column_titles(),
            "query_string": query.urlencode(),
            "exports": PackageExport.objects.filter(fonds=fonds).select_related("requested_by")[
                :RECENT_EXPORTS
            ],
        },
    )


def catalogue_print(request, fonds_pk):
    fonds = _fonds(request, fonds_pk)
    _form, items = _filtered(request, fonds)
    if items.count() > catalogue.MAX_PRINTED_ROWS:
        messages.error(
            request,
            _("More than %(limit)s items: choose a retention or class to print fewer.")
            % {"limit": catalogue.MAX_PRINTED_ROWS},
        )
        screen = reverse("archive:catalogue", kwargs={"fonds_pk": fonds.pk})
        return redirect(f"{screen}?{request.GET.urlencode()}")
    response = HttpResponse(catalogue.catalogue_pdf(fonds, items), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="catalogue-{fonds.fonds_code}.pdf"'
    return response


def catalogue_workbook(request, fonds_pk):
    fonds = _fonds(request, fonds_pk)
    _form, items = _filtered(request, fonds)
    response = HttpResponse(catalogue.catalogue_xlsx(fonds, items), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="catalogue-{fonds.fonds_code}.xlsx"'
    return response


@require_POST
def package_export(request, fonds_pk):
    fonds = _fonds(request, fonds_pk, rule=may_export_package)
    year = request.POST.get("year", "")
    if not year.isdigit() or not 1900 <= int(year) <= 9999:
        messages.error(request, _("Choose the year to transfer."))
    else:
        try:
            transfers.package_export_request(user=request.user, fonds=fonds, year=int(year))
        except transfers.TransferError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("The transfer package of %(year)s is being built; it will be listed below.")
                % {"year": year},
            )
    return redirect("archive:catalogue", fonds_pk=fonds.pk)


def package_download(request, pk):
    export = get_object_or_404(PackageExport.objects.select_related("fonds"), pk=pk)
    if not may_export_package(request.user, export.fonds) or export.state != export.State.DONE:
        raise Http404
    return FileResponse(
        export.package.open("rb"),
        as_attachment=True,
        filename=f"{export.fonds.fonds_code}-{export.year}.zip",
        content_type="application/zip",
    )
