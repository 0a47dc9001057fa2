"""The document's processing form (发文稿纸) read-only, drafting (new, edit, attachments),
withdrawal, permission-checked downloads and delegations."""

from itertools import groupby

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from viewflow.workflow.models import Task

from core.uploads import DOCUMENT_BODY, PDF
from people.models import User

from .. import permissions, selectors, services
from ..forms import AttachmentForm, DelegationForm, DocumentForm
from ..models import Delegation, Document, DocumentAttachment, OutgoingDocument, TraceEntry
from ..steps import ROLE_TITLES, step_title, task_step_title
from .circulation import circulation_panel

OPINION_ACTIONS = {
    TraceEntry.Action.SUBMIT,
    TraceEntry.Action.APPROVE,
    TraceEntry.Action.COUNTERSIGN,
    TraceEntry.Action.SIGN_OFF,
    TraceEntry.Action.RETURN,
    TraceEntry.Action.REJECT,
    TraceEntry.Action.WITHDRAW,
    TraceEntry.Action.PROOFREAD,
}


def _opinions(entries, *steps):
    return [e for e in entries if e.step in steps and e.action in OPINION_ACTIONS]


def handling_context(request, document) -> dict:
    """What every document's page shows: the trace grouped by step (`entries` as a list) and
    the open tasks with their screens and whether this user may withdraw them."""
    entries = list(document.trace_entries.all())
    for entry in entries:
        entry.step_title = step_title(entry.step)
        entry.role_title = ROLE_TITLES.get(entry.role, entry.role)
        entry.to_step_title = step_title(entry.extra.get("to_step", ""))
    trace_groups = [
        {"title": step_title(step), "entries": list(group)}
        for step, group in groupby(entries, key=lambda e: e.step)
    ]
    open_tasks = selectors.open_tasks_of(document)
    user = request.user
    # Only someone who acted may withdraw, and nothing once an open task was opened: both show
    # in the trace already read, which spares the engine's check its queries.
    opened = {e.task_id for e in entries if e.action == TraceEntry.Action.OPEN}
    may_withdraw = any(user.pk in (e.actor_id, e.on_behalf_of_id) for e in entries) and not any(
        task.pk in opened for task in open_tasks
    )
    for task in open_tasks:
        task.step_title = task_step_title(task)
        task.screen_url = (
            selectors.task_url(task) if permissions.can_act_on_task(user, task) else ""
        )
        task.withdrawable = may_withdraw and services.can_withdraw(user, task)
    return {
        "document": document,
        "entries": entries,
        "trace_groups": trace_groups,
        "open_tasks": open_tasks,
        "process": document.process,
    }


def form_context(request, document: OutgoingDocument) -> dict:
    """What the processing form shows: elements, opinions per box, the trace grouped by step,
    open tasks with their screens, and what this user may do."""
    context = handling_context(request, document)
    entries, open_tasks, user = context["entries"], context["open_tasks"], request.user
    proofreaders = [e for e in entries if e.action == TraceEntry.Action.PROOFREAD]
    manages_dispatch = permissions.can_manage_dispatch(user, document)
    return {
        **context,
        "deliveries": selectors.deliveries_of(document),
        "may_resend": manages_dispatch,
        "may_close": manages_dispatch and document.status == OutgoingDocument.Status.DISPATCHED,
        "sign_off_opinions": _opinions(entries, "sign_off"),
        "countersign_opinions": _opinions(entries, "countersign"),
        "check_opinions": _opinions(entries, "check", "verify"),
        "proofreader": proofreaders[-1].actor_name if proofreaders else "",
        "can_download": True,
        "is_drafting": any(
            t.flow_task.name == "draft" and t.owner_id == user.pk for t in open_tasks
        ),
    }


def visible_document(request, documents=OutgoingDocument, **lookup) -> OutgoingDocument:
    """The document (from `documents`, a model or queryset), or 404 for those who may not see
    it: a 403 would confirm that the id exists, so ids could be enumerated (the API answers the
    same)."""
    document = get_object_or_404(documents, **lookup)
    if not permissions.can_view_document(request.user, document):
        raise Http404
    return document


