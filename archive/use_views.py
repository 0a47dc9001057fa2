"""The archive's use: the reader's page of an item, its files, access requests and their log,
the retention review, destruction and its register. What a user may not see answers 404."""

import mimetypes

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from people.models import Role

from . import access_services, appraisal_services, permissions, use_selectors
from .models import (
    AccessRequest,
    ArchiveFile,
    ArchiveItem,
    DestructionRequest,
    FondsSettings,
    Retention,
)
from .use_forms import (
    AccessDecisionForm,
    AccessLogFilterForm,
    AccessRequestForm,
    DestructionDecisionForm,
    DestructionProposeForm,
    RetentionExtendForm,
)


def _refused(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _form_refused(request, form) -> None:
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)


def _tabs(user) -> dict:
    """Which of the use screens' tabs the user has."""
    return {
        "is_archivist": bool(permissions.archivist_unit_ids(user)),
        "decides_destruction": bool(permissions.destruction_unit_ids(user)),
    }


def _visible_item(request, pk) -> ArchiveItem:
    item = get_object_or_404(ArchiveItem.objects.select_related("fonds__unit"), pk=pk)
    if not permissions.can_see_item(request.user, item):
        raise Http404
    return item


def read(request, pk):
    item = _visible_item(request, pk)
    user = request.user
    return render(
        request,
        "archive/use/read.html",
        {
            "item": item,
            "files": item.files.all() if item.state == ArchiveItem.State.FILED else [],
            "can_view": permissions.can_open_files(user, item, "view"),
            "can_download": permissions.can_open_files(user, item, "download"),
            "can_request": permissions.can_request_access(user, item),
            "form": AccessRequestForm(),
            "my_requests": use_selectors.requests_of(user, item),
        },
    )


