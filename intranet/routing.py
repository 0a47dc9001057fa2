"""Page routing without the lookups that do not change between requests.

On every page view Wagtail finds the request's Site (one SQL query with a CASE ranking). It
changes only when an administrator edits sites, so it is read from the cache here and dropped from
it when those rows change.
With several processes the cache must be shared (CACHE_URL) for the invalidation to reach them all.
"""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http.request import split_domain_port
from wagtail import views as wagtail_views
from wagtail.models import Page, Site
from wagtail.models.sites import get_site_for_hostname

from core.cache import read_with_every_request, versioned_key

SITE_GENERATION_KEY = "intranet:site-generation"
read_with_every_request(SITE_GENERATION_KEY)
SITE_CACHE_SECONDS = 300


def cached_site(request) -> Site | None:
    hostname = split_domain_port(request.get_host())[0]
    port = request.get_port()
    generation = cache.get_or_set(SITE_GENERATION_KEY, 1, None)
    key = versioned_key("intranet:site", generation, hostname, port)
    site = cache.get(key)
    if site is None:
        try:
            site = get_site_for_hostname(hostname, port)
        except Site.DoesNotExist:
            return None
        cache.set(key, site, SITE_CACHE_SECONDS)
    return site


def serve_page(request, path):
    """Wagtail's page view, given the cached Site (Wagtail reads it from `_wagtail_site`)."""
    if not hasattr(request, "_wagtail_site"):
        request._wagtail_site = cached_site(request)
    return wagtail_views.serve(request, path)


@receiver([post_save, post_delete], sender=Site)
def _forget_sites(**kwargs):
    _bump_site_generation()


@receiver([post_save, post_delete])
def _forget_sites_for_root_pages(sender, instance, **kwargs):
    # A site caches its root page: a change of a root page (depth 2) must not serve stale paths.
    if isinstance(instance, Page) and instance.depth is not None and instance.depth <= 2:
        _bump_site_generation()


def _bump_site_generation() -> None:
    try:
        cache.incr(SITE_GENERATION_KEY)
    except ValueError:
        cache.set(SITE_GENERATION_KEY, 1, None)
