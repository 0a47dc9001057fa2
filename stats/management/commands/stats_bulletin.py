"""Generate the monthly bulletin (通报): by default last month's, for cron on the first of the
month after the night's rollup."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from stats.periods import PeriodError, period_from_params, previous_month
from stats.services import bulletin_generate


class Command(BaseCommand):
    help = "Generate the monthly usage bulletin PDF (default: last month)."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="The month, YYYY-MM (default: last month).")

    def handle(self, *args, month=None, **options):
        try:
            period = (
                period_from_params({"period": "month", "month": month})
                if month
                else previous_month()
            )
        except PeriodError as error:
            raise CommandError(str(error)) from None
        bulletin = bulletin_generate(period)
        self.stdout.write(
            self.style.SUCCESS(_("Bulletin written: %(name)s") % {"name": bulletin.pdf.name})
        )
