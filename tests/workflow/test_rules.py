"""Classified documents are refused; delegation lets a deputy act on the leader's behalf;
the header badge counts the right tasks; uploads are checked by real type and size."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.factories.documents import act, advance, draft_document, open_task
from workflow import selectors, services
from workflow.models import Classification, OutgoingDocument, TraceEntry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c49444154789c63f8"
    "ffff3f0005fe02fe0def46b80000000049454e44ae426082"
)


@pytest.mark.parametrize(
    "classification",
    [Classification.SECRET, Classification.CONFIDENTIAL, Classification.TOP_SECRET],
)
def test_classified_documents_are_refused_at_creation(office, classification):
    with pytest.raises(ValidationError) as refused:
        draft_document(office, classification=classification)
    assert "must not be processed in this system" in str(refused.value)
    assert not OutgoingDocument.objects.exists()


def test_classified_documents_are_refused_at_every_edit(office, document):
    with pytest.raises(ValidationError, match="must not be processed"):
        services.document_update(
            document=document, user=office.drafter, classification=Classification.SECRET
        )
    document.refresh_from_db()
    assert document.classification == Classification.NON_SECRET
    services.document_update(
        document=document, user=office.drafter, classification=Classification.INTERNAL
    )
    document.refresh_from_db()
    assert document.classification == Classification.INTERNAL


def test_the_database_refuses_a_classified_document_too(office, document):
    with pytest.raises(IntegrityError), transaction.atomic():
        OutgoingDocument.objects.filter(pk=document.pk).update(classification=Classification.SECRET)


def test_only_the_drafter_edits_and_only_at_the_draft_step(office, document):
    with pytest.raises(PermissionDenied):
        services.document_update(document=document, user=office.outsider, title="改")
    act(document, office)
    with pytest.raises(PermissionDenied):
        services.document_update(document=document, user=office.drafter, title="改")


def test_the_form_offers_only_users_who_may_do_the_next_step(office, document):
    task = open_task(document)
    with pytest.raises(ValidationError, match="head of the drafting department"):
        services.draft_submit(task=task, user=office.drafter, department_head=office.leader)
    act(document, office)
    task = open_task(document)
    with pytest.raises(ValidationError, match="office verifier"):
        services.check_approve(task=task, user=office.production_head, verifier=office.outsider)
    act(document, office)
    task = open_task(document)
    with pytest.raises(ValidationError, match="signing leaders"):
        services.verify_approve(task=task, user=office.verifier, signers=[office.clerk])
    with pytest.raises(ValidationError, match="departments"):
        services.verify_approve(
            task=task,
            user=office.verifier,
            signers=[office.leader],
            countersign_departments=[office.office.get_parent().get_parent()],
        )


def test_a_draft_needs_a_main_recipient_and_a_body(office):
    document = draft_document(office, main_recipients=[], body="")
    with pytest.raises(ValidationError, match="main recipient"):
        act(document, office)
    services.document_update(
        document=document, user=office.drafter, main_recipients=[office.finance, "外单位"]
    )
    with pytest.raises(ValidationError, match="body"):
        act(document, office)


def test_body_html_is_sanitised(office):
    document = draft_document(office, body='<p onclick="x()">正文<script>alert(1)</script></p>')
    assert document.body == "<p>正文</p>"


def test_a_deputy_acts_on_behalf_of_the_delegating_leader(office, document):
    advance(document, office, until="sign_off")
    task = open_task(document)
    assert selectors.todo_tasks(office.second_leader).count() == 0
    today = timezone.localdate()
    services.delegation_create(
        user=office.leader,
        leader=office.leader,
        deputy=office.second_leader,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=3),
    )
    assert selectors.todo_tasks(office.second_leader).count() == 1
    assert [t.pk for t in selectors.pending_tasks_for(office.second_leader, limit=5)] == [task.pk]
    services.sign_off_approve(task=task, user=office.second_leader, clerk=office.clerk)
    entry = TraceEntry.objects.filter(document=document).last()
    assert entry.actor == office.second_leader and entry.on_behalf_of == office.leader
    assert entry.actor_name == "王副总" and entry.on_behalf_of_name == "马总"
    document.refresh_from_db()
    assert document.written_on is not None


def test_an_expired_or_revoked_delegation_gives_no_rights(office, document):
    advance(document, office, until="sign_off")
    task = open_task(document)
    today = timezone.localdate()
    services.delegation_create(
        user=office.process_admin,
        leader=office.leader,
        deputy=office.second_leader,
        starts_on=today - datetime.timedelta(days=5),
        ends_on=today - datetime.timedelta(days=1),
    )
    with pytest.raises(PermissionDenied):
        services.sign_off_approve(task=task, user=office.second_leader, clerk=office.clerk)
    current = services.delegation_create(
        user=office.leader,
        leader=office.leader,
        deputy=office.second_leader,
        starts_on=today,
        ends_on=today,
    )
    services.delegation_revoke(delegation=current, user=office.leader)
    with pytest.raises(PermissionDenied):
        services.sign_off_approve(task=task, user=office.second_leader, clerk=office.clerk)


def test_nobody_delegates_someone_elses_tasks(office):
    today = timezone.localdate()
    with pytest.raises(PermissionDenied):
        services.delegation_create(
            user=office.outsider,
            leader=office.leader,
            deputy=office.outsider,
            starts_on=today,
            ends_on=today,
        )


def test_badge_counts_only_open_tasks_of_the_user(office, document):
    assert selectors.todo_tasks(office.drafter).count() == 1
    act(document, office)
    assert selectors.todo_tasks(office.drafter).count() == 0
    assert selectors.todo_tasks(office.production_head).count() == 1
    assert [d.pk for d in selectors.my_drafts(office.drafter)] == []


def test_uploads_are_checked_by_content_and_size(office, document, settings):
    services.attachment_add(
        document=document, user=office.drafter, file=SimpleUploadedFile("表.pdf", PDF)
    )
    services.attachment_add(
        document=document, user=office.drafter, file=SimpleUploadedFile("图.png", PNG)
    )
    services.attachment_add(
        document=document, user=office.drafter, name="原件一份", is_paper_only=True
    )
    with pytest.raises(ValidationError, match="not accepted here"):
        services.attachment_add(
            document=document,
            user=office.drafter,
            file=SimpleUploadedFile("evil.pdf", b"#!/bin/sh\nrm -rf /\n"),
        )
    settings.WORKFLOW_MAX_UPLOAD_BYTES = 10
    with pytest.raises(ValidationError, match="may be at most"):
        services.attachment_add(
            document=document, user=office.drafter, file=SimpleUploadedFile("大.pdf", PDF)
        )
    settings.WORKFLOW_MAX_UPLOAD_BYTES = 2**20
    assert [(a.name, a.is_paper_only) for a in document.attachments.all()] == [
        ("表.pdf", False),
        ("图.png", False),
        ("原件一份", True),
    ]
    with pytest.raises(ValidationError, match="not accepted here"):
        services.document_update(
            document=document, user=office.drafter, body_file=SimpleUploadedFile("正文.docx", PDF)
        )


def test_pending_tasks_carry_their_document_and_screen_in_two_queries(
    office, document, django_assert_num_queries
):
    act(document, office)
    office.production_head.refresh_from_db()
    with django_assert_num_queries(2):
        (task,) = selectors.pending_tasks_for(office.production_head, limit=5)
    assert task.document == document and task.url.endswith("/execute/")
    assert str(task.step_title) in ("Department check", "核稿")


def test_a_word_body_is_kept_and_gives_the_printed_body(office):
    import io

    from docx import Document

    word = Document()
    word.add_paragraph("各部门：")
    word.add_paragraph("一、总体要求")
    data = io.BytesIO()
    word.save(data)
    document = draft_document(
        office, body="", body_file=SimpleUploadedFile("正文.docx", data.getvalue())
    )
    assert document.body_file_name == "正文.docx" and document.body_file
    assert document.body == "<p>各部门：</p><p>一、总体要求</p>"
