import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, or SQLite's online backup) and every stored file into a "
        "new folder, with a manifest of checksums."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="A new or empty folder.")

    def handle(self, *args, folder: Path, **options):
        started = time.monotonic()
        try:
            manifest = backup(folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Backed up the {manifest['database']['vendor']} database and "
            f"{len(manifest['files'])} file(s) to {folder} in {time.monotonic() - started:.1f} s."
        )
