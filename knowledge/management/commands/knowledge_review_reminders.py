"""Email owners whose knowledge items are due for review; run it daily (cron or a scheduler).
Running it twice on a day sends nothing more."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from knowledge.services import review_reminders_send


class Command(BaseCommand):
    help = "Remind owners of knowledge items due for review (at most once a day each)."

    def handle(self, *args, **options):
        sent = review_reminders_send()
        self.stdout.write(self.style.SUCCESS(_("%(count)s reminder(s) sent.") % {"count": sent}))
