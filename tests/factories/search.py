"""Search entries and best bets for the search tests."""

from datetime import datetime

import factory
from django.utils import timezone

from search.models import BestBet
from search.registry import SearchEntry


def entry(kind="news", key="1", title="标题", body="", **fields) -> SearchEntry:
    """A search entry with the contract's defaults."""
    return SearchEntry(
        kind=kind,
        key=str(key),
        title=title,
        body=body,
        url=fields.pop("url", f"/{kind}/{key}/"),
        **fields,
    )


def aware(year: int, month: int, day: int) -> datetime:
    return timezone.make_aware(datetime(year, month, day, 9, 0))


class BestBetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BestBet

    query = "请假"
    kind = "notice"
    key = "1"
