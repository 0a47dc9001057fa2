"""Changes administrators make to the search: best bets."""

from django.db import transaction
from django.utils.translation import gettext as _

from .caching import forget_results
from .models import BestBet, SearchEntryRecord
from .permissions import can_administer_search
from .selectors import normalize_best_bet


class SearchAdministrationError(Exception):
    """A refused change to the search set-up; the message is translated."""


def _require_admin(actor) -> None:
    if not can_administer_search(actor):
        raise SearchAdministrationError(_("Only system administrators may change the search."))


@transaction.atomic
def best_bet_create(*, actor, query: str, kind: str, key: str, sort_order: int = 0) -> BestBet:
    """Pin an indexed entry to a query phrase."""
    _require_admin(actor)
    normalized = normalize_best_bet(query)
    if not normalized:
        raise SearchAdministrationError(_("Enter the query phrase to pin the result to."))
    if not SearchEntryRecord.objects.filter(kind=kind, key=key).exists():
        raise SearchAdministrationError(_("No indexed entry has this kind and key."))
    if BestBet.objects.filter(normalized_query=normalized, kind=kind, key=key).exists():
        raise SearchAdministrationError(_("This result is already pinned to this phrase."))
    best_bet = BestBet.objects.create(
        query=query.strip()[:100],
        kind=kind,
        key=key,
        sort_order=sort_order,
        created_by=actor,
    )
    forget_results()
    return best_bet


@transaction.atomic
def best_bet_delete(*, actor, best_bet: BestBet) -> None:
    _require_admin(actor)
    best_bet.delete()
    forget_results()
