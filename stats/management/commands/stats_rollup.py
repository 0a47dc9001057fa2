"""Roll up the usage statistics: with no dates, the days still missing (and the last week again,
as the background task does); with --from/--to, every day of that range. Re-running changes
nothing that the sources did not change."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from stats.services import rollup_pending, rollup_range


class Command(BaseCommand):
    help = "Fill the daily usage statistics (Beijing days) from the apps' records."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", help="First day, YYYY-MM-DD.")
        parser.add_argument("--to", dest="end", help="Last day, YYYY-MM-DD (default: --from).")

    def handle(self, *args, start=None, end=None, **options):
        if start is None and end is None:
            days = rollup_pending()
        else:
            try:
                first = date.fromisoformat(start or end)
                last = date.fromisoformat(end or start)
            except ValueError:
                raise CommandError(_("Enter dates as YYYY-MM-DD.")) from None
            if last < first:
                raise CommandError(_("The period ends before it starts."))
            days = rollup_range(first, last)
        self.stdout.write(self.style.SUCCESS(_("%(days)s day(s) rolled up.") % {"days": days}))
