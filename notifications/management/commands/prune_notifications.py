"""Delete read notifications older than NOTIFICATIONS_RETENTION_DAYS; run it daily."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from notifications.services import notifications_prune


class Command(BaseCommand):
    help = "Delete read notifications older than the retention (unread ones stay)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, help="Override NOTIFICATIONS_RETENTION_DAYS.")

    def handle(self, *args, days=None, **options):
        deleted = notifications_prune(days=days)
        self.stdout.write(
            self.style.SUCCESS(_("%(count)s notification(s) deleted.") % {"count": deleted})
        )