def archive_file(request, pk):
    archive_file = get_object_or_404(ArchiveFile.objects.select_related("item__fonds"), pk=pk)
    if not permissions.can_see_item(request.user, archive_file.item) or not archive_file.file:
        raise Http404
    content_type = mimetypes.guess_type(archive_file.name)[0] or "application/octet-stream"
    download = request.GET.get("download") == "1" or content_type != "application/pdf"
    access_services.file_open(user=request.user, archive_file=archive_file, download=download)
    response = FileResponse(
        archive_file.file.open("rb"),
        as_attachment=download,
        filename=archive_file.name,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def request_create(request, pk):
    item = _visible_item(request, pk)
    form = AccessRequestForm(request.POST)
    if not form.is_valid():
        _form_refused(request, form)
        return redirect("archive:read", item.pk)
    try:
        access_services.access_request(user=request.user, item=item, **form.cleaned_data)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Your request has gone to the archivist."))
    return redirect("archive:read", item.pk)


def requests(request):
    pending, borrowed = use_selectors.requests_to_decide(request.user)
    return render(
        request,
        "archive/use/requests.html",
        {
            "mine": use_selectors.requests_of(request.user).order_by("-requested_at")[:100],
            **_tabs(request.user),
            "pending": pending,
            "borrowed": borrowed,
            "decision_form": AccessDecisionForm(),
        },
    )


def _decidable_request(request, pk) -> AccessRequest:
    access_request = get_object_or_404(AccessRequest.objects.select_related("item__fonds"), pk=pk)
    if not permissions.keeps_item(request.user, access_request.item):
        raise Http404
    return access_request


@require_POST
def request_decide(request, pk):
    access_request = _decidable_request(request, pk)
    form = AccessDecisionForm(request.POST)
    if not form.is_valid():
        _form_refused(request, form)
        return redirect("archive:requests")
    try:
        access_services.access_request_decide(
            user=request.user,
            access_request=access_request,
            approve=form.cleaned_data["decision"] == "approve",
            days=form.cleaned_data["days"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        _refused(request, error)
    except PermissionDenied:
        messages.error(request, _("You cannot decide your own request."))
    else:
        messages.success(request, _("The request is decided."))
    return redirect("archive:requests")


@require_POST
def request_return(request, pk):
    access_request = _decidable_request(request, pk)
    try:
        access_services.access_request_return(user=request.user, access_request=access_request)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Recorded as returned."))
    return redirect("archive:requests")


def access_log(request):
    if not permissions.archivist_unit_ids(request.user):
        raise Http404
    form = AccessLogFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    if form.is_bound and not form.is_valid():
        _form_refused(request, form)
    return render(
        request,
        "archive/use/access_log.html",
        {
            "form": form,
            "entries": use_selectors.access_log(request.user, **filters),
            "limit": use_selectors.LOG_PAGE,
            **_tabs(request.user),
        },
    )


def _chosen_fonds(request, unit_ids) -> tuple[FondsSettings | None, list[FondsSettings]]:
    """The fonds of the unit asked for (?unit=), else the first the user may see; 404 for any
    other. None while the user's units have no archive settings yet."""
    if not unit_ids:
        raise Http404
    choices = list(FondsSettings.objects.filter(unit_id__in=unit_ids).select_related("unit"))
    if not choices:
        return None, []
    wanted = request.GET.get("unit") or request.POST.get("unit")
    if wanted is None:
        return choices[0], choices
    chosen = next((fonds for fonds in choices if str(fonds.unit_id) == wanted), None)
    if chosen is None:
        raise Http404
    return chosen, choices


def _no_fonds(request):
    return render(request, "archive/use/no_fonds.html", _tabs(request.user))


def _review_year(value) -> int:
    this_year = timezone.localdate().year
    try:
        year = int(value)
    except (TypeError, ValueError):
        return this_year
    return year if 1949 <= year <= this_year else this_year


def review(request):
    fonds, choices = _chosen_fonds(request, permissions.archivist_unit_ids(request.user))
    if fonds is None:
        return _no_fonds(request)
    year = _review_year(request.GET.get("year"))
    items = list(use_selectors.items_due_for_review(fonds, year))
    for item in items:
        item.current_retention_label = Retention(item.current_retention).label
    return render(
        request,
        "archive/use/review.html",
        {
            "fonds": fonds,
            "choices": choices,
            "year": year,
            "items": items,
            "extend_form": RetentionExtendForm(initial={"year": year}),
            "propose_form": DestructionProposeForm(initial={"year": year}),
            **_tabs(request.user),
        },
    )


def _review_url(fonds: FondsSettings, year) -> str:
    return f"{reverse('archive:review')}?unit={fonds.unit_id}&year={year}"


@require_POST
def retention_extend(request, pk):
    item = get_object_or_404(ArchiveItem.objects.select_related("fonds"), pk=pk)
    if not permissions.can_review(request.user, item.fonds):
        raise Http404
    form = RetentionExtendForm(request.POST)
    year = _review_year(request.POST.get("year"))
    if not form.is_valid():
        _form_refused(request, form)
        return redirect(_review_url(item.fonds, year))
    try:
        appraisal_services.retention_extend(
            user=request.user,
            item=item,
            retention=form.cleaned_data["retention"],
            reason=form.cleaned_data["reason"],
            review_year=year,
        )
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("%(code)s is kept longer.") % {"code": item.archive_code})
    return redirect(_review_url(item.fonds, year))


@require_POST
def destruction_propose(request):
    fonds, _choices = _chosen_fonds(request, permissions.archivist_unit_ids(request.user))
    if fonds is None:
        raise Http404
    year = _review_year(request.POST.get("year"))
    due = use_selectors.items_due_for_review(fonds, year)
    form = DestructionProposeForm(
        request.POST, item_choices=[(item.pk, item.archive_code) for item in due]
    )
    if not form.is_valid():
        _form_refused(request, form)
        return redirect(_review_url(fonds, year))
    try:
        appraisal_services.destruction_propose(
            user=request.user,
            fonds=fonds,
            items=list(due.filter(pk__in=form.cleaned_data["items"])),
            reason=form.cleaned_data["reason"],
            review_year=year,
        )
    except ValidationError as error:
        _refused(request, error)
        return redirect(_review_url(fonds, year))
    messages.success(request, _("Destruction proposed; it awaits two approvals."))
    return redirect("archive:destructions")


def destructions(request):
    if not permissions.destruction_unit_ids(request.user):
        raise Http404
    proposals = list(use_selectors.destructions_for(request.user)[:100])
    for proposal in proposals:
        roles = permissions.destruction_roles_open_to(request.user, proposal)
        proposal.decision_form = (
            DestructionDecisionForm(roles=[(r, Role(r).label) for r in roles]) if roles else None
        )
    return render(
        request,
        "archive/use/destructions.html",
        {"proposals": proposals, **_tabs(request.user)},
    )


@require_POST
def destruction_decide(request, pk):
    destruction = get_object_or_404(DestructionRequest.objects.select_related("fonds"), pk=pk)
    if not permissions.sees_destruction(request.user, destruction.fonds):
        raise Http404
    roles = [(role, role) for role in (Role.ARCHIVIST, Role.UNIT_ADMIN)]
    form = DestructionDecisionForm(request.POST, roles=roles)
    if not form.is_valid():
        _form_refused(request, form)
        return redirect("archive:destructions")
    try:
        appraisal_services.destruction_decide(
            user=request.user,
            destruction=destruction,
            role=form.cleaned_data["role"],
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Your decision is recorded."))
    return redirect("archive:destructions")


def destruction_register(request):
    fonds, choices = _chosen_fonds(request, permissions.destruction_unit_ids(request.user))
    if fonds is None:
        return _no_fonds(request)
    return render(
        request,
        "archive/use/register.html",
        {
            "fonds": fonds,
            "choices": choices,
            "records": use_selectors.destruction_register(fonds),
            "printed_at": timezone.localtime(),
            **_tabs(request.user),
        },
    )
