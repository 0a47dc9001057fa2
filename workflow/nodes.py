"""Two small extensions of viewflow's nodes for the document flows.

- `Step`: a human task whose owner, or the owner's active deputy (委托), may act on it, and
  whose screen is our own processing form (发文稿纸), which locks and re-checks the task itself.
- `Split` with `data_source`: one task per item (one countersign task per department); the
  installed viewflow documents the argument but does not expand it.
"""

from django.urls import path
from viewflow.workflow import flow
from viewflow.workflow.activation import Activation
from viewflow.workflow.exceptions import FlowRuntimeError
from viewflow.workflow.nodes.split import SplitActivation

from . import permissions


class Step(flow.View):
    # Cancelling, undoing, reviving and (un)assigning go through the services, which trace them.
    cancel_view_class = None
    undo_view_class = None
    revive_view_class = None
    assign_view_class = None
    unassign_view_class = None

    def can_execute(self, user, task):
        return permissions.can_act_on_task(user, task)

    def can_view(self, user, task):
        return permissions.can_view_document(user, task.process.coerced.document)

    @property
    def view_path(self):
        return path(
            f"<id:process_pk>/{self.name}/<id:task_pk>/execute/", self.view, name="execute"
        )


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


class Split(flow.Split):
    activation_class = DataSplitActivation

    def Next(self, node, case=None, data_source=None):
        self._activate_next.append((node, case, data_source))
        return self
