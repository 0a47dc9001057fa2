"""Only the project's screens change tasks: every view routed under /workflow/ is the project's
own (which checks permission and goes through the services) or explicitly allowed here with a
reason. Viewflow's generic screens (inbox, queue, archive, bulk (un)assign, task detail, undo,
cancel, revive) are not routed, so the hijack of issue 13 answers 404 and changes nothing."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from viewflow.workflow.flow.viewset import _IndexRedirectView as NestedFlowsIndexRedirect
from viewflow.workflow.models import Task

from tests.factories.documents import act, open_task
from tests.factories.people import UserFactory
from workflow import trace
from workflow.models import TraceEntry
from workflow.steps import flows_steps

PROJECT_MODULES = ("workflow.",)

# Views of other packages that may stay routed under /workflow/, each with the reason.
ALLOWED_FOREIGN_VIEWS = {
    NestedFlowsIndexRedirect: (
        "viewflow's /workflow/documents/flows/ redirects to the flow's index, which is our "
        "to-do list; it reads no task and changes nothing"
    ),
}


def _workflow_views(patterns=None, prefix=""):
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _workflow_views(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and route.startswith("workflow/"):
            callback = pattern.callback
            yield route, getattr(callback, "view_class", callback)


def test_every_view_under_workflow_is_the_projects_or_explicitly_allowed():
    routed = list(_workflow_views())
    assert len(routed) > 20
    foreign = [
        (route, f"{view.__module__}.{view.__qualname__}")
        for route, view in routed
        if not view.__module__.startswith(PROJECT_MODULES) and view not in ALLOWED_FOREIGN_VIEWS
    ]
    assert foreign == []


def test_only_the_processing_form_is_routed_for_the_flows_nodes():
    node_routes = [
        route
        for route, _ in _workflow_views()
        if route.startswith("workflow/documents/flows/") and "<id:task_pk>" in route
    ]
    assert node_routes and all(route.endswith("/<id:task_pk>/execute/") for route in node_routes)
    assert {route.split("/")[-4] for route in node_routes} == {
        name for steps in flows_steps() for name in steps.names
    }


HIJACK_URLS = [
    "/workflow/documents/inbox/",
    "/workflow/documents/queue/",
    "/workflow/documents/archive/",
    "/workflow/documents/inbox/unassign/",
    "/workflow/documents/queue/assign/",
]


def _task_state(document):
    return sorted(
        Task.objects.filter(process_id=document.process.pk).values_list("pk", "status", "owner_id")
    )


@pytest.mark.django_db
def test_releasing_and_claiming_a_task_through_viewflow_answers_404_and_changes_nothing(
    office, other_office, document, client_for
):
    act(document, office)
    task = open_task(document)
    before, entries = _task_state(document), TraceEntry.objects.count()

    owner = client_for(office.production_head)
    released = owner.post("/workflow/documents/inbox/unassign/", {"pk": task.pk, "_confirm": "1"})
    stranger = client_for(other_office.clerk)
    claimed = stranger.post("/workflow/documents/queue/assign/", {"pk": task.pk, "_confirm": "1"})
    listed = stranger.post("/workflow/documents/queue/", {})

    assert [released.status_code, claimed.status_code, listed.status_code] == [404, 404, 404]
    assert document.title not in listed.content.decode()
    assert _task_state(document) == before
    assert TraceEntry.objects.count() == entries
    assert trace.verify_chain(document.pk) is None
    assert stranger.get(f"/workflow/documents/document/{document.pk}/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("url", HIJACK_URLS)
def test_viewflow_lists_and_bulk_actions_are_not_routed(url, office, client_for):
    assert client_for(office.drafter).get(url).status_code == 404


@pytest.mark.django_db
def test_viewflow_task_screens_are_not_routed_even_for_a_system_administrator(
    office, document, client_for
):
    act(document, office)
    process = document.process
    superuser = client_for(UserFactory(is_superuser=True))
    before, entries = _task_state(document), TraceEntry.objects.count()
    for task in Task.objects.filter(process_id=process.pk):
        base = f"/workflow/documents/flows/outgoing/{process.pk}/{task.flow_task.name}/{task.pk}/"
        for action in ["", "detail/", "undo/", "cancel/", "revive/", "assign/", "unassign/"]:
            response = superuser.post(base + action, {"_confirm": "1"})
            assert response.status_code == 404, base + action
    assert _task_state(document) == before
    assert TraceEntry.objects.count() == entries


@pytest.mark.django_db
def test_process_list_task_list_and_process_cancel_of_viewflow_are_not_routed(
    office, document, client_for
):
    superuser = client_for(UserFactory(is_superuser=True))
    process = document.process
    before = _task_state(document)
    for url in [
        "/workflow/documents/flows/outgoing/flows/",
        "/workflow/documents/flows/outgoing/tasks/",
        f"/workflow/documents/flows/outgoing/{process.pk}/cancel/",
    ]:
        assert superuser.post(url, {"_cancel_process": "1"}).status_code == 404, url
    assert _task_state(document) == before
