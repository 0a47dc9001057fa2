"""Documents are searchable by title, number and body, and only by those who may see them."""

import pytest

from people.models import Role
from search.models import OutboxEntry
from search.registry import provider_for
from tests.factories.documents import OfficeFactory, act, advance, draft_document
from workflow import services
from workflow.models import OutgoingDocument

pytestmark = pytest.mark.django_db


def test_entry_carries_title_number_body_and_access(office, document):
    advance(document, office, until="red_head")
    document.refresh_from_db()
    entry = provider_for("document").entry_for(str(document.pk))
    assert entry.title == document.title
    assert entry.exact == (document.number_text,)
    assert "全体生产车间" in entry.body and "市应急管理局" in entry.body
    assert entry.unit == "UA"
    users = {office.drafter, office.production_head, office.verifier, office.leader, office.clerk}
    assert {f"user:{u.pk}" for u in users} <= set(entry.access)
    assert f"user:{office.outsider.pk}" not in entry.access
    assert f"role:{Role.FILE_CLERK}:{office.unit.pk}" in entry.access
    assert "all" not in entry.access


def test_recipient_units_never_gain_access_to_the_senders_document(office):
    """They see it as it was sent (their delivery), not the sender's form and opinions, even
    after their clerk signed for it."""
    other = OfficeFactory(code="UB", name="乙单位", parent=office.unit.get_parent())
    document = draft_document(office, main_recipients=[other.unit])
    advance(document, office, until="dispatch")
    act(document, office)
    services.delivery_sign_for(delivery=document.deliveries.get(), user=other.clerk)
    access = provider_for("document").entry_for(str(document.pk)).access
    assert f"role:{Role.FILE_CLERK}:{other.unit.pk}" not in access
    assert f"user:{other.clerk.pk}" not in access


def test_every_step_enqueues_the_document(office, document):
    before = OutboxEntry.objects.filter(kind="document", key=str(document.pk)).count()
    act(document, office)
    assert OutboxEntry.objects.filter(kind="document", key=str(document.pk)).count() > before


def test_reindex_reads_every_document_in_bounded_queries(office, django_assert_max_num_queries):
    for index in range(5):
        draft_document(office, title=f"通知{index}")
    provider = provider_for("document")
    with django_assert_max_num_queries(12):
        entries = list(provider.entries())
    assert len(entries) == OutgoingDocument.objects.count() == 5
    assert provider.entry_for("999999") is None
