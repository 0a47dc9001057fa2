"""Load the demo group company: organization, accounts for every role, content and documents."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from demo.loader import demo_load


class Command(BaseCommand):
    help = "Load the demo group company. Safe to run again: it only adds what is missing."

    def handle(self, *args, **options):
        if not settings.INTRANET_ALLOW_DEMO_DATA:
            raise CommandError(_("Demo data is refused under production settings."))
        loaded = demo_load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {loaded.units} organization units, {len(loaded.accounts)} "
                f"accounts ({loaded.new_accounts} new)."
            )
        )
        self.stdout.write(f"Every demo account's password is: {loaded.password}")
        self.stdout.write("Accounts: " + ", ".join(loaded.accounts))
