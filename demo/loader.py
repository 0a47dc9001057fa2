"""The one demo loader: reads demo/data/*.yaml and adds what is missing, dated from `today`."""

from dataclasses import dataclass
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from home.editorial import column_permissions_sync_all
from home.services import portal_ensure, publishing_roots_ensure
from knowledge.services import knowledge_root_ensure

from .agenda import agenda_demo_ensure
from .archive import archive_demo_ensure
from .dates import DemoCalendar
from .documents import documents_demo_ensure
from .knowledge import knowledge_demo_ensure
from .organization import organization_ensure, people_ensure
from .publishing import publishing_demo_ensure
from .seals import seals_demo_ensure

DATA = Path(__file__).resolve().parent / "data"


def demo_data(name: str) -> dict:
    with (DATA / f"{name}.yaml").open(encoding="utf-8") as file:
        return yaml.safe_load(file)


@dataclass(frozen=True)
class DemoLoaded:
    units: int
    accounts: list[str]
    new_accounts: int
    password: str


def demo_load() -> DemoLoaded:
    """Build the demo group (idempotent), its dates counted from today."""
    calendar = DemoCalendar(timezone.localdate())
    organization = demo_data("organization")
    with transaction.atomic():
        units = organization_ensure(organization)
        created = people_ensure(organization, units)
        home = portal_ensure(site_name=settings.INTRANET_GROUP_NAME)
        publishing_roots_ensure(home)
        knowledge_root_ensure(home)
        publishing_demo_ensure(home, demo_data("publishing"), calendar)
        column_permissions_sync_all()
        knowledge_demo_ensure(home, demo_data("knowledge"), calendar)
        seals_demo_ensure(f"{settings.INTRANET_GROUP_NAME}电子印章CA")
        documents_demo_ensure(demo_data("documents"), calendar)
        agenda_demo_ensure(demo_data("agenda"), calendar)
        archive_demo_ensure(demo_data("archive"))
    return DemoLoaded(
        units=len(units),
        accounts=[person["username"] for person in organization["people"]],
        new_accounts=created,
        password=organization["password"],
    )
