"""The upload policy: which files each use accepts, decided by the content and the name together.

A file's kind comes from its first bytes (`filetype` and a few signatures of our own); Office Open
XML files and OFD are zip archives, told apart by what they hold; plain text must decode as UTF-8
or GB18030 and must not be markup. The name's extension must agree with the content, so a PDF
called `evil.html` is refused. Each use (`Policy`) names the kinds it accepts and its size limit.

Decompression bombs are refused before any parser sees them: a zip-based file whose members
expand beyond `max_expanded_bytes()` in total, or compress better than `MAX_COMPRESSION_RATIO`,
and an image with more than `max_image_pixels()` pixels. Python's `zipfile` never inflates a
member beyond the size its directory declares, so checking the declared sizes bounds what
python-docx and openpyxl will read later.
"""

import codecs
import zipfile
from dataclasses import dataclass
from pathlib import Path

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

DEFAULT_MAX_UPLOAD_BYTES = 50 * 2**20
DEFAULT_MAX_EXPANDED_BYTES = 100 * 2**20
DEFAULT_MAX_IMAGE_PIXELS = 40_000_000
# Text XML deflates 5-20 times; a part compressing 100 times better than that is padding.
MAX_COMPRESSION_RATIO = 100
# Parts smaller than this may compress as well as they like: they cannot grow into a bomb.
RATIO_CHECKED_ABOVE_BYTES = 2**20
MAX_ARCHIVE_MEMBERS = 5000
SNIFF_BYTES = 8192
TEXT_SNIFF_BYTES = 2**20
TEXT_ENCODINGS = ("utf-8-sig", "gb18030")


@dataclass(frozen=True)
class FileKind:
    label: str
    content_type: str
    extensions: tuple[str, ...]
    is_zip: bool = False
    is_image: bool = False

    def allows_name(self, name: str) -> bool:
        return Path(name or "").suffix.lower() in self.extensions


PDF = FileKind("PDF", "application/pdf", (".pdf",))
DOCX = FileKind(
    "DOCX",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
    is_zip=True,
)
XLSX = FileKind(
    "XLSX",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    (".xlsx",),
    is_zip=True,
)
PPTX = FileKind(
    "PPTX",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    (".pptx",),
    is_zip=True,
)
OFD = FileKind("OFD", "application/ofd", (".ofd",), is_zip=True)
DOC = FileKind("DOC", "application/msword", (".doc",))
XLS = FileKind("XLS", "application/vnd.ms-excel", (".xls",))
PPT = FileKind("PPT", "application/vnd.ms-powerpoint", (".ppt",))
PNG = FileKind("PNG", "image/png", (".png",), is_image=True)
JPEG = FileKind("JPEG", "image/jpeg", (".jpg", ".jpeg"), is_image=True)
GIF = FileKind("GIF", "image/gif", (".gif",), is_image=True)
WEBP = FileKind("WEBP", "image/webp", (".webp",), is_image=True)
TIFF = FileKind("TIFF", "image/tiff", (".tif", ".tiff"), is_image=True)
BMP = FileKind("BMP", "image/bmp", (".bmp",), is_image=True)
TXT = FileKind("TXT", "text/plain", (".txt",))
CSV = FileKind("CSV", "text/csv", (".csv",))
ICS = FileKind("iCalendar", "text/calendar", (".ics",))

# Word, Excel and PowerPoint 97-2003 share the OLE2 container; the extension tells which it holds.
OLE2_SIGNATURE = bytes.fromhex("d0cf11e0a1b11ae1")
OLE2_KINDS = (DOC, XLS, PPT)
OOXML_MAIN_PARTS = {
    "wordprocessingml.document.main": DOCX,
    "spreadsheetml.sheet.main": XLSX,
    "presentationml.presentation.main": PPTX,
}
IMAGE_MIMES = {kind.content_type: kind for kind in (PNG, JPEG, GIF, WEBP, TIFF, BMP)}
TEXT_KINDS = (TXT, CSV, ICS)


