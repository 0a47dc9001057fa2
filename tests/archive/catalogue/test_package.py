"""The transfer package: its folder structure, manifests and metadata, written whole or not at
all; and its verification, which names every changed, missing or extra file."""

import hashlib
import json
import zipfile
from io import StringIO
from xml.etree import ElementTree

import pytest
from django.core.management import CommandError, call_command

from archive.models import ArchiveFile, Retention
from archive.package import PackageError, export_package, zip_package
from archive.package_check import verify_package
from tests.factories.archive import archived_item

pytestmark = pytest.mark.django_db

FIRST = "items/Z109-WS·2025-D30-BGS-0001"


@pytest.fixture
def items(fonds, archivist):
    return [
        archived_item(fonds, archivist, number=1),
        archived_item(fonds, archivist, number=2, title="关于召开安全生产会议的通知"),
        archived_item(fonds, archivist, number=1, retention=Retention.PERMANENT),
        archived_item(fonds, archivist, number=1, year=2024),
    ]


@pytest.fixture
def package(fonds, items, tmp_path):
    return export_package(fonds, 2025, tmp_path / "out")


def problems(path) -> list[str]:
    return [problem.line() for problem in verify_package(path).problems]


def test_the_package_holds_every_item_of_the_year_with_metadata_and_checksums(package):
    assert package.name == "Z109-2025"
    assert sorted(p.name for p in (package / "items").iterdir()) == [
        "Z109-WS·2025-D30-BGS-0001",
        "Z109-WS·2025-D30-BGS-0002",
        "Z109-WS·2025-Y-BGS-0001",
    ]
    assert sorted(p.name for p in (package / FIRST / "files").iterdir()) == [
        "00-preservation.pdf",
        "01-original.pdf",
    ]
    manifest = json.loads((package / "manifest.json").read_text())
    assert manifest | {"created_at": None} == manifest | {
        "format": "xietong-archive-package/1",
        "fonds_code": "Z109",
        "year": 2025,
        "item_count": 3,
        "file_count": 3 * 4 + 2,  # each item's two files and two metadata files, the catalogue
        "checksum_algorithm": "SHA-256",
        "created_at": None,
    }
    listed = dict(
        reversed(line.split("  ", 1))
        for line in (package / "manifest-sha256.txt").read_text().splitlines()
    )
    for path, sha256 in listed.items():
        assert hashlib.sha256((package / path).read_bytes()).hexdigest() == sha256
    metadata = json.loads((package / FIRST / "metadata.json").read_text())
    assert metadata["archive_code"] == "Z109-WS·2025-D30-BGS-0001"
    assert metadata["document_date"] == "2025-03-10"
    assert metadata["files"][0] == {
        "path": "files/00-preservation.pdf",
        "name": "preservation.pdf",
        "kind": "preservation",
        "size": (package / FIRST / "files/00-preservation.pdf").stat().st_size,
        "sha256": listed[f"{FIRST}/files/00-preservation.pdf"],
        "pages": 1,
    }
    xml = ElementTree.parse(package / FIRST / "metadata.xml").getroot()
    assert xml.findtext("title") == "关于做好年度安全生产工作的通知"
    assert [f.findtext("sha256") for f in xml.iter("file")] == [
        f["sha256"] for f in metadata["files"]
    ]
    catalogue = json.loads((package / "catalogue.json").read_text())
    assert [row["archive_code"] for row in catalogue["items"]] == [
        "Z109-WS·2025-D30-BGS-0001",
        "Z109-WS·2025-D30-BGS-0002",
        "Z109-WS·2025-Y-BGS-0001",
    ]
    assert len(ElementTree.parse(package / "catalogue.xml").getroot().findall("item")) == 3


def test_a_destroyed_item_is_described_without_its_files(fonds, items, tmp_path):
    stored = ArchiveFile.objects.get(item=items[1], position=0).file
    stored.storage.delete(stored.name)
    items[1].mark_destroyed()

    package = export_package(fonds, 2025, tmp_path)

    destroyed = package / "items/Z109-WS·2025-D30-BGS-0002"
    metadata = json.loads((destroyed / "metadata.json").read_text())
    assert (metadata["state"], metadata["files"]) == ("destroyed", [])
    assert list((destroyed / "files").iterdir()) == []
    assert problems(package) == []


def test_a_fresh_package_and_its_zip_verify(package, tmp_path):
    assert problems(package) == []
    zipped = zip_package(package, tmp_path / "package.zip")
    assert problems(zipped) == []
    out = StringIO()
    call_command("verify_archive_package", str(zipped), stdout=out)
    assert out.getvalue().startswith("OK: 16 files")


