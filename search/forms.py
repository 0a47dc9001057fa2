"""Reading a search from request parameters: whatever was typed, the result is a valid query."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from . import registry
from .models import BestBet
from .query import PAGE_SIZE, SearchQuery, Sort


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "").strip()[:10]) if value else None
    except ValueError:
        return None


def _int(value, default: int) -> int:
    try:
        return int(str(value)[:6])
    except (TypeError, ValueError):
        return default


def query_from_params(params) -> SearchQuery:
    """Unknown kinds, malformed dates and pages are dropped rather than refused."""
    known_kinds = {provider.kind for provider in registry.providers()}
    return SearchQuery.build(
        text=params.get("q", ""),
        kinds=[kind for kind in params.getlist("kind") if kind in known_kinds],
        units=[unit.strip()[:32] for unit in params.getlist("unit")],
        date_from=_date(params.get("from")),
        date_to=_date(params.get("to")),
        sort=params.get("sort", Sort.RELEVANCE),
        page=_int(params.get("page"), 1),
        page_size=_int(params.get("size"), PAGE_SIZE),
    )


class BestBetForm(forms.ModelForm):
    class Meta:
        model = BestBet
        fields = ["query", "kind", "key", "sort_order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"] = forms.ChoiceField(
            label=_("kind"),
            choices=[(p.kind, p.label) for p in registry.providers()],
        )
