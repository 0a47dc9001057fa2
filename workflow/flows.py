"""The document processes, read top to bottom like the office does it.

Every human step is a `Step` assigned to the user the previous actor chose (kept on the
process). Each flow declares its human steps once (`steps`, see `workflow.steps`); node titles,
assignments and the return switch come from that declaration. The services record the actor's
decision on the process (`route`, `return_to`) before completing the task; the gateway after each
step routes on it: forward, back to any earlier step through `send_back`, or (at sign-off) to the
`rejected` end. Nodes never write models themselves; the services do, in the step's transaction.
"""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from people.models import OrgUnit
from people.permissions import is_system_admin

from . import nodes, permissions
from .models import IncomingProcess, OutgoingProcess
from .steps import Steps, StepSpec


def drafter(activation):
    return activation.process.document.drafter


def countersign_owner(activation):
    department = OrgUnit.objects.get(pk=activation.task.data["department"])
    return permissions.countersign_head(department)


def next_signer(activation):
    entry = activation.process.document.signer_entries.filter(signed_at__isnull=True).first()
    return entry.user if entry is not None else None


def clear_signatures(process) -> None:
    """Signing starts again: a return to sign-off or before undoes every signature."""
    document = process.document
    document.signer_entries.update(signed_at=None)
    if document.written_on is not None:
        document.written_on = None
        document.save(update_fields=["written_on", "updated_at"])


def pass_signature(process, previous_owner, new_owner) -> None:
    process.document.signer_entries.filter(user=previous_owner).update(user=new_owner)


OUTGOING_STEPS = Steps(
    StepSpec("draft", _("Draft"), role="drafter", assignee=drafter, edits_document=True),
    StepSpec("check", _("Department check"), role="department_head", assignee="department_head"),
    StepSpec("verify", _("Office review"), role="verifier", assignee="verifier"),
    StepSpec("countersign", _("Countersign"), role="countersigner", assignee=countersign_owner),
    StepSpec(
        "sign_off",
        _("Sign-off"),
        role="leader",
        assignee=next_signer,
        resets_on_return=clear_signatures,
        on_reassign=pass_signature,
    ),
    StepSpec("numbering", _("Numbering"), role="file_clerk", assignee="clerk"),
    StepSpec("red_head", _("Red-head typesetting"), role="file_clerk", assignee="clerk"),
    StepSpec("proofread", _("Proof-reading"), role="drafter", assignee=drafter),
    StepSpec("dispatch", _("Sealing and dispatch"), role="file_clerk", assignee="clerk"),
)


