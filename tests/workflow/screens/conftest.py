"""Fixtures of the list, register and administration screens: a second unit (whose people must
see nothing of the first), signed-in clients, and documents moved along their process."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from viewflow.workflow.models import Task

from tests.factories.documents import OfficeFactory, advance, draft_document, open_task


@pytest.fixture
def other_office(office):
    """A second unit under the same headquarters, with its own cast."""
    return OfficeFactory(code="UB", name="乙单位", parent=office.unit.get_parent())


@pytest.fixture
def client_for():
    def signed_in(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return signed_in


@pytest.fixture
def at_step(office):
    """A new document of `office` whose process waits at `step`."""

    def make(step: str, **overrides):
        document = draft_document(office, **overrides)
        advance(document, office, until=step)
        return document

    return make


def arrived_days_ago(document, days: float) -> Task:
    """Pretend the document's open task arrived `days` ago."""
    task = open_task(document)
    Task.objects.filter(pk=task.pk).update(created=timezone.now() - timedelta(days=days))
    return task
