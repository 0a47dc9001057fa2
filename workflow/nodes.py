"""Viewflow's nodes as the document flows use them.

Only the project's screens change tasks: viewflow's generic task screens (detail, assign,
unassign, undo, cancel, revive) are not routed for any node, because they change tasks without
the services' permission checks and trace. Every node of a flow comes from this module.

- `Step`: a human task whose owner, or the owner's active deputy (委托), may act on it, and
  whose screen is our own processing form (发文稿纸), which locks and re-checks the task itself.
  The screen is imported when first requested, so flows (and the step declarations the views
  read) import no views.
- `Split` with `data_source`: one task per item (one countersign task per department); the
  installed viewflow documents the argument but does not expand it.
- `StartHandle`, `Switch`, `Join`, `End`: viewflow's, without screens.
"""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow
from viewflow.workflow.activation import Activation
from viewflow.workflow.exceptions import FlowRuntimeError
from viewflow.workflow.nodes.split import SplitActivation

from . import permissions
from .models import Route


class WithoutGenericScreens:
    index_view_class = None
    detail_view_class = None
    cancel_view_class = None
    undo_view_class = None
    revive_view_class = None


def task_screen(request, **kwargs):
    from .views import TaskScreenView

    return TaskScreenView.as_view()(request, **kwargs)


def incoming_task_screen(request, **kwargs):
    from .views.incoming import IncomingTaskScreenView

    return IncomingTaskScreenView.as_view()(request, **kwargs)


class Step(WithoutGenericScreens, flow.View):
    # Assigning, reassigning and withdrawing go through the services, which trace them.
    assign_view_class = None
    unassign_view_class = None

    def __init__(self, view=task_screen, **kwargs):
        super().__init__(view, **kwargs)

    def can_execute(self, user, task):
        return permissions.can_act_on_task(user, task)

    @property
    def view_path(self):
        return path(f"<id:process_pk>/{self.name}/<id:task_pk>/execute/", self.view, name="execute")


class DataSplitActivation(SplitActivation):
    @Activation.status.super()
    def activate(self):
        for node, condition, data_source in self.flow_task._branches:
            if condition and not condition(self):
                continue
            if data_source is None:
                self.next_tasks.append((node, None))
            else:
                self.next_tasks.extend((node, data) for data in data_source(self))
        if not self.next_tasks:
            raise FlowRuntimeError(f"No next task available for {self.flow_task.name}")


class StartHandle(WithoutGenericScreens, flow.StartHandle):
    pass


class Switch(WithoutGenericScreens, flow.Switch):
    pass


class Join(WithoutGenericScreens, flow.Join):
    pass


class End(WithoutGenericScreens, flow.End):
    pass


class Split(WithoutGenericScreens, flow.Split):
    activation_class = DataSplitActivation

    def Next(self, node, case=None, data_source=None):
        self._activate_next.append((node, case, data_source))
        return self


# Built from a flow's step declaration (`workflow.steps.Steps`).


def human_step(steps, name: str, view=task_screen) -> Step:
    """A human step node, titled and assigned as declared, with its flow's task screen."""
    return Step(view).Annotation(title=steps.title(name)).Assign(steps.assign(name))


def returned(activation) -> bool:
    return activation.process.route == Route.RETURN


def rejected(activation) -> bool:
    return activation.process.route == Route.REJECT


def returning_to(step: str):
    def condition(activation) -> bool:
        return activation.process.return_to == step

    return condition


def send_back_switch(steps, entries: dict[str, str] | None = None) -> "Switch":
    """The gateway a return goes through: one case per declared step, entering the step's node
    (or, for a step reached through a split, the split named in `entries`)."""
    entries = entries or {}
    switch = Switch().Annotation(title=_("Return to an earlier step"))
    for spec in steps:
        switch.Case(getattr(this, entries.get(spec.name, spec.name)), returning_to(spec.name))
    return switch
