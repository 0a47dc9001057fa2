"""Routing to the publishing pages without walking the page tree on every request.

Wagtail finds a page by asking each page on the path for its child by slug and then loading the
child's own row: two queries per level, six for a news item. Which page a path leads to changes
only when the published tree changes, and every such change bumps the content version (see
signals), so the page found is kept under that version. It is kept pickled: each request unpickles
its own copy, and nothing one request sets on a page reaches another.

Only the portal's own pages are kept; a path leading elsewhere (the knowledge center) is marked as
such and routed by Wagtail as before.
"""

import pickle

from django.core.cache import cache
from wagtail.models import Page
from wagtail.url_routing import RouteResult

from core.cache import versioned_key

from .selectors import content_version

ROUTE_SECONDS = 3600
# Longer paths are routed every time rather than stored under an oversized key.
LONGEST_KEPT_PATH = 200
_ELSEWHERE = b""


def cached_route(root: Page, request, path_components: list[str], portal_page_types: tuple):
    """`root.route(...)` for the portal's pages, from the cache while the published tree is
    unchanged. Not found raises Http404, as Wagtail's route does, and is not kept."""
    path = "/".join(path_components)
    if len(path) > LONGEST_KEPT_PATH:
        return Page.route(root, request, path_components)
    key = versioned_key("home:route", content_version(), root.pk, path)
    kept = cache.get(key)
    if kept:
        return RouteResult(pickle.loads(kept))
    if kept == _ELSEWHERE:
        return Page.route(root, request, path_components)
    result = Page.route(root, request, path_components)
    page, args, kwargs = result
    if isinstance(page, portal_page_types) and not args and not kwargs:
        # Its parent came along from the walk; the copies are lighter without it.
        parent = page.__dict__.pop("_cached_parent_obj", None)
        cache.set(key, pickle.dumps(page, pickle.HIGHEST_PROTOCOL), ROUTE_SECONDS)
        if parent is not None:
            page._cached_parent_obj = parent
    else:
        cache.set(key, _ELSEWHERE, ROUTE_SECONDS)
    return result
