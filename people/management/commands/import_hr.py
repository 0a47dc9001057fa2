"""`manage.py import_hr FILE [--dry-run]`: the HR import of the administration screen, by the
operator, for every unit."""

from functools import partial
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.uploads import HR_IMPORT
from intranet.progress import progress_bar
from people.hr_import import ImportResult, import_users


class Command(BaseCommand):
    help = "Import accounts from an HR export (CSV or XLSX laid out like the template)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The HR export, .csv or .xlsx")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report; change nothing."
        )

    def handle(self, *args, file: Path, dry_run: bool, **options):
        if not file.is_file():
            raise CommandError(_("No such file: %(file)s") % {"file": file})
        if file.stat().st_size > HR_IMPORT.max_bytes():
            raise CommandError(
                _("The file is larger than %(limit)s MB.")
                % {"limit": f"{HR_IMPORT.max_bytes() / 2**20:g}"}
            )
        with progress_bar(self.stdout, 0) as bar:
            try:
                result = import_users(
                    content=file.read_bytes(),
                    file_name=file.name,
                    actor=None,
                    dry_run=dry_run,
                    progress=partial(self.show_progress, bar),
                )
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
        self.report(result)
        if not result.ok:
            count = len(result.errors)
            raise CommandError(
                ngettext(
                    "%(count)d error; nothing was imported.",
                    "%(count)d errors; nothing was imported.",
                    count,
                )
                % {"count": count}
            )

    @staticmethod
    def show_progress(bar, done: int, total: int) -> None:
        bar.total = total
        bar.update(done - bar.n)

    def report(self, result: ImportResult) -> None:
        for error in result.errors:
            self.stderr.write(
                _("Row %(row)d, %(column)s: %(message)s")
                % {"row": error.row, "column": error.column_label, "message": error.message}
            )
        if not result.ok:
            return
        counts = result.counts
        summary = (
            _(
                "%(created)d created, %(updated)d updated, %(disabled)d disabled, "
                "%(enabled)d enabled, %(unchanged)d unchanged."
            )
            % counts
        )
        if result.dry_run:
            self.stdout.write(_("Dry run, nothing changed: %(summary)s") % {"summary": summary})
        else:
            self.stdout.write(self.style.SUCCESS(summary))
