"""Read paths of the portal."""

from django.core.cache import cache
from wagtail.models import Page, Site

SECTION_URLS_CACHE_KEY = "home:section-urls"


def section_urls(request) -> dict[str, str]:
    """URLs of the top-level sections by kind, cached: they are on every page's navigation."""
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


def sections_with_latest_items(home: Page, *, limit: int) -> list[Page]:
    """The portal's sections, each with its newest live children: one query per section."""
    sections = list(home.get_children().live().order_by("path"))
    for section in sections:
        section.latest_items = list(
            section.get_children().live().order_by("-first_published_at")[:limit]
        )
    return sections
