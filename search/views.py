"""The search page and the administrators' status screen."""

import hashlib

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.cache import versioned_key

from . import registry, selectors, services
from .caching import RESULTS_SECONDS, index_version
from .forms import BestBetForm, query_from_params
from .models import BestBet
from .permissions import can_administer_search
from .query import Sort


def search(request):
    query = query_from_params(request.GET)
    results = selectors.search_for(request.user, query) if query.text else None
    context = {
        "query": query.text,
        "search": query,
        "results": results,
        "kinds": [(p.kind, p.label) for p in registry.providers()],
        "sort_choices": [(Sort.RELEVANCE, _("Relevance")), (Sort.DATE, _("Newest first"))],
        "kind_facets": _facet_rows(query, "kind", results.kind_facets if results else []),
        "unit_facets": _facet_rows(query, "unit", results.unit_facets if results else []),
        "clear_query": urlencode(_params(query, kind=[], unit=[], **{"from": "", "to": ""})),
        "page_query": _page_query(query),
        "can_pin": can_administer_search(request.user),
    }
    if results is not None:
        context["results_html"] = _results_html(request, context)
    return render(request, "search/search.html", context)


def _results_html(request, context) -> str:
    """The database's results as rendered for everyone who may see the same ones (the searcher's
    principals decide), once per index version. Elasticsearch's answers are not versioned here,
    and the administrators' pin buttons are theirs alone."""

    def rendered() -> str:
        return render_to_string("search/includes/results.html", context, request=request)

    results = context["results"]
    if context["can_pin"] or results.backend != "database" or results.fell_back:
        return rendered()
    searched = (results.query, selectors.searcher_principals(request.user))
    key = versioned_key(
        "search:results-html",
        index_version(),
        get_language(),
        hashlib.md5(repr(searched).encode(), usedforsecurity=False).hexdigest(),
    )
    html = cache.get(key)
    if html is None:
        html = rendered()
        cache.set(key, html, RESULTS_SECONDS)
    return mark_safe(html)


def _params(query, **overrides) -> dict:
    params = {
        "q": query.text,
        "kind": list(query.kinds),
        "unit": list(query.units),
        "from": query.date_from.isoformat() if query.date_from else "",
        "to": query.date_to.isoformat() if query.date_to else "",
        "sort": query.sort if query.sort != Sort.RELEVANCE else "",
    }
    params.update(overrides)
    return {name: value for name, value in params.items() if value}


def _facet_rows(query, facet: str, values) -> list[dict]:
    """Links of a facet: the current search with one value toggled, from the first page."""
    selected = set(getattr(query, f"{facet}s"))
    rows = []
    for value in values:
        toggled = sorted(selected ^ {value.value})
        rows.append(
            {
                "value": value.value,
                "label": value.label,
                "count": value.count,
                "selected": value.value in selected,
                "query": urlencode(_params(query, **{facet: toggled}), doseq=True),
            }
        )
    return rows


def _page_query(query) -> str:
    return urlencode(_params(query), doseq=True)


def status(request):
    if not can_administer_search(request.user):
        raise PermissionDenied
    return render(
        request,
        "search/status.html",
        {
            "status": selectors.index_status(),
            "best_bets": selectors.best_bets(),
            "zero_results": selectors.zero_result_searches(limit=50),
            "form": BestBetForm(),
            "kind_labels": selectors.kind_labels(),
        },
    )


@require_POST
def best_bet_create(request):
    if not can_administer_search(request.user):
        raise PermissionDenied
    form = BestBetForm(request.POST)
    if form.is_valid():
        try:
            services.best_bet_create(actor=request.user, **form.cleaned_data)
        except services.SearchAdministrationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The result is pinned."))
    else:
        messages.error(request, _("Check the query phrase, kind and key."))
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect("search:status")


@require_POST
def best_bet_delete(request, pk):
    if not can_administer_search(request.user):
        raise PermissionDenied
    best_bet = get_object_or_404(BestBet, pk=pk)
    services.best_bet_delete(actor=request.user, best_bet=best_bet)
    messages.success(request, _("The pin is removed."))
    return redirect("search:status")
