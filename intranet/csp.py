"""Content-Security-Policy: django-csp's middleware, with the allowances the Wagtail admin needs.

The policy itself is `CONTENT_SECURITY_POLICY` in the settings: the intranet's own pages and the
viewflow screens run no inline script (behaviour lives in static files: intranet/js/intranet.js).
"""

from functools import cache

from csp.constants import HEADER, HEADER_REPORT_ONLY, SELF, UNSAFE_INLINE
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import reverse

# Wagtail 8's admin is not written for a strict policy, as a browser test showed:
# - its templates start widgets with inline <script> elements that carry no nonce (InlinePanel and
#   MultipleChooserPanel, the date and time pickers);
# - its bundled editor code (wagtailadmin/js/vendor.js) inserts <style> elements at run time whose
#   content varies, so no fixed hash can cover them.
# Only the admin's pages get these allowances; it is used by signed-in editors only.
WAGTAIL_ADMIN_ALLOWANCES = {
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
}


# What a view sets on its response (django-csp's decorators) to change its own policy.
VIEW_POLICY_ATTRIBUTES = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt_ro",
)


class IntranetCSPMiddleware(CSPMiddleware):
    """The headers of a response whose view changed nothing and used no nonce are the same for
    every such response of the admin, and for every other one: they are built once per process
    (and again when the policy settings change), not per request."""

    def process_response(self, request, response):
        if _built_per_response(request, response):
            return super().process_response(request, response)
        for header, value in _fixed_headers(_is_admin(request)):
            if value and header not in response:
                response[header] = value
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if _is_admin(request):
            parts.replace = {**(parts.replace or {}), **WAGTAIL_ADMIN_ALLOWANCES}
        return parts


def _built_per_response(request, response) -> bool:
    return (
        getattr(request, "_csp_nonce", None) is not None
        or any(hasattr(response, name) for name in VIEW_POLICY_ATTRIBUTES)
        or settings.DEBUG
        or request.path_info.startswith(_excluded_prefixes())
    )


def _is_admin(request) -> bool:
    return request.path_info.startswith(_admin_prefix())


@cache
def _admin_prefix() -> str:
    return reverse("wagtailadmin_home")


@cache
def _excluded_prefixes() -> tuple[str, ...]:
    return tuple(
        prefix
        for name in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")
        for prefix in (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES", ())
    )


@cache
def _fixed_headers(admin: bool) -> tuple[tuple[str, str], ...]:
    replace = WAGTAIL_ADMIN_ALLOWANCES if admin else None
    return (
        (HEADER, build_policy(replace=replace)),
        (HEADER_REPORT_ONLY, build_policy(replace=replace, report_only=True)),
    )


@receiver(setting_changed)
def _policy_changed(*, setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY") or setting == "ROOT_URLCONF":
        for cached in (_admin_prefix, _excluded_prefixes, _fixed_headers):
            cached.cache_clear()
