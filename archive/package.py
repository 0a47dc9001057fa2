"""The transfer package (移交) of a unit's year: every item of the year with its metadata and
files, the catalogue, and checksums, in the folder structure described in docs/archive.md
(modelled on GB/T 18894-2016 and DA/T 48's packages, simplified).

    <fonds>-<year>/
      manifest.json              the package: format, fonds, unit, year, counts, when, by whom
      manifest-sha256.txt        "<sha256>  <path>" for every file below but the three manifests
      tagmanifest-sha256.txt     the same for manifest.json and manifest-sha256.txt
      catalogue.json, catalogue.xml
      items/<archive code>/metadata.json, metadata.xml
      items/<archive code>/files/<nn>-<name>

Files are copied a chunk at a time and each is checked against the checksum recorded at
filing; items are read from the database in batches. The package is written in a hidden folder
beside its destination and renamed into place only when complete.
"""

import hashlib
import json
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from xml.etree import ElementTree
from xml.sax.saxutils import XMLGenerator

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from .models import ArchivedDocument, ArchiveFile, ArchiveItem, FondsSettings

FORMAT = "xietong-archive-package/1"
MANIFEST = "manifest.json"
CHECKSUMS = "manifest-sha256.txt"
TAG_CHECKSUMS = "tagmanifest-sha256.txt"
TAG_FILES = (MANIFEST, CHECKSUMS, TAG_CHECKSUMS)
CATALOGUE_JSON = "catalogue.json"
CATALOGUE_XML = "catalogue.xml"
CHUNK_SIZE = 1 << 20
BATCH_SIZE = 500
PROGRESS_EVERY = 100
# The catalogue's and metadata's fields, in order, as stored on the item (DA/T 46 names in
# docs/archive.md).
ITEM_FIELDS = (
    "archive_code",
    "year",
    "retention",
    "class_code",
    "item_number",
    "doc_number",
    "responsible",
    "title",
    "document_date",
    "pages",
    "classification",
    "remarks",
    "state",
)
FILE_FIELDS = ("path", "name", "kind", "size", "sha256", "pages")


class PackageError(Exception):
    """The package could not be written; nothing was left at its destination."""


def package_name(fonds: FondsSettings, year: int) -> str:
    return f"{fonds.fonds_code}-{year}"


def year_items(fonds: FondsSettings, year: int):
    return (
        ArchiveItem.objects.filter(fonds=fonds, year=year)
        .select_related("fonds", "filed_by")
        .prefetch_related(
            Prefetch("files", queryset=ArchiveFile.objects.order_by("position")),
            Prefetch("documents", queryset=ArchivedDocument.objects.order_by("position")),
        )
        .order_by("retention", "class_code", "item_number")
    )