@dataclass(frozen=True)
class Policy:
    """What one use accepts: its kinds and the setting that holds its size limit."""

    kinds: tuple[FileKind, ...]
    size_setting: str
    default_max_bytes: int = DEFAULT_MAX_UPLOAD_BYTES

    def max_bytes(self) -> int:
        return getattr(settings, self.size_setting, None) or self.default_max_bytes

    def types_label(self) -> str:
        return "、".join(kind.label for kind in self.kinds)

    def extensions(self) -> list[str]:
        return [extension for kind in self.kinds for extension in kind.extensions]

    def accept_attribute(self) -> str:
        """For the file input's `accept` attribute."""
        return ",".join(self.extensions())

    def kind_for_name(self, name: str) -> FileKind | None:
        """The kind a stored, already checked file has, from its name."""
        return next((kind for kind in self.kinds if kind.allows_name(name)), None)


KNOWLEDGE_FILES = Policy((PDF, DOCX, XLSX, DOC, XLS, PNG, JPEG, TXT), "KNOWLEDGE_MAX_UPLOAD_BYTES")
DOCUMENT_BODY = Policy((DOCX, DOC), "WORKFLOW_MAX_UPLOAD_BYTES")
DOCUMENT_ATTACHMENTS = Policy(
    (PDF, OFD, DOCX, DOC, XLSX, XLS, JPEG, PNG, GIF, TIFF, BMP), "WORKFLOW_MAX_UPLOAD_BYTES"
)
# Scanned pages of a paper document, merged into one PDF at registration.
INCOMING_SCANS = Policy((PDF, JPEG, PNG, TIFF), "WORKFLOW_MAX_UPLOAD_BYTES")
WAGTAIL_DOCUMENTS = Policy(
    (PDF, OFD, DOCX, DOC, XLSX, XLS, PPTX, PPT, TXT, JPEG, PNG), "WAGTAILDOCS_MAX_UPLOAD_SIZE"
)
WAGTAIL_IMAGES = Policy(
    (JPEG, PNG, GIF, WEBP), "WAGTAILIMAGES_MAX_UPLOAD_SIZE", default_max_bytes=10 * 2**20
)
HR_IMPORT = Policy((XLSX, CSV), "PEOPLE_IMPORT_MAX_BYTES", default_max_bytes=5 * 2**20)
ICALENDAR_IMPORT = Policy((ICS,), "AGENDA_MAX_ICS_BYTES", default_max_bytes=2 * 2**20)


class UploadRefused(ValidationError):
    """The upload is not accepted; the message says why, in the user's language."""


def max_expanded_bytes() -> int:
    return getattr(settings, "UPLOAD_MAX_EXPANDED_BYTES", DEFAULT_MAX_EXPANDED_BYTES)


def max_image_pixels() -> int:
    return getattr(settings, "UPLOAD_MAX_IMAGE_PIXELS", DEFAULT_MAX_IMAGE_PIXELS)


