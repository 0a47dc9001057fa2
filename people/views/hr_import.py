"""Importing accounts from the HR export, and the export template to fill in."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.uploads import HR_IMPORT, check_upload

from .. import hr_import as service
from .. import permissions
from ..audit import client_ip

CHECK = "check"
IMPORT = "import"

TEMPLATE_FILES = {
    "csv": ("text/csv; charset=utf-8", service.template_csv),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        service.template_xlsx,
    ),
}


class HRImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("HR export file"),
        help_text=gettext_lazy("A CSV or XLSX file laid out like the template."),
        widget=forms.ClearableFileInput(attrs={"accept": HR_IMPORT.accept_attribute()}),
    )
    # Set by the submit button pressed; anything but "import" is only a check.
    action = forms.ChoiceField(
        choices=[(CHECK, gettext_lazy("Check file")), (IMPORT, gettext_lazy("Import"))],
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Refused before reading, so an oversized file or a bomb is never held in memory.
        check_upload(upload, HR_IMPORT)
        return upload


def _require_administrator(request) -> None:
    if not permissions.can_administer_any(request.user):
        raise PermissionDenied


def hr_import(request):
    _require_administrator(request)
    result = None
    form = HRImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = service.import_users(
                content=upload.read(),
                file_name=upload.name,
                actor=request.user,
                dry_run=form.cleaned_data["action"] != IMPORT,
                ip_address=client_ip(request),
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            _report_message(request, result)
    return render(request, "people/hr_import.html", {"form": form, "result": result})


def _report_message(request, result: service.ImportResult) -> None:
    if not result.ok:
        rows = len({error.row for error in result.errors})
        messages.error(
            request,
            ngettext(
                "%(count)d row has errors; nothing was imported. Fix it and check again.",
                "%(count)d rows have errors; nothing was imported. Fix them and check again.",
                rows,
            )
            % {"count": rows},
        )
    elif result.applied:
        messages.success(
            request,
            _("Imported %(file)s: %(changed)d accounts changed, %(unchanged)d unchanged.")
            % {
                "file": result.file_name,
                "changed": result.changed_count,
                "unchanged": result.count(service.RowOutcome.UNCHANGED),
            },
        )
    else:
        messages.info(
            request,
            _("The file is valid. Nothing has been changed yet: import it to apply it."),
        )


def hr_import_template(request, file_format: str):
    _require_administrator(request)
    if file_format not in TEMPLATE_FILES:
        raise Http404
    content_type, build = TEMPLATE_FILES[file_format]
    response = HttpResponse(build(), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"hr-import-template.{file_format}"
    )
    return response
