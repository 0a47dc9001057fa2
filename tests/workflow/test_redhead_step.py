"""The red-head step renders its PDF before it takes the database's write lock, and leaves no
file behind when it does not complete."""

import hashlib

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection

from tests.factories.documents import advance, open_task
from workflow import services
from workflow.models import OutgoingDocument, TraceEntry

PDF = b"%PDF-1.7\n% red-head stand-in\n%%EOF\n"


def pdf_files() -> list[str]:
    return sorted(p.name for p in settings.MEDIA_ROOT.rglob("*.pdf"))


@pytest.fixture
def at_red_head(office, document):
    advance(document, office, until="red_head")
    return open_task(document)


def test_the_pdf_is_rendered_outside_the_step_transaction(
    office, document, at_red_head, monkeypatch
):
    # The test itself runs inside transactions: count the blocks the step adds.
    enclosing = len(connection.atomic_blocks)
    seen = []

    def render(document):
        seen.append(len(connection.atomic_blocks) - enclosing)
        return PDF, hashlib.sha256(PDF).hexdigest()

    monkeypatch.setattr("workflow.services.outgoing._redhead_pdf", render)
    services.red_head_render(task=at_red_head, user=office.clerk)

    assert seen == [0]
    document.refresh_from_db()
    assert document.final_pdf and len(pdf_files()) == 1


def test_a_step_that_rolls_back_leaves_no_pdf(office, document, at_red_head, monkeypatch):
    def trace_fails(*args, **kwargs):
        raise RuntimeError("the trace could not be written")

    monkeypatch.setattr("workflow.trace.append", trace_fails)
    with pytest.raises(RuntimeError):
        services.red_head_render(task=at_red_head, user=office.clerk)

    assert pdf_files() == []
    document.refresh_from_db()
    assert not document.final_pdf
    assert open_task(document).flow_task.name == "red_head"


def test_a_document_changed_while_rendering_is_not_stamped_with_the_old_pdf(
    office, document, at_red_head, monkeypatch, english_messages
):
    def render_while_someone_edits(rendered):
        OutgoingDocument.objects.get(pk=rendered.pk).save()  # moves updated_at
        return PDF, hashlib.sha256(PDF).hexdigest()

    monkeypatch.setattr("workflow.services.outgoing._redhead_pdf", render_while_someone_edits)
    renders = TraceEntry.objects.filter(document=document, action="render")
    with pytest.raises(services.DocumentError, match="changed while it was being typeset"):
        services.red_head_render(task=at_red_head, user=office.clerk)

    assert pdf_files() == []
    assert not renders.exists()


def test_no_rendering_for_someone_who_may_not_act(office, at_red_head, monkeypatch):
    rendered = []
    monkeypatch.setattr("workflow.services.outgoing._redhead_pdf", rendered.append)
    with pytest.raises(PermissionDenied):
        services.red_head_render(task=at_red_head, user=office.outsider)
    assert rendered == []
