"""Whole pages kept per user until anything they were built from changes.

A page an employee opens again (the to-do list after each task, a notice list, a document's
processing form) costs its full rendering each time, though nothing on it changed. Apps name
such pages (`cacheable_pages`); `PageCacheMiddleware` renders one of them once per user, session,
language, day and deployment, and answers later requests with the stored response while
everything it was built from is unchanged:

- every database table the rendering read: each write to a table, through any connection of any
  process, gives the table a new token in the shared cache (`track_writes`): at each statement,
  and again once the transaction commits, so that a page another request rendered between the
  write and the commit (without the uncommitted rows) is not kept under the new token;
- every mutable cache key the rendering read (content, menu and user versions): a writer that
  bumps one of them makes the page out of date as it does the fragment it guards;
- values an app computes before the page is looked up and adds to its key
  (`vary_pages_on`), such as the bell's unread count, so that a table every page reads does not
  make every page out of date on each change anybody causes.

Tables are compared by token, read in one round trip before the rendering (a write during the
rendering then invalidates what is stored). A page is not stored when its rendering wrote to the
database, set a cookie, showed or added a message, used a nonce, read a table it could not
name, or answered anything but a 200. Pages are not shared between users. A lost token only
makes a page be rendered again.
"""

import contextvars
import hashlib
import os
import re
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from fnmatch import fnmatch
from functools import cache as memoize
from importlib.metadata import version
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpResponse
from django.utils import timezone, translation

ENTRY_SECONDS = 600
# Longer than a page is kept: a page kept before a write never outlives the write's token, so a
# token's expiry can never make it current again.
TOKEN_SECONDS = 24 * 3600
TABLE_PREFIX = "page-cache:table:"
ENTRY_PREFIX = "page-cache:page:"
# Keys whose value never changes (their key names what they were computed from) need no check.
IMMUTABLE_KEY_PREFIXES = ("versioned:", "template.cache.", "page-cache:")
ABSENT = "\x00absent"
NOT_RENDERING_FOLDERS = {"static", "migrations", "__pycache__", "node_modules", "fixtures"}

# Anywhere in a statement that does not start with SELECT (a WITH clause may come first).
_WRITTEN_TABLE = re.compile(
    r"\b(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO|TRUNCATE(?:\s+TABLE)?)"
    r'\s+"?(\w+)"?',
    re.IGNORECASE,
)
_SCHEMA_CHANGE = re.compile(r"^\s*(?:ALTER|DROP|CREATE)\s", re.IGNORECASE)
_READ_TABLE = re.compile(r'\b(?:FROM|JOIN)\s+"([^"]+)"', re.IGNORECASE)
_FROM = re.compile(r"\bFROM\b", re.IGNORECASE)

_recording = contextvars.ContextVar("page_cache_recording", default=None)
_bypassed = contextvars.ContextVar("page_cache_bypassed", default=False)
_patterns: list[str] = []
_key_parts: list = []


def cacheable_pages(*view_names: str) -> None:
    """Name views (their URL's view name, shell-style patterns allowed) whose GET pages may be
    kept per user; the views must show nothing that comes from outside the database and the
    cache but the date."""
    _patterns.extend(view_names)
    _is_cacheable.cache_clear()


def vary_pages_on(compute) -> None:
    """`compute(request)` is added to every kept page's key; it is called before the page is
    looked up, so what it reads is not a dependency of the page."""
    _key_parts.append(compute)


@memoize
def _is_cacheable(view_name: str) -> bool:
    return any(fnmatch(view_name, pattern) for pattern in _patterns)


@dataclass
class _Recording:
    tables: set = field(default_factory=set)
    keys: dict = field(default_factory=dict)
    repeats: list = field(default_factory=list)
    storable: bool = True


def not_kept() -> None:
    """The page being rendered shows what neither the database nor the cache versions (an
    Elasticsearch answer): it is not kept."""
    note_unknown_cache_state()


def repeat_on_each_answer(function, *args) -> None:
    """Do `function(*args)` now, and again each time the kept page answers: a side effect every
    request must have, such as logging a search. Its reads and writes are not the page's; the
    function and its arguments must be picklable (a module-level function, plain values)."""
    recording = _recording.get()
    if recording is not None:
        recording.repeats.append((function, args))
    with not_a_dependency():
        function(*args)


