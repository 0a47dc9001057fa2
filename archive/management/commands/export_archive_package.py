"""manage.py export_archive_package FONDS_CODE YEAR DEST: write a unit's transfer package of a
year as the folder DEST/<fonds>-<year> (see docs/archive.md)."""

from django.core.management.base import BaseCommand, CommandError

from archive.models import ArchiveItem, FondsSettings
from archive.package import PackageError, export_package
from intranet.progress import progress_bar


class Command(BaseCommand):
    help = "Write the transfer package of a fonds' year into a folder."

    def add_arguments(self, parser):
        parser.add_argument("fonds_code", help="the unit's fonds code (全宗号), e.g. Z109")
        parser.add_argument("year", type=int)
        parser.add_argument("destination", help="the folder to write the package into")

    def handle(self, *args, fonds_code, year, destination, **options):
        fonds = FondsSettings.objects.select_related("unit").filter(fonds_code=fonds_code).first()
        if fonds is None:
            raise CommandError(f"No fonds has the code {fonds_code}.")
        total = ArchiveItem.objects.filter(fonds=fonds, year=year).count()
        bar = progress_bar(self.stdout, total, "items")
        try:
            folder = export_package(fonds, year, destination, progress=bar.update)
        except PackageError as error:
            raise CommandError(str(error)) from error
        finally:
            bar.close()
        self.stdout.write(f"Written {total} items to {folder}")
