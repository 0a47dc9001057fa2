"""Tell the owners of 公文 tasks past their urgency's time limit; run it daily. Each task is
announced once, however often this runs."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from workflow.notifications import overdue_reminders_send


class Command(BaseCommand):
    help = "Notify owners of overdue document tasks (once per task)."

    def handle(self, *args, **options):
        sent = overdue_reminders_send()
        self.stdout.write(self.style.SUCCESS(_("%(count)s reminder(s) sent.") % {"count": sent}))
