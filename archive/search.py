"""Filed items as search entries (kind "archive"): found by title, document number, archive code
and responsible party, by the item's audience as filed and the unit's archivists; a destroyed item
leaves the index.

An item enters the outbox in the transaction that files it (the post_save below, so every filing
path is covered) and leaves it in the destruction's transaction (`appraisal_services`).
"""

from datetime import datetime, time

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.models import Role
from search import principals
from search.outbox import enqueue
from search.registry import SearchEntry, SearchProvider, register

from .models import ArchiveItem

KIND = "archive"
CHUNK = 500


class ArchiveItemProvider(SearchProvider):
    kind = KIND
    label = _("Archive")

    def _items(self):
        return (
            ArchiveItem.objects.filter(state=ArchiveItem.State.FILED)
            .select_related("fonds__unit")
            .order_by("pk")
        )

    def entries(self):
        items = self._items()
        last_pk = 0
        while batch := list(items.filter(pk__gt=last_pk)[:CHUNK]):
            yield from (self._entry(item) for item in batch)
            last_pk = batch[-1].pk

    def entry_for(self, key):
        item = self._items().filter(pk=key).first() if key.isdigit() else None
        return self._entry(item) if item is not None else None

    def _entry(self, item: ArchiveItem) -> SearchEntry:
        unit = item.fonds.unit
        access = {*item.audience, principals.role(Role.ARCHIVIST, unit.pk)}
        return SearchEntry(
            kind=self.kind,
            key=str(item.pk),
            title=item.title,
            body="\n".join(filter(None, [item.archive_code, item.responsible, item.remarks])),
            url=reverse("archive:read", args=[item.pk]),
            unit=unit.code,
            unit_name=unit.display_name,
            date=timezone.make_aware(datetime.combine(item.document_date, time(9))),
            tags=(item.get_retention_display(), str(item.year)),
            exact=tuple(filter(None, (item.archive_code, item.doc_number))),
            access=tuple(sorted(access)),
        )


register(ArchiveItemProvider())


@receiver(post_save, sender=ArchiveItem)
def index_filed_item(sender, instance: ArchiveItem, created: bool, **kwargs):
    if created:
        enqueue(KIND, str(instance.pk))
