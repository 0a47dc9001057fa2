"""The filing screens: 待归档 (documents waiting, grouped as proposed items), the filing form, an
item's page and the unit's archive settings. Every view checks the archivist's (or the unit
administrator's) right on the server; another unit's pages answer 404."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from people.models import OrgUnit

from . import permissions, selectors, services
from .forms import ClassCodeForm, FilingForm, FondsForm, RetentionRulesForm
from .models import ArchiveClassCode, ArchiveItem, ClassScheme, FondsSettings, Retention
from .retention import DEFAULT_RETENTION


def _errors(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


def _unit(unit_pk, allowed: list[int]) -> OrgUnit:
    if not allowed:
        raise Http404
    pk = allowed[0] if unit_pk is None else unit_pk
    if pk not in allowed:
        raise Http404
    return get_object_or_404(OrgUnit, pk=pk)


def _ids(values) -> list[int]:
    ids = []
    for value in values:
        try:
            number = int(value)
        except (TypeError, ValueError):
            continue
        if 0 < number < 2**31 and number not in ids:
            ids.append(number)
    return ids


class ToFileView(LoginRequiredMixin, View):
    """待归档: the unit's closed, unfiled documents as proposed items, newest first."""

    def get(self, request, unit_pk=None):
        allowed = permissions.archivist_unit_ids(request.user)
        unit = _unit(unit_pk, allowed)
        fonds = FondsSettings.objects.filter(unit=unit).first()
        page = selectors.proposed_items(unit, request.GET.get("page")) if fonds else None
        return TemplateResponse(
            request,
            "archive/to_file.html",
            {
                "unit": unit,
                "units": OrgUnit.objects.filter(pk__in=allowed).order_by("name"),
                "fonds": fonds,
                "page_obj": page,
                "url_name": "archive:to_file",
            },
        )


class FilingView(LoginRequiredMixin, View):
    """The filing form of one proposed item: its documents (to remove one or add another),
    retention with a reason, class, access and remarks."""

    def _context(self, request, unit, fonds, ids, form, errors=()):
        documents = selectors.documents_by_id(unit, ids)
        chosen = [d.pk for d in documents]
        default = ""
        if documents:
            default = Retention(services.default_retention(fonds, documents[0])).label
        return {
            "unit": unit,
            "fonds": fonds,
            "documents": documents,
            "addable": selectors.addable_documents(unit, chosen),
            "form": form,
            "errors": errors,
            "default_retention": default,
            "subject_scheme": fonds.scheme == ClassScheme.SUBJECT,
        }

    def _setup(self, request, unit_pk):
        unit = _unit(unit_pk, permissions.archivist_unit_ids(request.user))
        fonds = FondsSettings.objects.filter(unit=unit).first()
        if fonds is None:
            raise Http404
        return unit, fonds

    def _subjects(self, fonds):
        return ArchiveClassCode.objects.filter(fonds=fonds, department__isnull=True)

    def get(self, request, unit_pk):
        unit, fonds = self._setup(request, unit_pk)
        ids = _ids(request.GET.getlist("documents"))
        documents = selectors.proposal_for(unit, ids[0]) if len(ids) == 1 else []
        if documents:
            ids = [d.pk for d in documents]
        initial = {}
        if documents:
            initial["retention"] = services.default_retention(fonds, documents[0])
        form = FilingForm(initial=initial, subjects=self._subjects(fonds))
        return TemplateResponse(
            request, "archive/file_item.html", self._context(request, unit, fonds, ids, form)
        )

    def post(self, request, unit_pk):
        unit, fonds = self._setup(request, unit_pk)
        ids = _ids(request.POST.getlist("documents"))
        form = FilingForm(request.POST, subjects=self._subjects(fonds))
        if "add" in request.POST:
            ids += [pk for pk in _ids([request.POST.get("add_document")]) if pk not in ids]
            form = FilingForm(initial=request.POST.dict(), subjects=self._subjects(fonds))
            context = self._context(request, unit, fonds, ids, form)
            return TemplateResponse(request, "archive/file_item.html", context)
        errors = []
        if form.is_valid():
            try:
                item = services.file_item(request.user, fonds, ids, **form.cleaned_data)
            except ValidationError as error:
                errors = _errors(error)
            else:
                messages.success(request, _("Filed as %(code)s.") % {"code": item.archive_code})
                return redirect("archive:item", pk=item.pk)
        context = self._context(request, unit, fonds, ids, form, errors)
        return TemplateResponse(request, "archive/file_item.html", context, status=400)


