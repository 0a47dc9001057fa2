"""The trace is append-only and hash-chained; `verify_trace` finds the first broken link."""

import itertools
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from tests.factories.documents import act, advance
from workflow.models import TraceEntry
from workflow.trace import verify_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def traced(office, document):
    advance(document, office, until="sign_off")
    return document


def test_entries_cannot_be_changed_or_deleted_through_the_orm(traced):
    entry = TraceEntry.objects.filter(document=traced).first()
    entry.opinion = "改过"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        TraceEntry.objects.filter(document=traced).update(opinion="改过")
    with pytest.raises(PermissionError):
        TraceEntry.objects.filter(document=traced).delete()
    with pytest.raises(PermissionError):
        TraceEntry.objects.bulk_update([entry], ["opinion"])


def test_each_entry_links_to_the_previous_one(traced):
    entries = list(TraceEntry.objects.filter(document=traced))
    assert entries[0].previous_hash == ""
    for previous, entry in itertools.pairwise(entries):
        assert entry.previous_hash == previous.entry_hash
    assert verify_chain(traced.pk) is None


def _tamper(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_a_changed_opinion_is_detected_by_the_command(traced):
    entries = list(TraceEntry.objects.filter(document=traced))
    _tamper("UPDATE workflow_traceentry SET opinion = %s WHERE id = %s", ["同意", entries[2].pk])
    broken = verify_chain(traced.pk)
    assert broken.entry_id == entries[2].pk and broken.position == 3
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command("verify_trace", str(traced.pk), stdout=out, stderr=out)
    assert f"entry {entries[2].pk}" in out.getvalue()


def test_a_removed_entry_is_detected(traced):
    entries = list(TraceEntry.objects.filter(document=traced))
    _tamper("DELETE FROM workflow_traceentry WHERE id = %s", [entries[1].pk])
    broken = verify_chain(traced.pk)
    assert broken.entry_id == entries[2].pk


def test_the_command_checks_every_document(office, traced):
    out = StringIO()
    call_command("verify_trace", "--all", stdout=out)
    assert "1 document" in out.getvalue() and "intact" in out.getvalue()


def test_trace_records_actor_role_time_and_next_users(office, traced):
    act(traced, office)  # the leader signs off
    entry = TraceEntry.objects.filter(document=traced).last()
    assert entry.action == "sign_off"
    assert entry.actor == office.leader and entry.role == "leader"
    assert entry.opinion == "同意" and entry.next_users == ["郭文书"]
    assert entry.created_at is not None and entry.step == "sign_off"