def check_upload(uploaded, policy: Policy) -> FileKind:
    """The kind of an uploaded file (a Django `File`), or `UploadRefused` with the reason."""
    size = uploaded.size or 0
    if size == 0:
        raise UploadRefused(_("The file is empty."), code="empty")
    limit = policy.max_bytes()
    if size > limit:
        raise UploadRefused(
            _("The file is %(size)s; files may be at most %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    name = uploaded.name or ""
    kind = sniff(uploaded, name)
    if kind is None or kind not in policy.kinds:
        raise UploadRefused(
            _("This file type is not accepted here; accepted types: %(types)s.")
            % {"types": policy.types_label()},
            code="type",
        )
    if not kind.allows_name(name):
        extension = Path(name).suffix.lower()
        raise UploadRefused(
            _("The file's content is %(kind)s, but its name ends in “%(extension)s”.")
            % {"kind": kind.label, "extension": extension or _("no extension")},
            code="extension",
        )
    if kind.is_zip:
        check_archive(uploaded)
    if kind.is_image:
        check_image(uploaded)
    return kind


def sniff(uploaded, name: str = "") -> FileKind | None:
    """The kind the content shows; the name only chooses between kinds sharing one container."""
    extension = Path(name).suffix.lower()
    uploaded.seek(0)
    head = uploaded.read(SNIFF_BYTES)
    uploaded.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return PDF
        if head.startswith(OLE2_SIGNATURE):
            return next((k for k in OLE2_KINDS if extension in k.extensions), DOC)
        guessed = filetype.guess(head)
        if guessed is not None:
            if guessed.mime in IMAGE_MIMES:
                return IMAGE_MIMES[guessed.mime]
            if guessed.mime == "application/zip" or guessed.extension in {"docx", "xlsx", "pptx"}:
                return _zip_kind(uploaded)
            return None
        if _is_plain_text(uploaded):
            return next((k for k in TEXT_KINDS if extension in k.extensions), TXT)
        return None
    finally:
        uploaded.seek(0)


def _zip_kind(uploaded) -> FileKind | None:
    try:
        with zipfile.ZipFile(uploaded) as archive:
            names = set(archive.namelist())
            if "OFD.xml" in names:
                return OFD
            if "[Content_Types].xml" not in names:
                return None
            if archive.getinfo("[Content_Types].xml").file_size > RATIO_CHECKED_ABOVE_BYTES:
                return None
            content_types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError):
        return None
    for marker, kind in OOXML_MAIN_PARTS.items():
        if marker in content_types:
            return kind
    return None


def _is_plain_text(uploaded) -> bool:
    head = uploaded.read(TEXT_SNIFF_BYTES)
    if b"\x00" in head:
        return False
    for encoding in TEXT_ENCODINGS:
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        # HTML, SVG and XML are markup a browser runs, not text.
        return not text.lstrip().startswith("<")
    return False


def check_archive(source) -> None:
    """Refuse a zip whose members would expand too far, before anything inflates them.

    `source` is a path or a binary file object (left at its start)."""
    refused = UploadRefused(
        _(
            "The file expands to more than %(limit)s when opened, or is compressed suspiciously "
            "well; it is refused as a possible decompression bomb."
        )
        % {"limit": filesizeformat(max_expanded_bytes())},
        code="bomb",
    )
    try:
        with zipfile.ZipFile(source) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise UploadRefused(_("The file is damaged and cannot be opened."), code="damaged") from (
            error
        )
    finally:
        if hasattr(source, "seek"):
            source.seek(0)
    if len(members) > MAX_ARCHIVE_MEMBERS:
        raise refused
    expanded = sum(member.file_size for member in members)
    if expanded > max_expanded_bytes():
        raise refused
    for member in members:
        if (
            member.file_size > RATIO_CHECKED_ABOVE_BYTES
            and member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1)
        ):
            raise refused


def check_image(source) -> None:
    """Refuse an image Pillow cannot identify or with more pixels than the limit (read from its
    header: nothing is decoded)."""
    limit = max_image_pixels()
    try:
        with Image.open(source) as image:
            width, height = image.size
    except Image.DecompressionBombError as error:
        raise _too_many_pixels(limit) from error
    except (UnidentifiedImageError, OSError, ValueError) as error:
        raise UploadRefused(_("The file is damaged and cannot be opened."), code="damaged") from (
            error
        )
    finally:
        if hasattr(source, "seek"):
            source.seek(0)
    if width * height > limit:
        raise _too_many_pixels(limit)


def _too_many_pixels(limit: int) -> UploadRefused:
    return UploadRefused(
        _("The image has more than %(limit)s million pixels; make it smaller.")
        % {"limit": f"{limit / 1_000_000:g}"},
        code="bomb",
    )


def decode_text(content: bytes) -> str | None:
    """Text in UTF-8 (with or without a byte-order mark) or GB18030, as Chinese Excel and Notepad
    save it; None for anything else."""
    for encoding in TEXT_ENCODINGS:
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None
