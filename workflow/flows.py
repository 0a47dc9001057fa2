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
from .models import OutgoingProcess
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
    StepSpec("seal", _("Sealing"), role="seal_keeper", assignee="seal_keeper"),
    StepSpec("dispatch", _("Dispatch"), role="file_clerk", assignee="clerk"),
)


class OutgoingFlow(flow.Flow):
    """Outgoing document

    Drafting, checking, countersigning, signing off, numbering, red-head typesetting,
    proof-reading, sealing and dispatch of a unit's outgoing document."""

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
        .Default(this.seal)
    )

    seal = nodes.human_step(OUTGOING_STEPS, "seal").Next(this.after_seal)
    after_seal = (
        nodes.Switch()
        .Annotation(title=_("After sealing"))
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


FLOWS = (OutgoingFlow,)
