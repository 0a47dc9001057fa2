"""The portal's panels: each app adds its own blocks to the home page through this registry.

An app writes `<app>/portal.py`, which calls `register(PortalPanel(...))` at import;
`IntranetConfig.ready` imports every such module. The home page asks `rendered_panels(request)`
and imports no app. A panel's HTML is cached per user, language and day under the panel's
version; the app calls `panel_changed(key)` whenever what its panel shows may have changed.
Panels hold no forms: a CSRF token cached with the HTML would outlive the session it belongs to.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core.cache import versioned_key

PANEL_CACHE_SECONDS = 3600


def _everyone(user) -> bool:
    return True


@dataclass(frozen=True)
class PortalPanel:
    key: str
    # Panels are shown in ascending order.
    order: int
    template: str
    # What the template needs; only called when the cached HTML is missing or out of date.
    context: Callable[[HttpRequest], dict]
    # Who sees the panel at all; asked on every request, so it must not query the database.
    visible_to: Callable[..., bool] = _everyone


_panels: dict[str, PortalPanel] = {}


def register(panel: PortalPanel) -> None:
    if not panel.key:
        raise ValueError("A portal panel needs a key.")
    _panels[panel.key] = panel


def unregister(key: str) -> None:
    _panels.pop(key, None)


def panels() -> list[PortalPanel]:
    return sorted(_panels.values(), key=lambda panel: (panel.order, panel.key))


def _version_key(key: str) -> str:
    return f"portal:panel-version:{key}"


def panel_changed(key: str) -> None:
    """Every cached rendering of the panel is out of date. Now, for the writer's own next read;
    again on commit, in case a concurrent request cached the old rendering in between."""
    cache.set(_version_key(key), time.time_ns(), timeout=None)
    transaction.on_commit(lambda: cache.set(_version_key(key), time.time_ns(), timeout=None))


def rendered_panels(request: HttpRequest) -> list[SafeString]:
    """The HTML of every panel the user may see, in order; a panel that renders nothing (e.g.
    nothing is due) is left out."""
    user = request.user
    shown = [panel for panel in panels() if panel.visible_to(user)]
    if not shown:
        return []
    versions = cache.get_many([_version_key(panel.key) for panel in shown])
    suffix = f"{user.pk}:{get_language()}:{timezone.localdate()}"
    result = []
    for panel in shown:
        version = versions.get(_version_key(panel.key))
        if version is None:
            version = cache.get_or_set(_version_key(panel.key), time.time_ns, timeout=None)
        key = versioned_key("portal:panel", panel.key, version, suffix)
        html = cache.get(key)
        if html is None:
            html = render_to_string(panel.template, panel.context(request), request=request)
            cache.set(key, html, PANEL_CACHE_SECONDS)
        if html.strip():
            result.append(mark_safe(html))
    return result
