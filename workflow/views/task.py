"""The processing screen of a task: the document as its processing form (发文稿纸), the trace,
and the decision (approve with the next step's users, return, reject)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from viewflow.workflow.models import Task

from .. import permissions, selectors, services
from ..forms import TaskActionForm
from ..models import DocumentType, OutgoingDocument, TraceEntry
from ..steps import steps_of_task, task_step_title
from .documents import form_context, form_errors


class TaskScreenView(View):
    template_name = "workflow/task.html"

    def dispatch(self, request, process_pk, task_pk, **kwargs):
        task = get_object_or_404(Task, pk=task_pk, process_id=process_pk)
        if task.flow_task_type != "HUMAN" or task.flow_task.name not in steps_of_task(task):
            raise Http404
        self.task = task
        try:
            self.document = selectors.document_forms().get(process__pk=task.process_id)
        except OutgoingDocument.DoesNotExist:
            raise Http404 from None
        self.document_url = reverse("workflow:documents:document", args=[self.document.pk])
        if not permissions.can_view_document_of_task(request.user, task, self.document):
            raise Http404
        if task.status not in permissions.ACTIVE_TASK_STATUSES:
            messages.info(request, str(services.TaskAlreadyHandled().messages[0]))
            return redirect(self.document_url)
        if not permissions.can_act_on_task(request.user, task):
            messages.info(request, _("This task is not yours; the document is shown read-only."))
            return redirect(self.document_url)
        return super().dispatch(request, **kwargs)

    def get(self, request, **kwargs):
        if not self.already_opened() and services.task_open(task=self.task, user=request.user):
            self.document = selectors.document_form(self.document.pk)
        form = TaskActionForm(task=self.task, document=self.document, user=request.user)
        return self.render(form)

    def already_opened(self) -> bool:
        """Whether the loaded trace shows the task opened: then `task_open` would only lock the
        process to find that out again."""
        return any(
            entry.task_id == self.task.pk and entry.action == TraceEntry.Action.OPEN
            for entry in self.document.trace_entries.all()
        )

    def post(self, request, **kwargs):
        form = TaskActionForm(
            request.POST, task=self.task, document=self.document, user=request.user
        )
        decision = request.POST.get("decision", "approve")
        if not form.is_valid():
            return self.render(form, status=400)
        # No transaction around the decision: each service is its own, and the red-head step
        # renders its PDF before taking the database's write lock.
        try:
            self.decide(decision, form)
        except services.TaskAlreadyHandled as already:
            messages.warning(request, already.messages[0])
            return redirect(self.document_url)
        except services.DocumentError as error:
            form_errors(form, error, aliases={"signers": "first_signer"})
            return self.render(form, status=400)
        messages.success(request, _("Done: %(title)s") % {"title": self.document.title})
        return redirect("gongwen:todo")

    def decide(self, decision: str, form: TaskActionForm) -> None:
        user, task = self.request.user, self.task
        opinion = form.cleaned_data.get("opinion", "")
        if decision == "return":
            services.task_return(
                task=task, user=user, to_step=form.cleaned_data.get("return_to"), reason=opinion
            )
        elif decision == "reject" and form.step == "sign_off":
            services.sign_off_reject(task=task, user=user, reason=opinion)
        elif decision == "approve":
            services.STEP_ACTIONS[form.step](task=task, user=user, **form.forward_arguments())
        else:
            raise services.DocumentError(_("Choose what to do with the task."))

    def step_notes(self) -> dict:
        """What the step's owner is reminded of: the rules of a request (请示) at the office
        review; at proof-reading, attachments that do not match the drafter's 附件说明 (a
        warning: the printed note is always the drafter's list)."""
        step = self.task.flow_task.name
        if step == "verify":
            return {"request_rules": self.document.doc_type == DocumentType.REQUEST}
        if step == "proofread":
            from ..redhead.documents import attachment_mismatches

            return {"attachment_warnings": attachment_mismatches(self.document)}
        return {}

    def render(self, form, status=200):
        context = form_context(self.request, self.document)
        context.update(
            {
                "task": self.task,
                "step": self.task.flow_task.name,
                "step_title": task_step_title(self.task),
                "form": form,
                "phrases": services.COMMON_PHRASES,
                "on_behalf_of": permissions.acting_for(self.request.user, self.task),
                "can_reject": self.task.flow_task.name == "sign_off",
                **self.step_notes(),
            }
        )
        return TemplateResponse(self.request, self.template_name, context, status=status)