def test_one_changed_byte_is_named(package):
    path = package / FIRST / "files/01-original.pdf"
    data = bytearray(path.read_bytes())
    data[20] ^= 1
    path.write_bytes(bytes(data))

    assert problems(package) == [f"CHANGED: {FIRST}/files/01-original.pdf (checksum differs)"]


def test_a_missing_and_an_extra_file_are_named(package):
    (package / FIRST / "files/00-preservation.pdf").unlink()
    (package / FIRST / "files/notes.txt").write_text("added later")

    assert problems(package) == [
        f"MISSING: {FIRST}/files/00-preservation.pdf",
        f"EXTRA: {FIRST}/files/notes.txt (not in the manifest)",
    ]


def test_a_changed_manifest_is_named(package):
    manifest = json.loads((package / "manifest.json").read_text())
    (package / "manifest.json").write_text(json.dumps({**manifest, "item_count": 2}))

    assert problems(package) == [
        "CHANGED: manifest.json (checksum differs)",
        "MANIFEST: manifest.json (item_count is 2, not 3)",
    ]


def test_a_file_swapped_with_its_checksum_is_caught_by_the_tag_manifest_and_metadata(package):
    path = f"{FIRST}/files/01-original.pdf"
    (package / path).write_bytes(b"%PDF-1.4 forged")
    forged = hashlib.sha256(b"%PDF-1.4 forged").hexdigest()
    checksums = package / "manifest-sha256.txt"
    lines = [
        f"{forged}  {path}" if line.endswith(path) else line
        for line in checksums.read_text().splitlines()
    ]
    checksums.write_text("\n".join(lines) + "\n")

    assert problems(package) == [
        f"METADATA: {path} (metadata and manifest disagree)",
        "CHANGED: manifest-sha256.txt (checksum differs)",
    ]


def test_a_changed_byte_inside_the_zip_is_named(package, tmp_path):
    zipped = zip_package(package, tmp_path / "package.zip")
    with zipfile.ZipFile(zipped) as archive:
        member = archive.getinfo(f"Z109-2025/{FIRST}/files/01-original.pdf")
    data = bytearray(zipped.read_bytes())
    # The member's data starts after its local header (30 bytes, the name, the extra field).
    start = member.header_offset + 30 + len(member.filename.encode()) + len(member.extra)
    data[start + 5] ^= 0xFF
    zipped.write_bytes(bytes(data))

    assert f"CHANGED: {FIRST}/files/01-original.pdf (unreadable)" in problems(zipped)


def test_the_verify_command_lists_each_problem_and_fails(package):
    (package / FIRST / "metadata.xml").unlink()
    (package / "extra.txt").write_text("x")
    out = StringIO()

    with pytest.raises(CommandError, match="2 problem"):
        call_command("verify_archive_package", str(package), stdout=out)

    assert out.getvalue().splitlines() == [
        "EXTRA: extra.txt (not in the manifest)",
        f"MISSING: {FIRST}/metadata.xml",
    ]


def test_verifying_something_that_is_no_package_fails_cleanly(tmp_path):
    (tmp_path / "not.zip").write_text("plain text")
    with pytest.raises(CommandError, match="neither a package folder nor a readable zip"):
        call_command("verify_archive_package", str(tmp_path / "not.zip"))
    with pytest.raises(CommandError, match="neither"):
        call_command("verify_archive_package", str(tmp_path / "absent"))
    (tmp_path / "empty").mkdir()
    assert problems(tmp_path / "empty") == [
        "MISSING: manifest-sha256.txt",
        "MISSING: tagmanifest-sha256.txt",
    ]


def test_a_stored_file_that_changed_since_filing_stops_the_export_leaving_nothing(
    fonds, items, tmp_path, english_messages
):
    damaged = ArchiveFile.objects.filter(item=items[1]).first()
    with damaged.file.storage.open(damaged.file.name, "wb") as handle:
        handle.write(b"tampered")

    with pytest.raises(PackageError, match="no longer matches"):
        export_package(fonds, 2025, tmp_path / "out")

    assert list((tmp_path / "out").iterdir()) == []


def test_an_existing_package_or_an_empty_year_is_refused(fonds, items, tmp_path, english_messages):
    export_package(fonds, 2025, tmp_path)
    with pytest.raises(PackageError, match="already exists"):
        export_package(fonds, 2025, tmp_path)
    with pytest.raises(PackageError, match="No item was filed in 2019"):
        export_package(fonds, 2019, tmp_path)


def test_the_export_command_writes_the_package_with_progress(fonds, items, tmp_path):
    out = StringIO()
    call_command("export_archive_package", "Z109", "2025", str(tmp_path), stdout=out)

    assert "3/3" in out.getvalue()
    assert problems(tmp_path / "Z109-2025") == []
    with pytest.raises(CommandError, match="No fonds has the code"):
        call_command("export_archive_package", "NONE", "2025", str(tmp_path))
