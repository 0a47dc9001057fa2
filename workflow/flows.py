"""The outgoing document process (发文办理), read top to bottom like the office does it.

Every human step is a `Step` assigned to the user the previous actor chose (kept on the
process). The services record the actor's decision on the process (`route`, `return_to`)
before completing the task; the gateway after each step routes on it: forward, back to any
earlier step through `send_back`, or (at sign-off) to the `rejected` end. Nodes never write
models themselves; the services do, in the step's transaction.
"""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from people.models import OrgUnit
from people.permissions import is_system_admin

from . import nodes, permissions, views
from .models import OutgoingProcess

FORWARD = OutgoingProcess.Route.FORWARD
RETURN = OutgoingProcess.Route.RETURN
REJECT = OutgoingProcess.Route.REJECT


def returned(activation) -> bool:
    return activation.process.route == RETURN


def rejected(activation) -> bool:
    return activation.process.route == REJECT


def returning_to(step: str):
    def condition(activation) -> bool:
        return activation.process.return_to == step

    return condition


class OutgoingFlow(flow.Flow):
    """Outgoing document

    Drafting, checking, countersigning, signing off, numbering, red-head typesetting,
    proof-reading and dispatch of a unit's outgoing document."""

    process_class = OutgoingProcess
    lock_impl = lock.SelectForUpdateLock(nowait=False)
    process_title = _("Outgoing document")
    process_summary_template = "{{ process.document.title }}"

    start = (
        nodes.StartHandle(this.start_document)
        .Annotation(title=_("Document started"))
        .Next(this.draft)
    )

    draft = (
        nodes.Step(views.TaskScreenView.as_view())
        .Annotation(title=_("Draft"))
        .Assign(this.drafter)
        .Next(this.check)
    )

    check = (
        nodes.Step(views.TaskScreenView.as_view())
        .Annotation(title=_("Department check"))
        .Assign(lambda activation: activation.process.department_head)
        .Next(this.after_check)
    )
    after_check = (
        nodes.Switch()
        .Annotation(title=_("After the department check"))
        .Case(this.send_back, returned)
        .Default(this.verify)
    )

    verify = (
        nodes.Step(views.TaskScreenView.as_view())
        .Annotation(title=_("Office review"))
        .Assign(lambda activation: activation.process.verifier)
        .Next(this.after_verify)
    )
    after_verify = (
        nodes.Switch()
        .Annotation(title=_("After the office review"))
        .Case(this.send_back, returned)
        .Case(this.countersign_split, this.needs_countersign)
        .Default(this.sign_off)
    )

    countersign_split = (
        nodes.Split()
        .Annotation(title=_("Send for countersigning"))
        .Next(this.countersign, data_source=this.countersign_departments)
    )
    countersign = (
        nodes.Step(views.TaskScreenView.as_view())
        .Annotation(title=_("Countersign"))
        .Assign(this.countersign_owner)
        .Next(this.countersign_join)
    )
    countersign_join = (
        nodes.Join().Annotation(title=_("Countersigns gathered")).Next(this.after_countersign)
    )
    after_countersign = (
        nodes.Switch()
        .Annotation(title=_("After countersigning"))
        .Case(this.send_back, returned)
        .Default(this.sign_off)
    )

    sign_off = (
        nodes.Step(views.TaskScreenView.as_view())
        .Annotation(title=_("Sign-off"))
        .Assign(this.next_signer)
        .Next(this.after_sign_off)
    )
    after_sign_off = (
        nodes.Switch()
        .Annotation(title=_("After the sign-off"))
        .Case(this.send_back, returned)
        .Case(this.rejected, rejected)
        .Case(this.sign_off, this.awaits_signer)
        .Default(this.numbering)
    )

    numbering = (
        nodes.Step(views.TaskScreenView.as_view())
        .Annotation(title=_("Numbering"))
        .Assign(lambda activation: activation.process.clerk)
        .Next(this.after_numbering)
    )
    after_numbering = (
        nodes.Switch()
        .Annotation(title=_("After numbering"))
        .Case(this.send_back, returned)
        .Default(this.red_head)
    )

    red_head = (
        nodes.Step(views.TaskScreenView.as_view())
        .Annotation(title=_("Red-head typesetting"))
        .Assign(lambda activation: activation.process.clerk)
        .Next(this.after_red_head)
    )
    after_red_head = (
        nodes.Switch()
        .Annotation(title=_("After red-head typesetting"))
        .Case(this.send_back, returned)
        .Default(this.proofread)
    )

    proofread = (
        nodes.Step(views.TaskScreenView.as_view())
        .Annotation(title=_("Proof-reading"))
        .Assign(this.drafter)
        .Next(this.after_proofread)
    )
    after_proofread = (
        nodes.Switch()
        .Annotation(title=_("After proof-reading"))
        .Case(this.send_back, returned)
        .Default(this.dispatch)
    )

    dispatch = (
        nodes.Step(views.TaskScreenView.as_view())
        .Annotation(title=_("Sealing and dispatch"))
        .Assign(lambda activation: activation.process.clerk)
        .Next(this.after_dispatch)
    )
    after_dispatch = (
        nodes.Switch()
        .Annotation(title=_("After dispatch"))
        .Case(this.send_back, returned)
        .Default(this.archive)
    )

    archive = nodes.End().Annotation(title=_("Ready for archiving"))
    rejected = nodes.End().Annotation(title=_("Rejected"))

    send_back = (
        nodes.Switch()
        .Annotation(title=_("Return to an earlier step"))
        .Case(this.draft, returning_to("draft"))
        .Case(this.check, returning_to("check"))
        .Case(this.verify, returning_to("verify"))
        .Case(this.countersign_split, returning_to("countersign"))
        .Case(this.sign_off, returning_to("sign_off"))
        .Case(this.numbering, returning_to("numbering"))
        .Case(this.red_head, returning_to("red_head"))
        .Case(this.proofread, returning_to("proofread"))
    )

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

    def drafter(self, activation):
        return activation.process.document.drafter

    def needs_countersign(self, activation) -> bool:
        return activation.process.countersign_departments.exists()

    def countersign_departments(self, activation) -> list[dict]:
        departments = activation.process.countersign_departments.order_by("path")
        return [{"department": department.pk} for department in departments]

    def countersign_owner(self, activation):
        department = OrgUnit.objects.get(pk=activation.task.data["department"])
        return permissions.countersign_head(department)

    def next_signer(self, activation):
        entry = activation.process.document.signer_entries.filter(signed_at__isnull=True).first()
        return entry.user if entry is not None else None

    def awaits_signer(self, activation) -> bool:
        return activation.process.document.signer_entries.filter(signed_at__isnull=True).exists()