class OutgoingFlow(flow.Flow):
    """Outgoing document

    Drafting, checking, countersigning, signing off, numbering, red-head typesetting,
    proof-reading and dispatch of a unit's outgoing document."""

    process_class = OutgoingProcess
    steps = OUTGOING_STEPS
    lock_impl = lock.SelectForUpdateLock(nowait=False)
    process_title = _("Outgoing document")
    process_summary_template = "{{ process.document.title }}"

    start = (
        nodes.StartHandle(this.start_document)
        .Annotation(title=_("Document started"))
        .Next(this.draft)
    )

    draft = nodes.human_step(OUTGOING_STEPS, "draft").Next(this.check)

    check = nodes.human_step(OUTGOING_STEPS, "check").Next(this.after_check)
    after_check = (
        nodes.Switch()
        .Annotation(title=_("After the department check"))
        .Case(this.send_back, nodes.returned)
        .Default(this.verify)
    )

    verify = nodes.human_step(OUTGOING_STEPS, "verify").Next(this.after_verify)
    after_verify = (
        nodes.Switch()
        .Annotation(title=_("After the office review"))
        .Case(this.send_back, nodes.returned)
        .Case(this.countersign_split, this.needs_countersign)
        .Default(this.sign_off)
    )

    countersign_split = (
        nodes.Split()
        .Annotation(title=_("Send for countersigning"))
        .Next(this.countersign, data_source=this.countersign_departments)
    )
    countersign = nodes.human_step(OUTGOING_STEPS, "countersign").Next(this.countersign_join)
    countersign_join = (
        nodes.Join().Annotation(title=_("Countersigns gathered")).Next(this.after_countersign)
    )
    after_countersign = (
        nodes.Switch()
        .Annotation(title=_("After countersigning"))
        .Case(this.send_back, nodes.returned)
        .Default(this.sign_off)
    )

    sign_off = nodes.human_step(OUTGOING_STEPS, "sign_off").Next(this.after_sign_off)
    after_sign_off = (
        nodes.Switch()
        .Annotation(title=_("After the sign-off"))
        .Case(this.send_back, nodes.returned)
        .Case(this.rejected, nodes.rejected)
        .Case(this.sign_off, this.awaits_signer)
        .Default(this.numbering)
    )

    numbering = nodes.human_step(OUTGOING_STEPS, "numbering").Next(this.after_numbering)
    after_numbering = (
        nodes.Switch()
        .Annotation(title=_("After numbering"))
        .Case(this.send_back, nodes.returned)
        .Default(this.red_head)
    )

    red_head = nodes.human_step(OUTGOING_STEPS, "red_head").Next(this.after_red_head)
    after_red_head = (
        nodes.Switch()
        .Annotation(title=_("After red-head typesetting"))
        .Case(this.send_back, nodes.returned)
        .Default(this.proofread)
    )

    proofread = nodes.human_step(OUTGOING_STEPS, "proofread").Next(this.after_proofread)
    after_proofread = (
        nodes.Switch()
        .Annotation(title=_("After proof-reading"))
        .Case(this.send_back, nodes.returned)
        .Default(this.dispatch)
    )

    dispatch = nodes.human_step(OUTGOING_STEPS, "dispatch").Next(this.after_dispatch)
    after_dispatch = (
        nodes.Switch()
        .Annotation(title=_("After dispatch"))
        .Case(this.send_back, nodes.returned)
        .Default(this.archive)
    )

    archive = nodes.End().Annotation(title=_("Ready for archiving"))
    rejected = nodes.End().Annotation(title=_("Rejected"))

    send_back = nodes.send_back_switch(OUTGOING_STEPS, {"countersign": "countersign_split"})

    def has_view_permission(self, user, obj=None) -> bool:
        # Every employee drafts and handles documents; a process is seen with its document.
        if not (user.is_authenticated and user.is_active):
            return False
        if obj is not None and hasattr(obj, "coerced"):
            return permissions.can_view_document(user, obj.coerced.document)
        return True

    def has_manage_permission(self, user, obj=None) -> bool:
        if obj is not None and hasattr(obj, "document"):
            return permissions.can_manage_process(user, obj.document)
        return is_system_admin(user)

    def start_document(self, activation, document):
        activation.process.document = document
        return activation.process

    def needs_countersign(self, activation) -> bool:
        return activation.process.countersign_departments.exists()

    def countersign_departments(self, activation) -> list[dict]:
        departments = activation.process.countersign_departments.order_by("path")
        return [{"department": department.pk} for department in departments]

    def awaits_signer(self, activation) -> bool:
        return activation.process.document.signer_entries.filter(signed_at__isnull=True).exists()


# The incoming process ---------------------------------------------------------------------


def next_instructor(activation):
    entry = activation.process.document.instruction_entries.filter(
        instructed_at__isnull=True
    ).first()
    return entry.user if entry is not None else None


def lead_head(activation):
    return permissions.countersign_head(activation.process.lead_department)


def clear_instructions(process) -> None:
    """Instructing starts again: a return to the instruction or before undoes every one."""
    process.document.instruction_entries.update(instructed_at=None)


def pass_instruction(process, previous_owner, new_owner) -> None:
    process.document.instruction_entries.filter(user=previous_owner).update(user=new_owner)


INCOMING_STEPS = Steps(
    StepSpec("review", _("Initial review"), role="file_clerk", assignee="clerk"),
    StepSpec("propose", _("Proposal"), role="office_head", assignee="office_head"),
    StepSpec(
        "instruct",
        _("Instruction"),
        role="instructing_leader",
        assignee=next_instructor,
        resets_on_return=clear_instructions,
        on_reassign=pass_instruction,
    ),
    StepSpec("cohandle", _("Co-handling"), role="co_department", assignee=countersign_owner),
    StepSpec("handle", _("Handling"), role="lead_department", assignee=lead_head),
    StepSpec("reply", _("Reply to the sender"), role="lead_department", assignee=lead_head),
    StepSpec("circulate", _("Circulation"), role="file_clerk", assignee="clerk"),
    StepSpec("close", _("Close"), role="file_clerk", assignee="clerk"),
)


