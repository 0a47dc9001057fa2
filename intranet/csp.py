"""Content-Security-Policy: django-csp's middleware, with the allowances the Wagtail admin needs.

The policy itself is `CONTENT_SECURITY_POLICY` in the settings: the intranet's own pages and the
viewflow screens run no inline script (behaviour lives in static files: intranet/js/intranet.js).
"""

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware
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


class IntranetCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith(reverse("wagtailadmin_home")):
            parts.replace = {**(parts.replace or {}), **WAGTAIL_ADMIN_ALLOWANCES}
        return parts
