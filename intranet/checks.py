"""System checks of the deployment that Django's own checks do not know about."""

from django.conf import settings
from django.core.checks import Error, Tags, register

PROCESS_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "core.cache.PerProcessCache",
}


@register(Tags.caches)
def shared_cache_check(app_configs=None, **kwargs) -> list[Error]:
    """Roles, audiences and cached lists are invalidated by the process that changes them; a
    per-process cache would leave every other worker honouring a revoked role."""
    if not getattr(settings, "INTRANET_REQUIRE_SHARED_CACHE", False):
        return []
    return [
        Error(
            f"The {alias!r} cache is held in each process's memory, but several processes may "
            "serve this site.",
            hint="Set CACHE_URL=redis://host:6379/0 so that every process shares one cache, or "
            "ALLOW_PROCESS_LOCAL_CACHE=true if exactly one process serves.",
            id="intranet.E001",
        )
        for alias, options in settings.CACHES.items()
        if options.get("BACKEND") in PROCESS_LOCAL_CACHES
    ]