def incoming_step(name: str) -> nodes.Step:
    return nodes.human_step(INCOMING_STEPS, name, view=nodes.incoming_task_screen)


class IncomingFlow(flow.Flow):
    """Incoming document

    Initial review, proposal, instruction, handling by the lead and co-departments, reply,
    circulation and close of a document a unit received."""

    process_class = IncomingProcess
    steps = INCOMING_STEPS
    lock_impl = lock.SelectForUpdateLock(nowait=False)
    process_title = _("Incoming document")
    process_summary_template = "{{ process.document.title }}"

    start = (
        nodes.StartHandle(this.start_document)
        .Annotation(title=_("Document registered"))
        .Next(this.review)
    )

    review = incoming_step("review").Next(this.after_review)
    after_review = (
        nodes.Switch()
        .Annotation(title=_("After the initial review"))
        .Case(this.refused, nodes.rejected)
        .Default(this.propose)
    )

    propose = incoming_step("propose").Next(this.after_propose)
    after_propose = (
        nodes.Switch()
        .Annotation(title=_("After the proposal"))
        .Case(this.send_back, nodes.returned)
        .Default(this.instruct)
    )

    instruct = incoming_step("instruct").Next(this.after_instruct)
    after_instruct = (
        nodes.Switch()
        .Annotation(title=_("After the instruction"))
        .Case(this.send_back, nodes.returned)
        .Case(this.instruct, this.awaits_instructor)
        .Default(this.handling_split)
    )

    handling_split = (
        nodes.Split()
        .Annotation(title=_("Send for handling"))
        .Next(this.handle)
        .Next(this.cohandle, data_source=this.co_departments)
    )
    cohandle = incoming_step("cohandle").Next(this.handling_join)
    handle = incoming_step("handle").Next(this.handling_join)
    handling_join = nodes.Join().Annotation(title=_("Handling done")).Next(this.after_handling)
    after_handling = (
        nodes.Switch()
        .Annotation(title=_("After handling"))
        .Case(this.send_back, nodes.returned)
        .Case(this.reply, this.needs_reply)
        .Default(this.circulate)
    )

    reply = incoming_step("reply").Next(this.after_reply)
    after_reply = (
        nodes.Switch()
        .Annotation(title=_("After the reply"))
        .Case(this.send_back, nodes.returned)
        .Default(this.circulate)
    )

    circulate = incoming_step("circulate").Next(this.after_circulate)
    after_circulate = (
        nodes.Switch()
        .Annotation(title=_("After circulation"))
        .Case(this.send_back, nodes.returned)
        .Default(this.close)
    )

    close = incoming_step("close").Next(this.after_close)
    after_close = (
        nodes.Switch()
        .Annotation(title=_("After closing"))
        .Case(this.send_back, nodes.returned)
        .Default(this.archive)
    )

    archive = nodes.End().Annotation(title=_("Ready for archiving"))
    refused = nodes.End().Annotation(title=_("Refused (returned to sender)"))

    send_back = nodes.send_back_switch(
        INCOMING_STEPS, {"cohandle": "handling_split", "handle": "handling_split"}
    )

    def has_view_permission(self, user, obj=None) -> bool:
        if not (user.is_authenticated and user.is_active):
            return False
        if obj is not None and hasattr(obj, "coerced"):
            return permissions.can_view_document(user, obj.coerced.document)
        return True

    def has_manage_permission(self, user, obj=None) -> bool:
        if obj is not None and hasattr(obj, "document"):
            return permissions.can_manage_process(user, obj.document)
        return is_system_admin(user)

    def start_document(self, activation, document):
        activation.process.document = document
        activation.process.clerk = document.registered_by
        return activation.process

    def awaits_instructor(self, activation) -> bool:
        return activation.process.document.instruction_entries.filter(
            instructed_at__isnull=True
        ).exists()

    def co_departments(self, activation) -> list[dict]:
        departments = activation.process.co_departments.order_by("path")
        return [{"department": department.pk} for department in departments]

    def needs_reply(self, activation) -> bool:
        return activation.process.needs_reply


FLOWS = (OutgoingFlow, IncomingFlow)
