"""Two people acting on the same task: exactly one succeeds, the other is told the task was
already handled, and nothing else changes."""

import threading

import pytest
from django.db import connection, connections

from tests.factories.documents import (
    OfficeFactory,
    act,
    advance,
    draft_document,
    open_task,
    open_tasks,
)
from workflow import services
from workflow.models import TraceEntry

ALREADY_HANDLED = "already been handled"


@pytest.mark.django_db
def test_a_stale_form_is_refused_and_changes_nothing(office, document, english_messages):
    advance(document, office, until="check")
    task = open_task(document)
    services.check_approve(task=task, user=office.production_head, verifier=office.verifier)
    entries = TraceEntry.objects.count()
    with pytest.raises(services.TaskAlreadyHandled, match=ALREADY_HANDLED):
        services.check_approve(task=task, user=office.production_head, verifier=office.verifier)
    with pytest.raises(services.TaskAlreadyHandled):
        services.task_return(task=task, user=office.production_head, to_step="draft", reason="x")
    assert TraceEntry.objects.count() == entries
    assert open_task(document).flow_task.name == "verify"


@pytest.mark.django_db
def test_a_stale_countersign_after_a_return_is_refused(office, document):
    advance(document, office, until="verify")
    act(document, office, countersign=[office.finance, office.safety])
    tasks = {task.owner: task for task in open_tasks(document, "countersign")}
    finance, safety = tasks[office.finance_head], tasks[office.safety_head]
    services.task_return(task=finance, user=office.finance_head, to_step="verify", reason="退回")
    with pytest.raises(services.TaskAlreadyHandled):
        services.countersign_approve(task=safety, user=office.safety_head)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs row locks held by two database connections (PostgreSQL); SQLite serialises "
    "whole-database writes",
)
@pytest.mark.django_db(transaction=True)
def test_two_connections_acting_at_once_one_wins():
    office = OfficeFactory(code="UC", name="丙单位")
    document = draft_document(office)
    advance(document, office, until="check")
    task = open_task(document)
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(verifier):
        try:
            barrier.wait()
            services.check_approve(task=task, user=office.production_head, verifier=verifier)
            outcomes.append("done")
        except services.TaskAlreadyHandled:
            outcomes.append("already handled")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=approve, args=(verifier,))
        for verifier in (office.verifier, office.leader)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["already handled", "done"]
    assert TraceEntry.objects.filter(document=document, action="approve").count() == 1
    verify_tasks = [t for t in [open_task(document)] if t and t.flow_task.name == "verify"]
    assert len(verify_tasks) == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs row locks held by two database connections (PostgreSQL); SQLite serialises "
    "whole-database writes",
)
@pytest.mark.django_db(transaction=True)
def test_two_countersigns_at_once_both_count_and_the_join_goes_on_once():
    office = OfficeFactory(code="UD", name="丁单位")
    document = draft_document(office)
    advance(document, office, until="verify")
    act(document, office, countersign=[office.finance, office.safety])
    tasks = open_tasks(document, "countersign")
    barrier = threading.Barrier(2)
    errors = []

    def countersign(task):
        try:
            barrier.wait()
            services.countersign_approve(task=task, user=task.owner, opinion="同意")
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=countersign, args=(task,)) for task in tasks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert [(t.flow_task.name, t.owner) for t in open_tasks(document)] == [
        ("sign_off", office.leader)
    ]
