"""Production settings for the scale-out test's processes, less what loopback cannot give:
HTTPS (the client says X-Forwarded-Proto: https, cookies travel over plain HTTP) and the
collected static manifest (collectstatic takes minutes)."""

from intranet.settings.production import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
WHITENOISE_USE_FINDERS = True
# Small batches, so that the test can stop a worker in the middle of a drain.
SEARCH_OUTBOX_BATCH_SIZE = 25
