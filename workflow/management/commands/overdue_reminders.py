"""Tell the owners of 公文 tasks due by the next working day or past their time; run it daily.
Each task is announced once per kind, however often this runs."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from workflow.notifications import overdue_reminders_send


class Command(BaseCommand):
    help = "Notify owners of document tasks due tomorrow or overdue (once per task and kind)."

    def handle(self, *args, **options):
        sent = overdue_reminders_send()
        self.stdout.write(self.style.SUCCESS(_("%(count)s reminder(s) sent.") % {"count": sent}))
