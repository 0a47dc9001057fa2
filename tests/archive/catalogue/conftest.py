"""Fixtures of the catalogue and transfer-package tests: a unit's fonds with its archivist,
another unit's archivist, and items filed directly (tests/factories/archive.py)."""

import pytest
from django.test import Client

from archive.models import ArchiveClassCode
from people.models import OrgUnit
from tests.factories import OrgUnitFactory
from tests.factories.archive import archivist_of, fonds_of


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def unit_b(headquarters):
    return OrgUnitFactory(parent=headquarters, code="UB", name="乙单位", kind=OrgUnit.Kind.UNIT)


@pytest.fixture
def fonds(unit_a):
    fonds = fonds_of(unit_a)
    ArchiveClassCode.objects.create(fonds=fonds, code="BGS", name="办公室")
    ArchiveClassCode.objects.create(fonds=fonds, code="SCB", name="生产部")
    return fonds


@pytest.fixture
def archivist(unit_a):
    return archivist_of(unit_a, username="dangan", name="档案员甲")


@pytest.fixture
def archivist_client(archivist):
    client = Client()
    client.force_login(archivist)
    return client


@pytest.fixture
def other_archivist_client(unit_b):
    fonds_of(unit_b, fonds_code="Z200")
    client = Client()
    client.force_login(archivist_of(unit_b, "DAS2", username="dangan_b"))
    return client
