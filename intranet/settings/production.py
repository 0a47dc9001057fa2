"""Production: every secret and host comes from the environment; HTTPS throughout."""

import os

os.environ.setdefault("LOG_FORMAT", "json")

from .base import *  # noqa: F403
from .environment import env_bool, env_int, env_list_required

DEBUG = False
ALLOWED_HOSTS = env_list_required("ALLOWED_HOSTS")
INTRANET_ALLOW_DEMO_DATA = False
# Several workers share nothing in memory: refuse a per-process cache (intranet.checks) unless the
# operator states that one process serves.
INTRANET_REQUIRE_SHARED_CACHE = not env_bool("ALLOW_PROCESS_LOCAL_CACHE", default=False)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Behind the reverse proxy, login throttling counts attempts per client address, not the proxy's.
AXES_IPWARE_PROXY_COUNT = env_int("PROXY_COUNT", default=1)
AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Wagtail's editor previews the page in a same-origin frame, so framing stays SAMEORIGIN.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]
