"""Two declared steps (review by the process's verifier, approval by its clerk) and a return,
on the outgoing process model: nothing here but the declaration and the gateways, as a new
flow would bring. `resets` records what returns reset."""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from workflow import nodes
from workflow.models import OutgoingProcess, TraceEntry
from workflow.services import engine
from workflow.steps import Steps, StepSpec

resets = []

STEPS = Steps(
    StepSpec("review", _("Review"), role="verifier", assignee="verifier", edits_document=True),
    StepSpec(
        "approve",
        _("Approval"),
        role="file_clerk",
        assignee="clerk",
        resets_on_return=lambda process: resets.append(process.pk),
    ),
)


class TwoStepFlow(flow.Flow):
    process_class = OutgoingProcess
    steps = STEPS
    lock_impl = lock.SelectForUpdateLock(nowait=False)

    start = nodes.StartHandle(this.start_document).Next(this.review)
    review = nodes.human_step(STEPS, "review").Next(this.approve)
    approve = nodes.human_step(STEPS, "approve").Next(this.after_approve)
    after_approve = nodes.Switch().Case(this.send_back, nodes.returned).Default(this.end)
    send_back = nodes.send_back_switch(STEPS)
    end = nodes.End()

    def start_document(self, activation, document, verifier, clerk):
        activation.process.document = document
        activation.process.verifier = verifier
        activation.process.clerk = clerk
        return activation.process


def step_done(*, task, user, step: str) -> None:
    """The whole service of a step of this flow: the engine does the rest."""
    with engine.acting(task, user, step=step) as acting:
        engine.forward(acting)
        engine.complete(acting, action=TraceEntry.Action.APPROVE)
