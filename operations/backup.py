"""Backup and restore of an installation: the database and every stored file, with a manifest
of checksums that restore verifies before it writes anything.

    <folder>/manifest.json          format, time, database engine, each file's size and SHA-256
    <folder>/database.dump          pg_dump's custom format (PostgreSQL), or
    <folder>/database.sqlite3       an online backup (SQLite)
    <folder>/files/<storage>/<name> every file of the "default" and "private" storages
"""

import hashlib
import json
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

from django.core.cache import cache
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.db import connection
from django.utils import timezone

FORMAT = 1
STORAGE_ALIASES = ("default", "private")
CHUNK = 2**20


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why."""


def sha256_of(handle) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(CHUNK), b""):
        digest.update(chunk)
    return digest.hexdigest()


def stored_names(storage: Storage, folder: str = "") -> Iterator[str]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for sub in folders:
        yield from stored_names(storage, f"{folder}/{sub}" if folder else sub)


def files_of(alias: str) -> Iterator[str]:
    """The names in one storage, less those of another storage kept inside it (on disk, the
    private folder lies within MEDIA_ROOT)."""
    storage = storages[alias]
    nested = [
        os.path.relpath(storages[other].location, storage.location)
        for other in STORAGE_ALIASES
        if other != alias and hasattr(storages[other], "location") and hasattr(storage, "location")
    ]
    nested = [folder for folder in nested if not folder.startswith("..") and folder != "."]
    for name in stored_names(storage):
        if not any(name.startswith(f"{folder}/") for folder in nested):
            yield name


def _postgres_environment() -> dict:
    settings = connection.settings_dict
    environment = {**os.environ, "PGDATABASE": settings["NAME"]}
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")):
        if settings.get(key):
            environment[variable] = str(settings[key])
    if settings.get("PASSWORD"):
        environment["PGPASSWORD"] = settings["PASSWORD"]
    return environment


def _run(command: list[str]) -> None:
    try:
        completed = subprocess.run(
            command, env=_postgres_environment(), capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        raise BackupError(f"{command[0]} is missing (Debian: postgresql-client)") from None
    if completed.returncode != 0:
        raise BackupError(f"{command[0]} failed: {completed.stderr.strip()[:2000]}")


def _dump_database(folder: Path) -> str:
    if connection.vendor == "postgresql":
        target = folder / "database.dump"
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "-f", str(target)])
    else:
        target = folder / "database.sqlite3"
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
    return target.name


def backup(folder: Path) -> dict:
    """Write a backup into `folder` (which must be empty or new); returns the manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    if any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty")
    database_file = _dump_database(folder)
    with (folder / database_file).open("rb") as handle:
        database = {"vendor": connection.vendor, "file": database_file, "sha256": sha256_of(handle)}
    files = []
    for alias in STORAGE_ALIASES:
        storage = storages[alias]
        for name in sorted(files_of(alias)):
            target = folder / "files" / alias / name
            target.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            with storage.open(name, "rb") as source, target.open("wb") as copy:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    copy.write(chunk)
            files.append(
                {
                    "storage": alias,
                    "name": name,
                    "size": target.stat().st_size,
                    "sha256": digest.hexdigest(),
                }
            )
    manifest = {
        "format": FORMAT,
        "created": timezone.now().isoformat(),
        "database": database,
        "files": files,
    }
    (folder / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return manifest


def read_manifest(folder: Path) -> dict:
    """The manifest, after checking every file of the backup against it."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{folder} holds no manifest.json") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    database = manifest["database"]
    checks = [(folder / database["file"], database["sha256"])]
    checks += [
        (folder / "files" / item["storage"] / item["name"], item["sha256"])
        for item in manifest["files"]
    ]
    for path, expected in checks:
        try:
            with path.open("rb") as handle:
                actual = sha256_of(handle)
        except FileNotFoundError:
            raise BackupError(f"{path} is missing") from None
        if actual != expected:
            raise BackupError(f"{path} does not match its checksum")
    return manifest


def _database_is_empty() -> bool:
    return not connection.introspection.table_names()


def _restore_database(folder: Path, database: dict) -> None:
    if database["vendor"] != connection.vendor:
        raise BackupError(
            f"the backup is of a {database['vendor']} database, this one is {connection.vendor}"
        )
    source = folder / database["file"]
    if connection.vendor == "postgresql":
        _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "-d",
              connection.settings_dict["NAME"], str(source)])  # fmt: skip
        return
    connection.ensure_connection()
    original = sqlite3.connect(source)
    try:
        original.backup(connection.connection)
    finally:
        original.close()


def restore(folder: Path) -> dict:
    """Restore a backup into an empty database and empty storages; returns the manifest."""
    manifest = read_manifest(folder)
    if not _database_is_empty():
        raise BackupError("the database is not empty; restore needs a new, empty one")
    for alias in STORAGE_ALIASES:
        if next(files_of(alias), None) is not None:
            raise BackupError(f"the {alias!r} storage is not empty")
    _restore_database(folder, manifest["database"])
    connection.close()
    # Versions, kept pages and tokens were built from another database, and the restore wrote
    # behind Django's back.
    cache.clear()
    for item in manifest["files"]:
        storage = storages[item["storage"]]
        with (folder / "files" / item["storage"] / item["name"]).open("rb") as handle:
            saved = storage.save(item["name"], File(handle))
        if saved != item["name"]:
            raise BackupError(f"{item['name']} was stored as {saved}")
    return manifest