def visible_process_document(request, process_pk):
    """The document of a process of any flow, as its own kind, or 404 as `visible_document`."""
    found = get_object_or_404(
        Document,
        Q(outgoingdocument__process__pk=process_pk) | Q(incomingdocument__process__pk=process_pk),
    )
    document = found.specific
    if not permissions.can_view_document(request.user, document):
        raise Http404
    return document


def refusal(user, document: OutgoingDocument) -> Exception:
    """What to raise when `user` may not do something to the document: 403 if they see it."""
    if permissions.can_view_document(user, document):
        return PermissionDenied()
    return Http404()


class DocumentDetailView(View):
    def get(self, request, pk):
        document = visible_document(request, selectors.document_forms(), pk=pk)
        context = {**form_context(request, document), **circulation_panel(request, document)}
        return TemplateResponse(request, "workflow/document.html", context)


class DocumentCreateView(View):
    template_name = "workflow/document_form.html"

    def get(self, request):
        if not permissions.can_create_document(request.user):
            raise PermissionDenied
        form = DocumentForm(initial={"copies": 1, "classification": "non_secret"})
        return TemplateResponse(request, self.template_name, {"form": form, "creating": True})

    def post(self, request):
        if not permissions.can_create_document(request.user):
            raise PermissionDenied
        form = DocumentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                document = services.document_create(
                    user=request.user,
                    body_file=form.cleaned_data.get("body_file"),
                    **form.service_arguments(),
                )
            except services.DocumentError as error:
                form_errors(form, error)
            else:
                messages.success(request, _("The draft is saved."))
                return redirect("workflow:documents:document_edit", pk=document.pk)
        context = {"form": form, "creating": True}
        return TemplateResponse(request, self.template_name, context, status=400)


class DocumentEditView(View):
    """The drafter's editing of the elements and attachments while the draft is theirs."""

    template_name = "workflow/document_form.html"

    def _document(self, request, pk):
        document = visible_document(request, pk=pk)
        draft = [
            t
            for t in selectors.open_tasks_of(document)
            if t.flow_task.name == "draft" and t.owner_id == request.user.pk
        ]
        if not draft:
            raise PermissionDenied
        return document, draft[0]

    def context(self, document, draft, form, attachment_form):
        return {
            "form": form,
            "attachment_form": attachment_form,
            "document": document,
            "attachments": document.attachments.all(),
            "draft_url": selectors.task_url(draft),
        }

    def get(self, request, pk):
        document, draft = self._document(request, pk)
        form = DocumentForm(initial=DocumentForm.initial_for(document))
        context = self.context(document, draft, form, AttachmentForm())
        return TemplateResponse(request, self.template_name, context)

    def post(self, request, pk):
        document, draft = self._document(request, pk)
        form = DocumentForm(initial=DocumentForm.initial_for(document))
        attachment_form = AttachmentForm()
        try:
            if "remove_attachment" in request.POST:
                attachment = get_object_or_404(
                    DocumentAttachment, pk=request.POST["remove_attachment"], document=document
                )
                services.attachment_remove(attachment=attachment, user=request.user)
                messages.success(request, _("The attachment is removed."))
                return redirect("workflow:documents:document_edit", pk=pk)
            if "add_attachment" in request.POST:
                attachment_form = AttachmentForm(request.POST, request.FILES)
                if attachment_form.is_valid():
                    services.attachment_add(
                        document=document, user=request.user, **attachment_form.cleaned_data
                    )
                    messages.success(request, _("The attachment is added."))
                    return redirect("workflow:documents:document_edit", pk=pk)
            else:
                form = DocumentForm(request.POST, request.FILES)
                if form.is_valid():
                    services.document_update(
                        document=document,
                        user=request.user,
                        body_file=form.cleaned_data.get("body_file"),
                        **form.service_arguments(),
                    )
                    messages.success(request, _("The draft is saved."))
                    if "to_submit" in request.POST:
                        return redirect(selectors.task_url(draft))
                    return redirect("workflow:documents:document_edit", pk=pk)
        except services.DocumentError as error:
            form_errors(attachment_form if "add_attachment" in request.POST else form, error)
        context = self.context(document, draft, form, attachment_form)
        return TemplateResponse(request, self.template_name, context, status=400)


