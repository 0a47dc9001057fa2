"""The trace (办理痕迹): an append-only, hash-chained log of every action on a document.

Each entry stores the SHA-256 of its predecessor (of the same document) and its own SHA-256
over a canonical serialisation of its fields, so an entry changed, removed or inserted behind
the application's back breaks the chain, which `verify_chain` (and the `verify_trace`
command) find. Entries are written by the services inside the step's transaction, after the
process row is locked, so two actions on one document never race for the same predecessor;
the unique (document, previous_hash) constraint would refuse a fork anyway.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC

from django.utils import timezone

from .models import Document, TraceEntry


def canonical_payload(entry: TraceEntry) -> str:
    created_at = entry.created_at.astimezone(UTC).isoformat(timespec="microseconds")
    fields = {
        "document": entry.document_id,
        "task": entry.task_id,
        "step": entry.step,
        "actor": entry.actor_id,
        "actor_name": entry.actor_name,
        "on_behalf_of": entry.on_behalf_of_id,
        "on_behalf_of_name": entry.on_behalf_of_name,
        "role": entry.role,
        "created_at": created_at,
        "action": entry.action,
        "opinion": entry.opinion,
        "next_users": entry.next_users,
        "extra": entry.extra,
        "previous_hash": entry.previous_hash,
    }
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def entry_digest(entry: TraceEntry) -> str:
    return hashlib.sha256(canonical_payload(entry).encode()).hexdigest()


def append(
    document: Document,
    *,
    step: str,
    action: str,
    actor=None,
    on_behalf_of=None,
    role: str = "",
    opinion: str = "",
    next_users=(),
    extra: dict | None = None,
    task=None,
) -> TraceEntry:
    """Add an entry at the end of the document's chain (call inside the step's transaction)."""
    previous = TraceEntry.objects.filter(document=document).order_by("-pk").first()
    entry = TraceEntry(
        document=document,
        task=task,
        step=step,
        actor=actor,
        actor_name=actor.get_full_name() if actor is not None else "",
        on_behalf_of=on_behalf_of,
        on_behalf_of_name=on_behalf_of.get_full_name() if on_behalf_of is not None else "",
        role=role,
        created_at=timezone.now(),
        action=action,
        opinion=opinion,
        next_users=[user.get_full_name() for user in next_users],
        extra=extra or {},
        previous_hash=previous.entry_hash if previous is not None else "",
    )
    entry.entry_hash = entry_digest(entry)
    entry.save()
    return entry


@dataclass(frozen=True)
class BrokenLink:
    document_id: int
    entry_id: int
    position: int
    reason: str


def verify_chain(document_id: int) -> BrokenLink | None:
    """The first entry of the document whose hash or link to its predecessor is wrong."""
    expected_previous = ""
    entries = TraceEntry.objects.filter(document_id=document_id).order_by("pk")
    for position, entry in enumerate(entries.iterator(), 1):
        if entry.previous_hash != expected_previous:
            return BrokenLink(document_id, entry.pk, position, "previous hash does not match")
        if entry_digest(entry) != entry.entry_hash:
            return BrokenLink(document_id, entry.pk, position, "content does not match its hash")
        expected_previous = entry.entry_hash
    return None
