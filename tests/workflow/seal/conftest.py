import pytest

from tests.factories.documents import OfficeFactory
from workflow.seal import keys, services

from ..redhead.pdf_tools import notice


@pytest.fixture
def authority(db):
    return keys.create_authority("测试电子印章CA")


@pytest.fixture
def seal(authority, office):
    return services.seal_create(unit=office.unit, keepers=[office.seal_keeper])


@pytest.fixture(scope="session")
def document_pdf():
    from workflow.redhead.services import render_redhead_pdf

    return render_redhead_pdf(notice())


@pytest.fixture
def sealed(seal, office, document_pdf):
    return services.apply_seal(document_pdf, office.unit, office.seal_keeper)


@pytest.fixture
def other_office(db, office):
    return OfficeFactory(code="UB", name="乙单位")
