"""Screens of the incoming documents (收文): the processing screen of a task, the document's
incoming processing form (收文处理单) read-only, drafting the reply and withdrawing a task."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from viewflow.workflow.models import Task

from .. import permissions, selectors, services
from ..flows import IncomingFlow
from ..forms import IncomingTaskForm
from ..models import IncomingDocument, TraceEntry
from ..steps import task_step_title
from .circulation import circulation_panel
from .documents import form_errors, handling_context

Action = TraceEntry.Action
# Which trace entries fill which box of the 收文处理单.
BOXES = {
    "proposal_opinions": ("propose", {Action.PROPOSE}),
    "instruction_opinions": ("instruct", {Action.INSTRUCT}),
    "assist_opinions": ("cohandle", {Action.ASSIST}),
    "handling_opinions": ("handle", {Action.HANDLE}),
}
RETURNS = {Action.RETURN, Action.WITHDRAW}


def visible_incoming(request, **lookup) -> IncomingDocument:
    """The document with its processing form's contents, or 404 for those who may not see it
    (a 403 would confirm the id)."""
    try:
        document = selectors.incoming_form(**lookup)
    except IncomingDocument.DoesNotExist:
        raise Http404 from None
    if not permissions.can_view_document(request.user, document):
        raise Http404
    return document


def incoming_context(request, document: IncomingDocument) -> dict:
    context = handling_context(request, document)
    entries = context["entries"]
    boxes = {
        name: [e for e in entries if e.step == step and e.action in actions | RETURNS]
        for name, (step, actions) in BOXES.items()
    }
    readers = [
        reader
        for circulation in document.circulations.all()
        for reader in circulation.readers.all()
    ]
    return {**context, **boxes, "readers": readers}


class IncomingDocumentView(View):
    def get(self, request, pk):
        document = visible_incoming(request, pk=pk)
        rounds = list(document.circulations.all())
        context = {
            **incoming_context(request, document),
            **circulation_panel(request, document, rounds),
        }
        return TemplateResponse(request, "workflow/incoming/document.html", context)


class IncomingTaskScreenView(View):
    template_name = "workflow/incoming/task.html"

    def dispatch(self, request, process_pk, task_pk, **kwargs):
        task = get_object_or_404(Task, pk=task_pk, process_id=process_pk, flow_task_type="HUMAN")
        if task.flow_task.flow_class is not IncomingFlow:
            raise Http404
        self.task = task
        self.document = visible_incoming(request, process__pk=process_pk)
        self.document_url = reverse("workflow:documents:incoming_document", args=[self.document.pk])
        if task.status not in permissions.ACTIVE_TASK_STATUSES:
            messages.info(request, str(services.TaskAlreadyHandled().messages[0]))
            return redirect(self.document_url)
        if not permissions.can_act_on_task(request.user, task):
            messages.info(request, _("This task is not yours; the document is shown read-only."))
            return redirect(self.document_url)
        return super().dispatch(request, **kwargs)

    def form(self, data=None):
        user = self.request.user
        return IncomingTaskForm(data, task=self.task, document=self.document, user=user)

    def get(self, request, **kwargs):
        opened = any(
            entry.task_id == self.task.pk and entry.action == Action.OPEN
            for entry in self.document.trace_entries.all()
        )
        if not opened and services.task_open(task=self.task, user=request.user):
            self.document = selectors.incoming_form(pk=self.document.pk)
        return self.render(self.form())

    def post(self, request, **kwargs):
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        try:
            self.decide(request.POST.get("decision", "approve"), form)
        except services.TaskAlreadyHandled as already:
            messages.warning(request, already.messages[0])
            return redirect(self.document_url)
        except services.DocumentError as error:
            form_errors(form, error, aliases={"instructors": "first_instructor"})
            return self.render(form, status=400)
        messages.success(request, _("Done: %(title)s") % {"title": self.document.title})
        return redirect("gongwen:todo")

    def decide(self, decision: str, form: IncomingTaskForm) -> None:
        user, task = self.request.user, self.task
        opinion = form.cleaned_data.get("opinion", "")
        if decision == "return":
            services.task_return(
                task=task, user=user, to_step=form.cleaned_data.get("return_to"), reason=opinion
            )
        elif decision == "refuse" and form.step == "review":
            services.review_refuse(task=task, user=user, reason=opinion)
        elif decision == "approve":
            action = services.INCOMING_STEP_ACTIONS[form.step]
            action(task=task, user=user, **form.forward_arguments())
        else:
            raise services.DocumentError(_("Choose what to do with the task."))

    def render(self, form, status=200):
        context = incoming_context(self.request, self.document)
        context.update(
            {
                "task": self.task,
                "step": self.task.flow_task.name,
                "step_title": task_step_title(self.task),
                "form": form,
                "phrases": services.COMMON_PHRASES,
                "on_behalf_of": permissions.acting_for(self.request.user, self.task),
            }
        )
        return TemplateResponse(self.request, self.template_name, context, status=status)


class ReplyDraftView(View):
    """The lead department starts the reply (答复) from the reply task, then drafts it."""

    def post(self, request, pk, task_pk):
        document = visible_incoming(request, pk=pk)
        task = get_object_or_404(Task, pk=task_pk, process_id=document.process.pk)
        try:
            reply = services.reply_draft(task=task, user=request.user)
        except services.DocumentError as error:
            messages.error(request, error.messages[0])
            return redirect(selectors.task_url(task))
        messages.success(request, _("The reply is drafted; complete it, then submit it."))
        return redirect("workflow:documents:document_edit", pk=reply.pk)


class IncomingWithdrawView(View):
    def post(self, request, pk, task_pk):
        document = visible_incoming(request, pk=pk)
        task = get_object_or_404(Task, pk=task_pk, process_id=document.process.pk)
        try:
            services.task_withdraw(
                task=task, user=request.user, reason=request.POST.get("reason", "")
            )
        except services.DocumentError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("The document is withdrawn to you."))
        return redirect("workflow:documents:incoming_document", pk=pk)
