"""The demo's electronic seals: the installation's seal authority, and a seal for every unit
that has a seal keeper (organization.yaml), its image drawn from the unit's name."""

from people.models import OrgUnit, Role
from workflow.seal import keys
from workflow.seal import services as seal_services
from workflow.seal.models import SealAuthority


def seals_demo_ensure(authority_name: str) -> None:
    if not SealAuthority.objects.exists():
        keys.create_authority(authority_name)
    units = OrgUnit.objects.filter(
        role_assignments__role=Role.SEAL_KEEPER, seal__isnull=True
    ).distinct()
    for unit in units:
        seal_services.seal_create(unit=unit, keepers=[])
