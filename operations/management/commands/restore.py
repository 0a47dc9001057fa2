import time
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from operations.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup (manage.py backup) into an empty database and empty storages, after "
        "checking its checksums, then rebuild the search index."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)

    def handle(self, *args, folder: Path, **options):
        started = time.monotonic()
        try:
            manifest = restore(folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored the database and {len(manifest['files'])} file(s) from {folder} "
            f"in {time.monotonic() - started:.1f} s."
        )
        call_command("search_reindex", stdout=self.stdout, stderr=self.stderr)