def form_errors(form, error, aliases: dict | None = None) -> None:
    """Show a service's validation error on the form field it names (or on the form)."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for field, errors in error.error_dict.items():
        field = (aliases or {}).get(field, field)
        for message in errors:
            form.add_error(field if field in form.fields else None, message.messages[0])


class WithdrawView(View):
    def post(self, request, pk, task_pk):
        document = visible_document(request, pk=pk)
        task = get_object_or_404(Task, pk=task_pk, process_id=document.process.pk)
        try:
            services.task_withdraw(
                task=task, user=request.user, reason=request.POST.get("reason", "")
            )
        except services.DocumentError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("The document is withdrawn to you."))
        return redirect("workflow:documents:document", pk=pk)


def _downloadable_document(request, pk, model=OutgoingDocument):
    document = get_object_or_404(model, pk=pk)
    if model is Document:
        document = document.specific
    if not permissions.can_download(request.user, document):
        raise Http404
    return document


def _file_response(file_field, filename: str, content_type: str):
    """Always a download, typed by the checked content, never by the name the user gave it."""
    if not file_field:
        raise Http404
    response = FileResponse(
        file_field.open("rb"), as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


class AttachmentDownloadView(View):
    def get(self, request, pk, attachment_pk):
        document = _downloadable_document(request, pk, Document)
        attachment = get_object_or_404(DocumentAttachment, pk=attachment_pk, document=document)
        extension = attachment.file.name.rsplit(".", 1)[-1] if attachment.file else ""
        name = (
            attachment.name
            if attachment.name.endswith(f".{extension}")
            else (f"{attachment.name}.{extension}")
        )
        return _file_response(
            attachment.file, name, attachment.content_type or "application/octet-stream"
        )


class PdfDownloadView(View):
    def get(self, request, pk):
        document = _downloadable_document(request, pk)
        name = f"{document.number_text or document.pk}{document.title}.pdf"
        return _file_response(document.final_pdf, name, PDF.content_type)


class BodyDownloadView(View):
    def get(self, request, pk):
        document = _downloadable_document(request, pk)
        name = document.body_file_name or "body.docx"
        kind = DOCUMENT_BODY.kind_for_name(name)
        return _file_response(
            document.body_file, name, kind.content_type if kind else "application/octet-stream"
        )


class DelegationsView(View):
    """A leader's delegations (委托): who stands in for them, when."""

    template_name = "workflow/delegations.html"

    def _deputies(self, user):
        unit = user.department.unit if user.department_id else None
        if unit is None:
            return User.objects.none()
        return permissions.reassign_candidates(unit).exclude(pk=user.pk)

    def get(self, request):
        return self.render(request, DelegationForm(deputies=self._deputies(request.user)))

    def post(self, request):
        user = request.user
        form = DelegationForm(request.POST, deputies=self._deputies(user))
        try:
            if "revoke" in request.POST:
                delegation = get_object_or_404(Delegation, pk=request.POST["revoke"], leader=user)
                services.delegation_revoke(delegation=delegation, user=user)
                messages.success(request, _("The delegation is revoked."))
                return redirect(reverse("workflow:documents:delegations"))
            if form.is_valid():
                services.delegation_create(user=user, leader=user, **form.cleaned_data)
                messages.success(request, _("The delegation is saved."))
                return redirect(reverse("workflow:documents:delegations"))
        except services.DocumentError as error:
            form_errors(form, error)
        except PermissionDenied:
            form.add_error(None, _("Only leaders delegate their tasks."))
        return self.render(request, form, status=400)

    def render(self, request, form, status=200):
        user = request.user
        context = {
            "form": form,
            "given": Delegation.objects.filter(leader=user).select_related("deputy"),
            "received": Delegation.objects.filter(deputy=user).select_related("leader"),
            "may_delegate": user.is_leader,
        }
        return TemplateResponse(request, self.template_name, context, status=status)
