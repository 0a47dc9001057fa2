"""Which uploads the knowledge center accepts: decided by the content, not by the name.

The real type comes from the file's first bytes (`filetype`); Office Open XML files are zip
archives, told apart by the `[Content_Types].xml` inside; plain text must decode as UTF-8 or
GB18030. The name's extension must agree with the content.
"""

import zipfile
from dataclasses import dataclass
from pathlib import Path

import filetype
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

DEFAULT_MAX_UPLOAD_BYTES = 50 * 2**20
TEXT_ENCODINGS = ("utf-8", "gb18030")
SNIFF_BYTES = 8192


@dataclass(frozen=True)
class FileKind:
    label: str
    content_type: str
    extensions: tuple[str, ...]


PDF = FileKind("PDF", "application/pdf", (".pdf",))
DOCX = FileKind(
    "DOCX",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
)
XLSX = FileKind(
    "XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)
)
DOC = FileKind("DOC", "application/msword", (".doc",))
XLS = FileKind("XLS", "application/vnd.ms-excel", (".xls",))
PNG = FileKind("PNG", "image/png", (".png",))
JPEG = FileKind("JPEG", "image/jpeg", (".jpg", ".jpeg"))
TXT = FileKind("TXT", "text/plain", (".txt",))
ALLOWED = (PDF, DOCX, XLSX, DOC, XLS, PNG, JPEG, TXT)

# Word and Excel 97-2003 share the OLE2 container; the extension tells which one it holds.
OLE2_SIGNATURE = bytes.fromhex("d0cf11e0a1b11ae1")
OOXML_MAIN_PARTS = {
    "wordprocessingml.document.main": DOCX,
    "spreadsheetml.sheet.main": XLSX,
}


class UploadRefused(Exception):
    """The upload is not accepted; the message says why, in the user's language."""


def max_upload_bytes() -> int:
    return getattr(settings, "KNOWLEDGE_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES)


def allowed_types_label() -> str:
    return "、".join(kind.label for kind in ALLOWED)


def accept_extensions() -> str:
    """For the file input's `accept` attribute."""
    return ",".join(extension for kind in ALLOWED for extension in kind.extensions)


def check_upload(uploaded) -> FileKind:
    """The kind of an uploaded file, or `UploadRefused` with the reason."""
    size = uploaded.size or 0
    if size == 0:
        raise UploadRefused(_("The file is empty."))
    limit = max_upload_bytes()
    if size > limit:
        raise UploadRefused(
            _("The file is %(size)s; files may be at most %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
        )
    kind = sniff(uploaded)
    extension = Path(uploaded.name or "").suffix.lower()
    if kind is None:
        raise UploadRefused(
            _("This is not a file type the knowledge center accepts (%(types)s).")
            % {"types": allowed_types_label()}
        )
    if extension not in kind.extensions:
        raise UploadRefused(
            _("The file's content is %(kind)s, but its name ends in “%(extension)s”.")
            % {"kind": kind.label, "extension": extension or _("no extension")}
        )
    return kind


def sniff(uploaded) -> FileKind | None:
    uploaded.seek(0)
    head = uploaded.read(SNIFF_BYTES)
    uploaded.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return PDF
        if head.startswith(OLE2_SIGNATURE):
            return XLS if (uploaded.name or "").lower().endswith(".xls") else DOC
        guessed = filetype.guess(head)
        if guessed is not None:
            if guessed.mime == "image/png":
                return PNG
            if guessed.mime == "image/jpeg":
                return JPEG
            if guessed.mime == "application/zip" or guessed.extension in {"docx", "xlsx"}:
                return _office_open_xml(uploaded)
            return None
        return TXT if _decodes_as_text(uploaded) else None
    finally:
        uploaded.seek(0)


def _office_open_xml(uploaded) -> FileKind | None:
    try:
        with zipfile.ZipFile(uploaded) as archive:
            content_types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
    for marker, kind in OOXML_MAIN_PARTS.items():
        if marker in content_types:
            return kind
    return None


def _decodes_as_text(uploaded) -> bool:
    content = uploaded.read()
    if b"\x00" in content:
        return False
    return decode_text(content) is not None


def decode_text(content: bytes) -> str | None:
    for encoding in TEXT_ENCODINGS:
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None