def export_package(
    fonds: FondsSettings,
    year: int,
    destination: Path | str,
    *,
    progress: Callable[[int], None] | None = None,
    created_by: str = "",
) -> Path:
    """Write the package of the fonds' items of `year` as the folder `<fonds>-<year>` in
    `destination` and return its path. `progress(n)` is told as items are written."""
    destination = Path(destination)
    destination.mkdir(parents=True, exist_ok=True)
    name = package_name(fonds, year)
    final = destination / name
    if final.exists():
        raise PackageError(_("%(path)s already exists.") % {"path": final})
    items = year_items(fonds, year)
    if not items.exists():
        raise PackageError(_("No item was filed in %(year)s.") % {"year": year})
    work = Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".partial", dir=destination))
    try:
        with PackageWriter(work) as writer:
            done = 0
            for item in items.iterator(chunk_size=BATCH_SIZE):
                writer.add_item(item)
                done += 1
                if progress and done % PROGRESS_EVERY == 0:
                    progress(PROGRESS_EVERY)
            if progress and done % PROGRESS_EVERY:
                progress(done % PROGRESS_EVERY)
            writer.finish(
                {
                    "format": FORMAT,
                    "fonds_code": fonds.fonds_code,
                    "category_code": fonds.category_code,
                    "unit": fonds.unit.name,
                    "year": year,
                    "created_at": timezone.now().isoformat(timespec="seconds"),
                    "created_by": created_by,
                    "checksum_algorithm": "SHA-256",
                }
            )
        work.rename(final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return final


class PackageWriter:
    """Writes items into a package folder as they come, keeping only running totals in memory."""

    def __init__(self, root: Path):
        self.root = root
        self.item_count = 0
        self.file_count = 0
        self.payload_bytes = 0

    def __enter__(self):
        self.checksums = (self.root / CHECKSUMS).open("w", encoding="utf-8", newline="\n")
        self.catalogue_json = (self.root / CATALOGUE_JSON).open("w", encoding="utf-8")
        self.catalogue_json.write('{"items": [\n')
        self.catalogue_xml_file = (self.root / CATALOGUE_XML).open("w", encoding="utf-8")
        self.catalogue_xml = XMLGenerator(self.catalogue_xml_file, "utf-8")
        self.catalogue_xml.startDocument()
        self.catalogue_xml.startElement("catalogue", {})
        return self

    def __exit__(self, *exc):
        for handle in (self.checksums, self.catalogue_json, self.catalogue_xml_file):
            handle.close()

    def add_item(self, item: ArchiveItem) -> None:
        folder = f"items/{item.archive_code}"
        (self.root / folder / "files").mkdir(parents=True)
        # A destroyed item's content is gone for good: the package says what it was, no more.
        kept = item.state != ArchiveItem.State.DESTROYED
        files = [self._copy_file(folder, item, f) for f in item.files.all()] if kept else []
        metadata = item_metadata(item, files)
        self._write_text(f"{folder}/metadata.json", json_text(metadata))
        self._write_text(f"{folder}/metadata.xml", metadata_xml(metadata))
        row = catalogue_entry(metadata)
        separator = ",\n" if self.item_count else ""
        self.catalogue_json.write(separator + json.dumps(row, ensure_ascii=False))
        self.catalogue_xml.startElement("item", {})
        for key, value in row.items():
            self.catalogue_xml.startElement(key, {})
            self.catalogue_xml.characters(str(value))
            self.catalogue_xml.endElement(key)
        self.catalogue_xml.endElement("item")
        self.item_count += 1

    def finish(self, package: dict) -> None:
        self.catalogue_json.write("\n]}\n")
        self.catalogue_json.close()
        self.catalogue_xml.endElement("catalogue")
        self.catalogue_xml.endDocument()
        self.catalogue_xml_file.close()
        for name in (CATALOGUE_JSON, CATALOGUE_XML):
            self._record(name, file_sha256(self.root / name), (self.root / name).stat().st_size)
        self.checksums.close()
        manifest = {
            **package,
            "item_count": self.item_count,
            "file_count": self.file_count,
            "payload_bytes": self.payload_bytes,
        }
        (self.root / MANIFEST).write_text(json_text(manifest), encoding="utf-8")
        with (self.root / TAG_CHECKSUMS).open("w", encoding="utf-8", newline="\n") as tags:
            for name in (MANIFEST, CHECKSUMS):
                tags.write(f"{file_sha256(self.root / name)}  {name}\n")

    def _copy_file(self, folder: str, item: ArchiveItem, item_file: ArchiveFile) -> dict:
        path = f"{folder}/files/{item_file.position:02d}-{safe_file_name(item_file.name)}"
        digest, size = hashlib.sha256(), 0
        with item_file.file.open("rb") as source, (self.root / path).open("wb") as target:
            while chunk := source.read(CHUNK_SIZE):
                digest.update(chunk)
                size += len(chunk)
                target.write(chunk)
        if digest.hexdigest() != item_file.sha256:
            raise PackageError(
                _(
                    "The stored file %(name)s of %(code)s no longer matches the checksum recorded "
                    "when it was filed."
                )
                % {"name": item_file.name, "code": item.archive_code}
            )
        self._record(path, item_file.sha256, size)
        return {
            "path": path.removeprefix(folder + "/"),
            "name": item_file.name,
            "kind": item_file.kind,
            "size": size,
            "sha256": item_file.sha256,
            "pages": item_file.pages,
        }

    def _write_text(self, path: str, text: str) -> None:
        data = text.encode()
        (self.root / path).write_bytes(data)
        self._record(path, hashlib.sha256(data).hexdigest(), len(data))

    def _record(self, path: str, sha256: str, size: int) -> None:
        self.checksums.write(f"{sha256}  {path}\n")
        self.file_count += 1
        self.payload_bytes += size


def item_metadata(item: ArchiveItem, files: list[dict]) -> dict:
    """The item-level and file-level metadata of one item (metadata.json; metadata.xml says the
    same)."""
    values = {field: getattr(item, field) for field in ITEM_FIELDS}
    values["document_date"] = item.document_date.isoformat()
    return {
        **values,
        "fonds_code": item.fonds.fonds_code,
        "access": item.access,
        "filed_at": item.filed_at.isoformat(timespec="seconds"),
        "filed_by": item.filed_by.get_full_name() or item.filed_by.username,
        "trace_verified": item.trace_verified,
        "trace_head": item.trace_head,
        "seal_verdict": item.seal_verdict,
        "documents": [
            {"document_id": doc.document_id, "role": doc.role, "position": doc.position}
            for doc in item.documents.all()
        ],
        "files": files,
    }


def catalogue_entry(metadata: dict) -> dict:
    return {field: metadata[field] for field in ITEM_FIELDS}


def metadata_xml(metadata: dict) -> str:
    root = ElementTree.Element("item")
    for key, value in metadata.items():
        if key in ("documents", "files"):
            group = ElementTree.SubElement(root, key)
            for entry in value:
                child = ElementTree.SubElement(group, key.removesuffix("s"))
                for field, field_value in entry.items():
                    ElementTree.SubElement(child, field).text = xml_value(field_value)
        else:
            ElementTree.SubElement(root, key).text = xml_value(value)
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def xml_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def json_text(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def safe_file_name(name: str) -> str:
    return get_valid_filename(Path(name).name) if name else "file"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_SIZE):
            digest.update(chunk)
    return digest.hexdigest()


def zip_package(folder: Path, target: Path) -> Path:
    """The package folder as a zip whose members sit under the folder's name."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zipped:
        for path in package_files(folder):
            zipped.write(folder / path, f"{folder.name}/{path}")
    return target


def package_files(folder: Path) -> Iterator[str]:
    """The package's files, as paths relative to its folder, in a stable order."""
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            yield path.relative_to(folder).as_posix()
