"""manage.py verify_archive_package PATH: re-check a transfer package (its folder or zip)
against its manifests; every changed, missing or extra file is named on a line of its own, and
any problem ends the command with a non-zero exit code."""

import zipfile

from django.core.management.base import BaseCommand, CommandError

from archive.package_check import verify_package


class Command(BaseCommand):
    help = "Verify a transfer package's checksums, manifest and metadata."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the package's folder or its .zip")

    def handle(self, *args, path, **options):
        try:
            result = verify_package(path)
        except (OSError, zipfile.BadZipFile) as error:
            raise CommandError(
                f"{path} is neither a package folder nor a readable zip: {error}"
            ) from error
        for problem in result.problems:
            self.stdout.write(problem.line())
        if not result.ok:
            raise CommandError(f"{len(result.problems)} problem(s) in {path}.")
        self.stdout.write(f"OK: {result.files_checked} files match the manifest.")
