"""Create the installation's seal authority (CA) and give units their seals.

    manage.py seal_keys authority "东方重工集团电子印章CA"
    manage.py seal_keys unit UA --keeper ua-clerk [--image seal.png]

Keys are made on the server, stored encrypted with SEAL_ENCRYPTION_KEY and never printed.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from people.models import OrgUnit, User
from workflow.seal import keys, services


class Command(BaseCommand):
    help = "Create the seal authority, or a unit's seal (key, certificate, image) and its keepers."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        authority = actions.add_parser("authority", help="Create the installation's CA.")
        authority.add_argument("name")
        unit = actions.add_parser("unit", help="Give a unit its seal.")
        unit.add_argument("code", help="The unit's code.")
        unit.add_argument("--keeper", action="append", default=[], help="A keeper's username.")
        unit.add_argument("--image", type=Path, help="A seal image to use instead of drawing one.")

    def handle(self, *args, action, **options):
        try:
            if action == "authority":
                authority = keys.create_authority(options["name"])
                self.stdout.write(f"Seal authority created: {authority.name}")
                return
            seal = services.seal_create(
                unit=self._unit(options["code"]),
                keepers=self._keepers(options["keeper"]),
                image_png=options["image"].read_bytes() if options["image"] else None,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(f"Seal created for {seal.unit.name}")

    def _unit(self, code: str) -> OrgUnit:
        unit = OrgUnit.objects.filter(code=code).first()
        if unit is None:
            raise CommandError(f"No unit with the code {code}.")
        return unit

    def _keepers(self, usernames: list[str]) -> list[User]:
        if not usernames:
            raise CommandError("Name at least one seal keeper (--keeper USERNAME).")
        found = list(User.objects.filter(username__in=usernames, is_active=True))
        missing = set(usernames) - {user.username for user in found}
        if missing:
            raise CommandError(f"No active user named {', '.join(sorted(missing))}.")
        return found
