"""Re-checking a transfer package (a folder or its zip) against its own manifests: every file's
SHA-256 and size, the files no manifest lists, and the consistency of the manifest, the
catalogue and each item's metadata. Each problem names its file; see archive/package.py for the
layout."""

import hashlib
import json
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

from .package import (
    CATALOGUE_JSON,
    CHECKSUMS,
    CHUNK_SIZE,
    FORMAT,
    MANIFEST,
    TAG_CHECKSUMS,
    TAG_FILES,
)


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    kind: str  # changed, missing, extra, manifest, metadata
    detail: str = ""

    def line(self) -> str:
        return f"{self.kind.upper()}: {self.path}" + (f" ({self.detail})" if self.detail else "")


@dataclass
class CheckResult:
    problems: list[Problem]
    files_checked: int

    @property
    def ok(self) -> bool:
        return not self.problems


class FolderPackage:
    def __init__(self, root: Path):
        self.root = root

    def names(self) -> set[str]:
        return {p.relative_to(self.root).as_posix() for p in self.root.rglob("*") if p.is_file()}

    def open(self, name: str):
        return (self.root / name).open("rb")


class ZipPackage:
    """A zipped package: its members sit under one folder, the package's name."""

    def __init__(self, zipped: zipfile.ZipFile):
        self.zipped = zipped
        members = [info.filename for info in zipped.infolist() if not info.is_dir()]
        tops = {PurePosixPath(name).parts[0] for name in members if "/" in name}
        self.prefix = f"{tops.pop()}/" if len(tops) == 1 and MANIFEST not in members else ""

    def names(self) -> set[str]:
        return {
            info.filename.removeprefix(self.prefix)
            for info in self.zipped.infolist()
            if not info.is_dir()
        }

    def open(self, name: str):
        return self.zipped.open(self.prefix + name)


@contextmanager
def opened_package(path: Path) -> Iterator[FolderPackage | ZipPackage]:
    if path.is_dir():
        yield FolderPackage(path)
        return
    with zipfile.ZipFile(path) as zipped:
        yield ZipPackage(zipped)


def verify_package(path: Path | str) -> CheckResult:
    """Every problem of the package at `path`, each naming its file; none means intact.
    Raises OSError or zipfile.BadZipFile when `path` is neither a folder nor a readable zip."""
    with opened_package(Path(path)) as package:
        return PackageCheck(package).run()


