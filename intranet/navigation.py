"""The header's menus: each app adds its entries in `<app>/navigation.py` through this registry.

`IntranetConfig.ready` imports every such module; the context processor asks `menu(request, …)`
and imports no app. The main navigation links the sections; the user menu holds the personal
and administration links. A section served by a page tree gives its `section` (the
`navigation_section` of its index page) and its URL is looked up once and cached.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.core.signals import setting_changed
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import Promise
from wagtail.models import Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from core.cache import read_with_every_request

MAIN = "main"
USER = "user"
SECTION_URLS_CACHE_KEY = "intranet:section-urls"
read_with_every_request(SECTION_URLS_CACHE_KEY)


def _everyone(user) -> bool:
    return True


@dataclass(frozen=True)
class MenuItem:
    key: str
    label: str | Promise
    # Items are shown in ascending order.
    order: int
    menu: str = MAIN
    # Where it leads; exactly one of: a path, a URL name, the `navigation_section` of a page-tree
    # section.
    url: str = ""
    url_name: str = ""
    section: str = ""
    # Who sees the item; asked on every page, so it must be cheap (cached rules).
    visible_to: Callable[..., bool] = _everyone
    # Screens of the section outside its URL (file views, category access).
    also_active_under: tuple[str, ...] = ()


_items: dict[str, MenuItem] = {}


def register(item: MenuItem) -> None:
    if sum(map(bool, (item.url, item.url_name, item.section))) != 1:
        raise ValueError("A menu item needs one of a path, a URL name or a section.")
    _items[item.key] = item


def unregister(key: str) -> None:
    _items.pop(key, None)


def menu(request: HttpRequest, name: str) -> list[dict]:
    """The entries of menu `name` the user may see, in order, the current section marked."""
    user = request.user
    shown = sorted(
        (item for item in _items.values() if item.menu == name and item.visible_to(user)),
        key=lambda item: (item.order, item.key),
    )
    sections = section_urls(request) if any(item.section for item in shown) else {}
    entries = []
    for item in shown:
        url = sections.get(item.section) if item.section else item.url or _path(item.url_name)
        if url:
            entries.append({"key": item.key, "label": item.label, "url": url, "item": item})
    current = _current_key(request.path, entries) if name == MAIN else None
    return [
        {"key": e["key"], "label": e["label"], "url": e["url"], "active": e["key"] == current}
        for e in entries
    ]


def _path(url_name: str) -> str:
    return _reversed(url_name, get_urlconf(), get_script_prefix())


@functools.cache
def _reversed(url_name: str, urlconf, script_prefix: str) -> str:
    """The menus' URL names take no arguments: each path is the same until the URLs change."""
    return reverse(url_name, urlconf=urlconf)


@receiver(setting_changed)
def _urls_changed(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _reversed.cache_clear()


def _current_key(path: str, entries) -> str | None:
    """The section whose URL is the longest prefix of the path; the home page only for itself."""
    for entry in entries:
        if any(path.startswith(prefix) for prefix in entry["item"].also_active_under):
            return entry["key"]
    best_key, best_length = None, 0
    for entry in entries:
        url = entry["url"]
        matches = path == url if url == "/" else path.startswith(url)
        if matches and len(url) > best_length:
            best_key, best_length = entry["key"], len(url)
    return best_key


def section_urls(request) -> dict[str, str]:
    """URLs of the top-level sections by `navigation_section`, cached: they are on every page."""
    urls = cache.get(SECTION_URLS_CACHE_KEY)
    if urls is None:
        urls = _load_section_urls(request)
        cache.set(SECTION_URLS_CACHE_KEY, urls, timeout=600)
    return urls


def _load_section_urls(request) -> dict[str, str]:
    site = Site.find_for_request(request)
    if site is None:
        return {}
    urls = {}
    for page in site.root_page.get_children().live().specific().order_by("path"):
        section = getattr(page, "navigation_section", None)
        if section and section not in urls:
            urls[section] = page.get_url(request=request)
    return urls


@receiver(page_published)
@receiver(page_unpublished)
@receiver(page_slug_changed)
@receiver(post_page_move)
@receiver(post_delete, sender="wagtailcore.Page")
def forget_section_urls(**kwargs):
    cache.delete(SECTION_URLS_CACHE_KEY)
