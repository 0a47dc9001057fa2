"""The test suite: fast hashing, in-memory cache, tasks at once, no manifest for static files."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-insecure-key")
os.environ.setdefault("SEAL_ENCRYPTION_KEY", "test-only-seal-key")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405

# Static files straight from the apps (no collectstatic), also for the browser tests' live server.
STATIC_ROOT = BASE_DIR / "var" / "test-static"  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# A test-only flow that drives the document engine (tests/workflow/test_engine.py).
INSTALLED_APPS = [*INSTALLED_APPS, "tests.workflow.flowtest"]  # noqa: F405
