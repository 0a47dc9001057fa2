"""One long-lived application process, driven line by line, for tests/people/test_shared_cache.py.

    DATABASE_URL=sqlite:///… CACHE_URL=redis://… python -m tests.people.shared_cache_probe

Commands on stdin, one JSON answer per line on stdout:
    setup          a unit administrator "probe-admin" and a system administrator "probe-root"
    roles          the roles probe-admin holds, as a request of this process would see them
    revoke         probe-root revokes probe-admin's unit administration
"""

import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intranet.settings.test")
django.setup()

from django.core.management import call_command  # noqa: E402

from people.models import OrgUnit, Role, RoleAssignment, User  # noqa: E402
from people.permissions import held_roles  # noqa: E402
from people.services import role_revoke  # noqa: E402
from tests.factories import OrgUnitFactory, UserFactory  # noqa: E402
from tests.factories.people import RoleAssignmentFactory  # noqa: E402


def setup() -> None:
    call_command("migrate", verbosity=0)  # nothing to do on a copy of the suite's schema
    unit = OrgUnitFactory(code="PROBE", name="探针单位", kind=OrgUnit.Kind.HEADQUARTERS)
    admin = UserFactory(username="probe-admin", name="甲管理员", department=unit)
    RoleAssignmentFactory(user=admin, role=Role.UNIT_ADMIN, unit=unit)
    UserFactory(username="probe-root", name="乙系统", department=unit, is_superuser=True)


def roles() -> list[str]:
    # A fresh user object, as each request loads one.
    return sorted(held_roles(User.objects.get(username="probe-admin")))


def revoke() -> None:
    assignment = RoleAssignment.objects.get(user__username="probe-admin", role=Role.UNIT_ADMIN)
    role_revoke(actor=User.objects.get(username="probe-root"), assignment=assignment)


COMMANDS = {"setup": setup, "roles": roles, "revoke": revoke}

if __name__ == "__main__":
    for line in sys.stdin:
        print(json.dumps(COMMANDS[line.strip()]()), flush=True)
