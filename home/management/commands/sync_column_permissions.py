"""`manage.py sync_column_permissions`: rebuild every column's Wagtail groups, page permissions,
members and workflow from the `people` roles."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from home.editorial import column_permissions_sync_all, columns


class Command(BaseCommand):
    help = "Resync the editors, moderators and workflow of every column from the roles."

    def handle(self, *args, **options):
        column_permissions_sync_all()
        self.stdout.write(
            self.style.SUCCESS(_("Synced %(count)d columns.") % {"count": len(columns())})
        )
