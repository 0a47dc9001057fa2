"""What `manage.py doctor` checks: a deployment's configuration, one problem per line."""

import os
import shutil
import ssl
import subprocess
import uuid
from collections.abc import Iterator

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from core.extraction import OCR_LANGUAGES
from intranet.checks import PROCESS_LOCAL_CACHES
from search import sync as search_sync

from .health import check_cache

# The red-head PDFs and the document screens name these faces (workflow/redhead, documents.css).
REQUIRED_FONTS = ("Noto Serif CJK SC", "Noto Sans CJK SC")


def _command_output(command: list[str]) -> str | None:
    if shutil.which(command[0]) is None:
        return None
    completed = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
    return completed.stdout + completed.stderr


def fonts() -> Iterator[str]:
    listed = _command_output(["fc-list", ":", "family"])
    if listed is None:
        yield "fonts: fc-list is missing (install fontconfig)"
        return
    for family in REQUIRED_FONTS:
        if family not in listed:
            yield f"fonts: {family} is not installed (Debian: fonts-noto-cjk)"


def tesseract() -> Iterator[str]:
    listed = _command_output(["tesseract", "--list-langs"])
    if listed is None:
        yield "ocr: tesseract is missing (Debian: tesseract-ocr)"
        return
    languages = set(listed.split())
    for language in OCR_LANGUAGES.split("+"):
        if language not in languages:
            package = "tesseract-ocr-" + language.replace("_", "-")
            yield f"ocr: Tesseract has no {language} language data (Debian: {package})"


def cache() -> Iterator[str]:
    backend = settings.CACHES["default"]["BACKEND"]
    if backend in PROCESS_LOCAL_CACHES and getattr(settings, "INTRANET_REQUIRE_SHARED_CACHE", 0):
        yield "cache: each process has its own memory cache; set CACHE_URL=redis://host:6379/0"
    try:
        ok, _ = check_cache()
    except Exception as error:
        ok, _ = False, error
    if not ok:
        yield f"cache: {backend} does not store and return a value (is the server up?)"


def storage() -> Iterator[str]:
    for alias in ("default", "private"):
        name = f"doctor/{uuid.uuid4().hex}.txt"
        try:
            target = storages[alias]
            saved = target.save(name, ContentFile(b"doctor"))
            with target.open(saved, "rb") as handle:
                read_back = handle.read()
            target.delete(saved)
        except Exception as error:
            yield f"storage {alias}: cannot write, read and delete a file ({error})"[:300]
            continue
        if read_back != b"doctor":
            yield f"storage {alias}: a written file reads back differently"
    private = settings.STORAGES["private"]
    if private.get("OPTIONS", {}).get("custom_domain"):
        yield "storage private: it has a public host; private files must not be published"


def elasticsearch() -> Iterator[str]:
    if not search_sync.elasticsearch_enabled():
        return
    from search.backends import elasticsearch as backend

    if not backend.ping():
        yield f"search: Elasticsearch at {settings.ELASTICSEARCH_URL} does not answer"
        return
    index = backend.current_index()
    if index is None:
        yield f"search: the alias {backend.alias()} points at no index (run search_setup)"
    elif not backend.is_current_version(index):
        yield f"search: {index} has an old mapping (run search_reindex)"


def certificate_authorities() -> Iterator[str]:
    configured = {
        "ELASTICSEARCH_CA_CERTS": settings.ELASTICSEARCH_OPTIONS.get("ca_certs"),
        # intranet/settings/ldap.py reads it from the environment only when LDAP is configured.
        "LDAP_CA_FILE": os.environ.get("LDAP_CA_FILE", "").strip(),
    }
    for variable, path in configured.items():
        if not path:
            continue
        try:
            ssl.create_default_context(cafile=path)
        except (OSError, ssl.SSLError) as error:
            yield f"certificates: {variable}={path} is not a readable CA file ({error})"


SECTIONS = (fonts, tesseract, cache, storage, elasticsearch, certificate_authorities)


def problems() -> list[str]:
    return [problem for section in SECTIONS for problem in section()]
