"""The floor `make bench` compares the project's middleware against: a plain Django stack
(sessions, CSRF, authentication, messages, as `startproject` makes it) serving the same hello-world
view, signed in, under the same gunicorn settings. Used only by bench/run.py."""

import os
from urllib.parse import urlsplit

from django.http import HttpResponse
from django.urls import path

SECRET_KEY = os.environ["SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
# The same engine as the project's run: on PostgreSQL, a database of its own there.
_postgres = urlsplit(os.environ.get("PLAIN_DATABASE_URL", ""))
if _postgres.scheme:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": _postgres.path.lstrip("/"),
            "USER": _postgres.username or "postgres",
            "HOST": _postgres.hostname,
            "PORT": _postgres.port or 5432,
        }
    }
else:
    DATABASES = {
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["PLAIN_DATABASE"]}
    }
ROOT_URLCONF = __name__
USE_TZ = True


def hello(request):
    return HttpResponse("Hello, world")


urlpatterns = [path("hello/", hello)]
