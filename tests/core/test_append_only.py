"""The append-only base: rows are added, and every ORM path that would change or delete them refuses
with the model's own message."""

import pytest

from core.append_only import AppendOnlyModel
from people.models import AuditEntry
from workflow.models import TraceEntry
from workflow.numbering.models import NumberingChange

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [AuditEntry, TraceEntry, NumberingChange])
def test_the_logs_of_every_app_share_the_base(model):
    assert issubclass(model, AppendOnlyModel)
    assert model.append_only_refusal != AppendOnlyModel.append_only_refusal


def test_rows_are_added_one_by_one_and_in_bulk():
    AuditEntry.objects.create(action=AuditEntry.Action.USER_CREATED, summary="one")
    AuditEntry.objects.bulk_create(
        [AuditEntry(action=AuditEntry.Action.USER_UPDATED, summary="two")]
    )

    assert sorted(AuditEntry.objects.values_list("summary", flat=True)) == ["one", "two"]


def test_every_orm_path_that_changes_or_deletes_refuses_with_the_models_message():
    entry = AuditEntry.objects.create(action=AuditEntry.Action.USER_CREATED, summary="kept")
    entry.summary = "changed"
    refusals = [
        entry.save,
        entry.delete,
        lambda: AuditEntry.objects.update(summary="changed"),
        lambda: AuditEntry.objects.filter(pk=entry.pk).update(summary="changed"),
        lambda: AuditEntry.objects.bulk_update([entry], ["summary"]),
        lambda: AuditEntry.objects.all().delete(),
    ]
    for refused in refusals:
        with pytest.raises(PermissionError, match=r"^The audit log is append-only\.$"):
            refused()

    assert AuditEntry.objects.get().summary == "kept"