@contextmanager
def bypassed():
    """Pages are rendered inside, neither looked up nor kept: what a rendering costs is measured
    so (query budgets in tests, the bench's query counts)."""
    reset = _bypassed.set(True)
    try:
        yield
    finally:
        _bypassed.reset(reset)


@contextmanager
def not_a_dependency():
    """What is read inside is in the page's key (`vary_pages_on`) instead."""
    reset = _recording.set(None)
    try:
        yield
    finally:
        _recording.reset(reset)


def note_cache_read(key: str, value) -> None:
    recording = _recording.get()
    if recording is not None and not key.startswith(IMMUTABLE_KEY_PREFIXES):
        recording.keys.setdefault(key, value)


def note_cache_write(key: str, value) -> None:
    """A value the rendering itself stored (`get_or_set`, a version created on first use): the
    page depends on it as written."""
    recording = _recording.get()
    if recording is not None and not key.startswith(IMMUTABLE_KEY_PREFIXES):
        recording.keys[key] = value


def note_unknown_cache_state() -> None:
    recording = _recording.get()
    if recording is not None:
        recording.storable = False


# Writes


def track_writes(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: every statement of the connection passes `_observe`."""
    if _observe not in connection.execute_wrappers:
        connection.execute_wrappers.append(_observe)


def _observe(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    start = sql.lstrip()[:6].upper()
    if start == "SELECT" or start.startswith("("):
        _note_read(sql)
        return result
    tables = set(_WRITTEN_TABLE.findall(sql))
    if not tables and _SCHEMA_CHANGE.match(sql):
        tables = set(_all_tables())
    if not tables:
        _note_read(sql)  # WITH … SELECT; savepoints, pragmas and settings name no table
        return result
    recording = _recording.get()
    if recording is not None:
        recording.storable = False
    _note_written(context["connection"], tables)
    return result


def _note_read(sql: str) -> None:
    recording = _recording.get()
    if recording is not None:
        tables = _READ_TABLE.findall(sql)
        recording.tables.update(tables)
        if not tables and _FROM.search(sql):
            recording.storable = False


class _BumpAfterCommit:
    """The tables one transaction wrote, given new tokens again once it commits (one callback per
    transaction, however many statements)."""

    def __init__(self, savepoint_ids):
        self.savepoint_ids = set(savepoint_ids)
        self.tables = set()

    def __call__(self):
        _bump(self.tables)


def _note_written(connection, tables: set) -> None:
    _bump(tables)
    if not connection.in_atomic_block:
        return
    current = set(connection.savepoint_ids)
    # Reused only when a rollback that drops it would also undo this write.
    pending = next(
        (
            callback
            for _, callback, _ in connection.run_on_commit
            if isinstance(callback, _BumpAfterCommit) and callback.savepoint_ids <= current
        ),
        None,
    )
    if pending is None:
        pending = _BumpAfterCommit(connection.savepoint_ids)
        connection.on_commit(pending)
    pending.tables |= tables


def _bump(tables) -> None:
    token = os.urandom(6).hex()
    cache.set_many({TABLE_PREFIX + table: token for table in tables}, TOKEN_SECONDS)


@memoize
def _all_tables() -> tuple[str, ...]:
    names = set()
    for model in apps.get_models(include_auto_created=True):
        names.add(model._meta.db_table)
    return tuple(sorted(names))


# Pages


class PageCacheMiddleware:
    """Last in MIDDLEWARE: everything before it (the user, the language, the CSRF cookie) is
    known when a page is looked up, and every response still passes their responses. A page to
    keep is rendered the usual way (the other middleware's view and template hooks included),
    its reads recorded from the lookup until the response is back here."""

    def __init__(self, get_response):
        if not settings.INTRANET_PAGE_CACHE:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        try:
            response = self.get_response(request)
        finally:
            rendering = request.__dict__.pop("_page_cache_rendering", None)
            if rendering is not None:
                _recording.reset(rendering.reset)
        if rendering is not None and rendering.recording.storable and _storable(request, response):
            _keep(request, response, rendering)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not _applies(request):
            return None
        key = _page_key(request)
        if key is None:
            return None
        kept = cache.get(key)
        if kept is not None and _still_current(kept):
            return _kept_response(request, kept)
        # The tables' tokens before anything is read: a write during the rendering makes what is
        # kept out of date at once.
        tokens = cache.get_many([TABLE_PREFIX + table for table in _all_tables()])
        recording = _Recording()
        request._page_cache_rendering = _Rendering(
            key, tokens, recording, _recording.set(recording)
        )
        return None


@dataclass
class _Rendering:
    key: str
    tokens: dict
    recording: _Recording
    reset: contextvars.Token


def _kept_response(request, kept: dict) -> HttpResponse:
    response = HttpResponse(zlib.decompress(kept["content"]), status=kept["status"])
    for header, value in kept["headers"]:
        response[header] = value
    for function, args in kept["repeats"]:
        function(*args)
    if kept["csrf_used"]:
        # As the rendering's get_token() did: the cookie is sent again, its expiry renewed.
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    return response


def _applies(request) -> bool:
    match = request.resolver_match
    if _bypassed.get() or request.method != "GET" or match is None:
        return False
    if not _is_cacheable(match.view_name):
        return False
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    messages = getattr(request, "_messages", None)
    return not (messages is not None and len(messages))


def _page_key(request) -> str | None:
    session = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    csrf = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    if not session or not csrf:
        return None  # the page would set a cookie
    parts = [
        _deployment(),
        request.get_host(),
        request.get_full_path(),
        translation.get_language(),
        timezone.localdate().isoformat(),
        session,
        csrf,
        *(repr(compute(request)) for compute in _key_parts),
    ]
    digest = hashlib.blake2b("\n".join(parts).encode(), digest_size=16).hexdigest()
    return f"{ENTRY_PREFIX}{request.user.pk}:{digest}"


def _still_current(kept: dict) -> bool:
    tables = {TABLE_PREFIX + table: token for table, token in kept["tables"].items()}
    wanted = {**tables, **kept["keys"]}
    found = cache.get_many(list(wanted))
    return all(found.get(key, ABSENT) == value for key, value in wanted.items())


def _keep(request, response, rendering: _Rendering) -> None:
    tokens = rendering.tokens
    cache.set(
        rendering.key,
        {
            "tables": {
                table: tokens.get(TABLE_PREFIX + table, ABSENT)
                for table in rendering.recording.tables
            },
            "keys": rendering.recording.keys,
            "repeats": rendering.recording.repeats,
            "status": response.status_code,
            "csrf_used": bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE")),
            "headers": list(response.items()),
            "content": zlib.compress(response.content, 1),
        },
        ENTRY_SECONDS,
    )


def _storable(request, response) -> bool:
    messages = getattr(request, "_messages", None)
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        # A new CSRF secret (the first one, a rotation) must reach the browser with this page.
        and request.META.get("CSRF_COOKIE") == request.COOKIES.get(settings.CSRF_COOKIE_NAME)
        and not (session is not None and session.modified)
        and not (messages is not None and (messages.used or messages.added_new))
        and getattr(request, "_csp_nonce", None) is None
        and not any(name.startswith("_csp") for name in vars(response))
    )


@memoize
def _deployment() -> str:
    """What the code and translations of this deployment are: pages kept by an earlier release
    are not served by a later one."""
    digest = hashlib.blake2b(digest_size=12)
    root = Path(settings.BASE_DIR).resolve()
    folders = {Path(config.path).resolve() for config in apps.get_app_configs()}
    own = (
        path for path in folders if path.is_relative_to(root) and "site-packages" not in path.parts
    )
    for folder in sorted(own):
        for directory, subdirectories, files in os.walk(folder):
            subdirectories[:] = sorted(set(subdirectories) - NOT_RENDERING_FOLDERS)
            for name in sorted(files):
                if name.endswith((".py", ".html", ".mo")):
                    path = Path(directory, name)
                    digest.update(str(path.relative_to(root)).encode())
                    digest.update(path.read_bytes())
    for package in ("django", "wagtail", "django-viewflow"):
        digest.update(version(package).encode())
    return digest.hexdigest()