class PackageCheck:
    def __init__(self, package):
        self.package = package
        self.names = package.names()
        self.problems: list[Problem] = []
        # What the files really hold: path -> (sha256, size), or None when unreadable.
        self.found: dict[str, tuple[str, int] | None] = {}

    def run(self) -> CheckResult:
        self.check_tag_manifest()
        listed = self.read_checksums()
        for path, sha256 in listed.items():
            self.check_listed_file(path, sha256)
        for path in sorted(self.names - set(listed) - set(TAG_FILES)):
            self.problems.append(Problem(path, "extra", "not in the manifest"))
        item_files: dict[str, list[str]] = {}
        for path in listed:
            parts = PurePosixPath(path).parts
            if parts[0] == "items" and len(parts) > 2:
                item_files.setdefault(parts[1], []).append(path)
        self.check_manifest(listed, set(item_files))
        self.check_catalogue(set(item_files))
        for code in sorted(item_files):
            self.check_item_metadata(code, listed, item_files[code])
        return CheckResult(sorted(set(self.problems)), files_checked=len(self.found))

    # Manifests ------------------------------------------------------------------------------

    def check_tag_manifest(self) -> None:
        tags = self.read_checksum_file(TAG_CHECKSUMS)
        if tags is None:
            return
        for name in (MANIFEST, CHECKSUMS):
            if name not in tags:
                self.problems.append(Problem(TAG_CHECKSUMS, "manifest", f"{name} is not listed"))
            elif name in self.names and self.digest(name) != tags[name]:
                self.problems.append(Problem(name, "changed", "checksum differs"))

    def read_checksums(self) -> dict[str, str]:
        return self.read_checksum_file(CHECKSUMS) or {}

    def read_checksum_file(self, name: str) -> dict[str, str] | None:
        if name not in self.names:
            self.problems.append(Problem(name, "missing"))
            return None
        entries = {}
        with self.package.open(name) as handle:
            for number, raw in enumerate(handle, 1):
                line = raw.decode("utf-8", errors="replace").rstrip("\n")
                sha256, separator, path = line.partition("  ")
                if not separator or len(sha256) != 64 or not path or path in entries:
                    self.problems.append(Problem(name, "manifest", f"line {number} is malformed"))
                    continue
                entries[path] = sha256.lower()
        return entries

    def check_listed_file(self, path: str, sha256: str) -> None:
        if path not in self.names:
            self.problems.append(Problem(path, "missing"))
        elif (found := self.digest(path)) is None:
            self.problems.append(Problem(path, "changed", "unreadable"))
        elif found != sha256:
            self.problems.append(Problem(path, "changed", "checksum differs"))

    def check_manifest(self, listed: dict[str, str], item_codes: set[str]) -> None:
        manifest = self.read_json(MANIFEST)
        if manifest is None:
            return
        expected = {
            "format": FORMAT,
            "file_count": len(listed),
            "item_count": len(item_codes),
        }
        for field, value in expected.items():
            if manifest.get(field) != value:
                self.problems.append(
                    Problem(
                        MANIFEST, "manifest", f"{field} is {manifest.get(field)!r}, not {value}"
                    )
                )

    def check_catalogue(self, item_codes: set[str]) -> None:
        catalogue = self.read_json(CATALOGUE_JSON)
        if catalogue is None:
            return
        codes = {entry.get("archive_code") for entry in catalogue.get("items", [])}
        for code in sorted(item_codes - codes):
            self.problems.append(Problem(CATALOGUE_JSON, "metadata", f"{code} is not listed"))
        for code in sorted(codes - item_codes, key=str):
            self.problems.append(Problem(CATALOGUE_JSON, "metadata", f"{code} has no folder"))

    # Items ----------------------------------------------------------------------------------

    def check_item_metadata(self, code: str, listed: dict[str, str], paths: list[str]) -> None:
        folder = f"items/{code}"
        metadata = self.read_json(f"{folder}/metadata.json")
        if metadata is None:
            return
        if metadata.get("archive_code") != code:
            self.problems.append(
                Problem(f"{folder}/metadata.json", "metadata", "archive code is not its folder's")
            )
        described = {}
        for entry in metadata.get("files", []):
            path = f"{folder}/{entry.get('path')}"
            described[path] = entry.get("sha256")
            found = self.found.get(path)
            if path not in listed:
                self.problems.append(Problem(path, "metadata", "described but not in the manifest"))
            elif entry.get("sha256") != listed[path]:
                self.problems.append(Problem(path, "metadata", "metadata and manifest disagree"))
            elif found and found[1] != entry.get("size"):
                self.problems.append(Problem(path, "metadata", "size differs from the metadata"))
        for path in sorted(paths):
            if path.startswith(f"{folder}/files/") and path not in described:
                self.problems.append(Problem(path, "metadata", "not described in metadata.json"))
        self.check_metadata_xml(folder, metadata)

    def check_metadata_xml(self, folder: str, metadata: dict) -> None:
        name = f"{folder}/metadata.xml"
        if name not in self.names:
            return
        try:
            with self.package.open(name) as handle:
                root = ElementTree.parse(handle).getroot()
        except (ElementTree.ParseError, zipfile.BadZipFile, zlib.error, OSError):
            self.problems.append(Problem(name, "metadata", "not well-formed XML"))
            return
        in_xml = (
            root.findtext("archive_code"),
            sorted(file.findtext("sha256") or "" for file in root.iter("file")),
        )
        in_json = (
            metadata.get("archive_code"),
            sorted(entry.get("sha256") or "" for entry in metadata.get("files", [])),
        )
        if in_xml != in_json:
            self.problems.append(Problem(name, "metadata", "differs from metadata.json"))

    # Reading --------------------------------------------------------------------------------

    def read_json(self, name: str) -> dict | None:
        if name not in self.names:
            return None  # named as missing by the checksum lists
        try:
            with self.package.open(name) as handle:
                value = json.load(handle)
        except (ValueError, zipfile.BadZipFile, zlib.error, OSError):
            self.problems.append(Problem(name, "metadata", "not readable JSON"))
            return None
        if not isinstance(value, dict):
            self.problems.append(Problem(name, "metadata", "not a JSON object"))
            return None
        return value

    def digest(self, name: str) -> str | None:
        if name not in self.found:
            digest, size = hashlib.sha256(), 0
            try:
                with self.package.open(name) as handle:
                    while chunk := handle.read(CHUNK_SIZE):
                        digest.update(chunk)
                        size += len(chunk)
                self.found[name] = (digest.hexdigest(), size)
            except (zipfile.BadZipFile, zlib.error, OSError):
                # A zip member whose bytes changed fails to inflate or its CRC check.
                self.found[name] = None
        found = self.found[name]
        return found[0] if found else None