class ItemView(LoginRequiredMixin, View):
    def get(self, request, pk):
        try:
            item = selectors.item_page(pk)
        except ArchiveItem.DoesNotExist:
            raise Http404 from None
        if not permissions.can_view_item(request.user, item):
            raise Http404
        return TemplateResponse(
            request,
            "archive/item.html",
            {"item": item, "is_archivist": permissions.is_archivist(request.user, item.fonds)},
        )


class SettingsView(LoginRequiredMixin, View):
    """The unit's archive settings: codes, scheme, class codes and retention rules."""

    def _unit(self, request, unit_pk):
        return _unit(unit_pk, permissions.settings_unit_ids(request.user))

    def _context(self, unit, fonds, **forms):
        departments = OrgUnit.objects.filter(unit=unit, kind=OrgUnit.Kind.DEPARTMENT).order_by(
            "sort_order", "name"
        )
        rules = dict(DEFAULT_RETENTION)
        if fonds is not None:
            rules.update(fonds.retention_rules.values_list("doc_type", "retention"))
        initial = (
            {"fonds_code": fonds.fonds_code, "category_code": fonds.category_code}
            | {"scheme": fonds.scheme}
            if fonds
            else {"category_code": "WS"}
        )
        context = {
            "unit": unit,
            "fonds": fonds,
            "fonds_form": FondsForm(initial=initial),
            "class_form": ClassCodeForm(departments=departments),
            "rules_form": RetentionRulesForm(current=rules),
            "class_codes": fonds.class_codes.select_related("department") if fonds else [],
        }
        context.update(forms)
        return context

    def get(self, request, unit_pk=None):
        unit = self._unit(request, unit_pk)
        fonds = FondsSettings.objects.filter(unit=unit).first()
        return TemplateResponse(request, "archive/settings.html", self._context(unit, fonds))

    def post(self, request, unit_pk=None):
        unit = self._unit(request, unit_pk)
        fonds = FondsSettings.objects.filter(unit=unit).first()
        action = request.POST.get("action")
        try:
            if action == "fonds":
                services.fonds_save(
                    user=request.user,
                    unit=unit,
                    fonds_code=request.POST.get("fonds_code", ""),
                    category_code=request.POST.get("category_code", ""),
                    scheme=request.POST.get("scheme", ""),
                )
            elif fonds is None:
                raise Http404
            elif action == "class_code":
                department_ids = _ids([request.POST.get("department")])
                department = (
                    OrgUnit.objects.filter(pk=department_ids[0]).first() if department_ids else None
                )
                if department_ids and department is None:
                    raise services.ArchiveError(_("Choose a department of this unit."))
                services.class_code_add(
                    user=request.user,
                    fonds=fonds,
                    code=request.POST.get("code", ""),
                    name=request.POST.get("name", ""),
                    department=department,
                )
            elif action == "remove_class_code":
                ids = _ids([request.POST.get("class_code")])
                services.class_code_remove(
                    user=request.user, fonds=fonds, class_code_id=ids[0] if ids else 0
                )
            elif action == "retention":
                rules = {key: request.POST.get(key, "") for key in DEFAULT_RETENTION}
                services.retention_rules_save(user=request.user, fonds=fonds, rules=rules)
            else:
                raise services.ArchiveError(_("Nothing was changed."))
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            for message in _errors(error):
                messages.error(request, message)
            fonds = FondsSettings.objects.filter(unit=unit).first()
            return TemplateResponse(
                request, "archive/settings.html", self._context(unit, fonds), status=400
            )
        messages.success(request, _("The archive settings were saved."))
        return redirect(reverse("archive:settings", args=[unit.pk]))
