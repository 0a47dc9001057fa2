"""How a document flow declares its human steps, once.

Each flow class carries `steps = Steps(StepSpec(...), ...)` in process order. Everything that
needs to know a step reads it from there: the nodes' annotations and assignments
(`steps.annotation(name)`, `steps.assign(name)`), the engine's roles in the trace, the steps a
return may go back to and what such a return resets, the field reassigning updates, the titles
on screens and registers, the demo and the test factories.

A step's `assignee` is the process field holding its owner (the previous actor chose them), or a
callable `(activation) -> User` when the owner is worked out (the drafter, the next signer, the
head of a countersigning department). `resets_on_return` runs, inside the return's transaction,
whenever a return goes back to this step or to one before it (a return before sign-off clears
the signatures). `on_reassign(process, previous_owner, new_owner)` runs when the process
administrator hands a task of this step to someone else and the owner is not simply a process
field (the signer's place in the signing order passes to the new owner). At a step that
`edits_document` its owner edits the document's elements and attachments (the draft).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

ROLE_TITLES = {
    "drafter": gettext_lazy("Drafter"),
    "department_head": gettext_lazy("Department head"),
    "verifier": gettext_lazy("Office verifier"),
    "countersigner": gettext_lazy("Countersigning department"),
    "leader": gettext_lazy("Signing leader"),
    "file_clerk": gettext_lazy("Document clerk"),
    "seal_keeper": gettext_lazy("Seal keeper"),
    "process_admin": gettext_lazy("Process administrator"),
    "office_head": gettext_lazy("Office head"),
    "instructing_leader": gettext_lazy("Instructing leader"),
    "lead_department": gettext_lazy("Lead department"),
    "co_department": gettext_lazy("Co-department"),
}
# Trace entries about the whole process (cancelling, voiding a number) carry this step name.
PROCESS_STEP = "process"
PROCESS_TITLE = gettext_lazy("Process")
# Steps traced outside any flow's human steps: an incoming document's registration comes
# before its flow starts, and a dispatched outgoing document's circulation (传阅) after its
# flow ends.
REGISTER_STEP = "register"
STEPS_OUTSIDE_FLOWS = {
    PROCESS_STEP: PROCESS_TITLE,
    REGISTER_STEP: gettext_lazy("Registration"),
    "circulate": gettext_lazy("Circulation"),
}


@dataclass(frozen=True)
class StepSpec:
    name: str
    title: Promise
    role: str
    assignee: str | Callable
    resets_on_return: Callable | None = None
    on_reassign: Callable | None = None
    edits_document: bool = False

    @property
    def assignee_field(self) -> str | None:
        """The process field that names the owner, which reassigning updates."""
        return self.assignee if isinstance(self.assignee, str) else None


class Steps:
    """A flow's human steps in process order."""

    def __init__(self, *specs: StepSpec):
        self.specs = specs
        self.by_name = {spec.name: spec for spec in specs}
        self.names = tuple(spec.name for spec in specs)

    def __iter__(self):
        return iter(self.specs)

    def __contains__(self, name) -> bool:
        return name in self.by_name

    def __getitem__(self, name: str) -> StepSpec:
        return self.by_name[name]

    def index(self, name: str) -> int:
        return self.names.index(name)

    def title(self, name: str):
        return self.by_name[name].title

    def role(self, name: str) -> str:
        spec = self.by_name.get(name)
        return spec.role if spec is not None else ""

    def assign(self, name: str) -> Callable:
        """The node's `.Assign(...)` argument: the owner from the declared assignee."""
        assignee = self.by_name[name].assignee
        if callable(assignee):
            return assignee
        return lambda activation: getattr(activation.process, assignee)

    def resets_from(self, name: str) -> list[Callable]:
        """What a return to `name` resets: the hooks of that step and every later one."""
        later = self.specs[self.index(name) :]
        return [spec.resets_on_return for spec in later if spec.resets_on_return is not None]


def flows_steps() -> list[Steps]:
    from .flows import FLOWS

    return [flow_class.steps for flow_class in FLOWS]


def steps_of_task(task) -> Steps:
    """The declared steps of the task's flow (none for a flow that declares none)."""
    return getattr(task.flow_task.flow_class, "steps", Steps())


def task_step_title(task):
    steps = steps_of_task(task)
    name = task.flow_task.name
    return steps.title(name) if name in steps else ""


def step_title(name: str):
    """The title of a step of any flow (trace entries and task lists name steps by name)."""
    if name in STEPS_OUTSIDE_FLOWS:
        return STEPS_OUTSIDE_FLOWS[name]
    for steps in flows_steps():
        if name in steps:
            return steps.title(name)
    return name
