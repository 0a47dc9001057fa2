"""Fixtures of the outgoing-document tests: a unit's cast (`office`), media in a temporary
folder, and fast stand-ins for the red-head renderer and the seal unless a test asks for
`real_redhead`."""

import hashlib

import pytest

from tests.factories.documents import OfficeFactory, draft_document
from workflow.seal.services import SealedPdf

FAKE_PDF = b"%PDF-1.7\n% red-head stand-in\n%%EOF\n"
FAKE_SEALED_PDF = b"%PDF-1.7\n% sealed red-head stand-in\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_redhead(request, monkeypatch):
    if "real_redhead" in request.fixturenames:
        return
    monkeypatch.setattr(
        "workflow.services.outgoing._redhead_pdf",
        lambda document: (FAKE_PDF, hashlib.sha256(FAKE_PDF).hexdigest()),
    )
    monkeypatch.setattr("workflow.services.outgoing._sealed_pdf", _fake_sealed_pdf)


def _fake_sealed_pdf(data, unit, user, *, pressed=True):
    if data == FAKE_SEALED_PDF:
        return None
    return SealedPdf(
        data=FAKE_SEALED_PDF,
        sha256=hashlib.sha256(FAKE_SEALED_PDF).hexdigest(),
        signer=f"CN={unit.name}",
        serial="1",
    )


@pytest.fixture
def real_redhead():
    """Render the red-head PDF with WeasyPrint for real."""


@pytest.fixture
def office(db):
    return OfficeFactory()


@pytest.fixture
def document(office):
    return draft_document(office)
