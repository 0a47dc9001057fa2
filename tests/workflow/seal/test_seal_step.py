"""The seal step (用印) of the outgoing flow: after proof-reading, the unit's seal keeper seals
the red-head PDF, which dispatch then sends."""

import hashlib

import pytest
from django.core.exceptions import PermissionDenied

from people.models import Role
from tests.factories.documents import OfficeFactory, act, advance, open_task, seal_ensure
from tests.factories.people import RoleAssignmentFactory, UserFactory
from workflow import selectors, services
from workflow.models import DocumentRecipient, TraceEntry
from workflow.seal.models import UnitSeal
from workflow.seal.verification import Verdict, verify

from ..conftest import FAKE_PDF, FAKE_SEALED_PDF

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]


def final_pdf(document) -> bytes:
    document.refresh_from_db()
    with document.final_pdf.open("rb") as file:
        return file.read()


def assert_still_unsealed(document, task) -> None:
    assert open_task(document).pk == task.pk
    assert final_pdf(document) == FAKE_PDF
    assert not TraceEntry.objects.filter(document=document, action="seal").exists()


def test_the_keeper_seals_the_typeset_pdf_and_dispatch_sends_it(office, real_redhead):
    from tests.factories.documents import draft_document

    document = draft_document(office)
    advance(document, office, until="seal")
    task = open_task(document)
    assert task.owner == office.seal_keeper
    seal_ensure(office)

    services.seal_apply(task=task, user=office.seal_keeper, opinion="已用印")

    data = final_pdf(document)
    checked = verify(data)
    assert checked.verdict == Verdict.VALID and "甲单位" in checked.signer
    assert document.final_pdf_sha256 == hashlib.sha256(data).hexdigest()
    entry = TraceEntry.objects.get(document=document, action="seal")
    assert entry.extra["sha256"] == document.final_pdf_sha256
    assert "甲单位" in entry.extra["signer"] and entry.extra["serial"]
    assert entry.role == "seal_keeper" and entry.actor == office.seal_keeper
    assert open_task(document).flow_task.name == "dispatch"
    act(document, office)
    assert final_pdf(document) == data
    assert set(document.recipients.values_list("status", flat=True)) == {
        DocumentRecipient.DispatchStatus.SENT
    }


def test_no_one_but_the_units_keeper_may_seal(office, document):
    headquarters_keeper = UserFactory(username="hq-keeper", department=office.office)
    RoleAssignmentFactory(
        user=headquarters_keeper, role=Role.SEAL_KEEPER, unit=office.unit.get_parent()
    )
    other = OfficeFactory(code="UB", name="乙单位", parent=office.unit.get_parent())
    advance(document, office, until="seal")
    seal_ensure(office)
    task = open_task(document)
    for user in (
        office.clerk,
        office.drafter,
        office.process_admin,
        office.leader,
        other.seal_keeper,
        headquarters_keeper,
    ):
        with pytest.raises(PermissionDenied):
            services.seal_apply(task=task, user=user)
    assert_still_unsealed(document, task)


def test_a_seal_task_handed_to_someone_who_is_not_a_keeper_is_refused(office, document):
    advance(document, office, until="seal")
    seal_ensure(office)
    task = open_task(document)
    services.task_reassign(task=task, user=office.process_admin, to_user=office.clerk, reason="x")
    task = open_task(document)
    with pytest.raises(services.DocumentError, match="Only the seal keeper of 甲单位"):
        services.seal_apply(task=task, user=office.clerk)
    assert_still_unsealed(document, task)


def test_a_unit_without_a_seal_is_told_so_and_nothing_changes(office, document):
    advance(document, office, until="seal")
    task = open_task(document)
    assert not UnitSeal.objects.exists()
    with pytest.raises(services.DocumentError, match="has no seal configured yet"):
        services.seal_apply(task=task, user=office.seal_keeper)
    assert_still_unsealed(document, task)


def test_proofreading_needs_a_seal_keeper_in_the_unit(office, document):
    office.seal_keeper.role_assignments.all().delete()
    advance(document, office, until="proofread")
    task = open_task(document)
    with pytest.raises(services.DocumentError, match="Choose the seal keeper"):
        services.proofread_confirm(task=task, user=office.drafter)
    assert open_task(document).pk == task.pk


def test_the_seal_step_returns_and_is_withdrawn_through_the_engine(office, document):
    advance(document, office, until="seal")
    seal_task = open_task(document)
    assert services.can_withdraw(office.drafter, seal_task)
    services.task_withdraw(task=seal_task, user=office.drafter, reason="再校一遍")
    assert open_task(document).flow_task.name == "proofread"
    act(document, office)
    services.task_return(
        task=open_task(document), user=office.seal_keeper, to_step="red_head", reason="重新套红"
    )
    assert open_task(document).flow_task.name == "red_head"


def test_a_return_from_dispatch_to_the_seal_keeps_the_seal(office, document):
    advance(document, office, until="dispatch")
    services.task_return(
        task=open_task(document), user=office.clerk, to_step="seal", reason="核对印章"
    )
    act(document, office)
    assert final_pdf(document) == FAKE_SEALED_PDF
    kept = TraceEntry.objects.filter(document=document, action="seal").last()
    assert kept.extra["kept"]


def test_the_seal_screen_shows_the_pdf_and_seals(client, office, document, portal):
    advance(document, office, until="seal")
    seal_ensure(office)
    task = open_task(document)
    url = selectors.task_url(task)
    client.force_login(office.clerk)
    assert client.get(url).status_code == 302  # not the clerk's task
    client.force_login(office.seal_keeper)
    response = client.get(url)
    assert response.status_code == 200
    assert "Apply the seal" in response.text or "加盖印章" in response.text
    response = client.post(url, {"decision": "approve", "opinion": "已用印"})
    assert response.status_code == 302
    assert open_task(document).flow_task.name == "dispatch"
