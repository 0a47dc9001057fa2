"""Registering a paper document (收文登记): the receiving unit's clerk, and nobody else, creates
the incoming document and takes the unit's next incoming number in one transaction."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from people.models import OrgUnit, Role
from tests.factories import OrgUnitFactory, RoleAssignmentFactory, UserFactory
from workflow.models import Document, IncomingDocument, TraceEntry
from workflow.numbering.models import DocumentPrefix, IssuedNumber
from workflow.numbering.services import NumberingError, current_year
from workflow.services import DocumentError, incoming_register
from workflow.trace import verify_chain

pytestmark = pytest.mark.django_db


def _register(user, unit, **changes):
    values = {
        "user": user,
        "unit": unit,
        "title": "关于开展安全生产检查的通知",
        "received_on": timezone.localdate(),
        "sender_name": "市应急管理局",
        "sender_number": "市应急〔2026〕12号",
        "urgency": "urgent",
        "copies": 3,
    }
    return incoming_register(**{**values, **changes})


def _nothing_created():
    return not Document.objects.exists() and not IssuedNumber.objects.exists()


def test_the_clerk_registers_a_paper_document_with_the_next_incoming_number(unit_a, clerk_a):
    first = _register(clerk_a, unit_a)
    second = _register(clerk_a, unit_a, title="第二份来文")
    year = current_year()
    document = IncomingDocument.objects.get(pk=first.pk)
    assert document.number_text == f"收〔{year}〕1号"
    assert second.number_text == f"收〔{year}〕2号"
    assert (document.unit, document.registered_by, document.copies) == (unit_a, clerk_a, 3)
    assert (document.sender, document.sender_number) == ("市应急管理局", "市应急〔2026〕12号")
    assert document.urgency == "urgent" and document.source_document is None
    assert Document.objects.get(pk=document.pk).specific == document
    assert document.number.subject == "关于开展安全生产检查的通知"
    entry = TraceEntry.objects.get(document=document)
    assert (entry.action, entry.step, entry.actor) == ("register", "register", clerk_a)
    assert entry.extra == {"number": f"收〔{year}〕1号"}
    assert verify_chain(document.pk) is None


def test_the_sender_may_be_a_unit_of_the_tree(unit_a, unit_b, clerk_a):
    document = _register(clerk_a, unit_a, sender_name="", sender_unit=unit_b)
    assert document.sender == "乙单位"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"sender_name": ""}, "sender_name"),
        ({"sender_name": "  "}, "sender_name"),
        ({"sender_unit": "unit_b"}, "sender_name"),
        ({"sender_name": "局" * 101}, "sender_name"),
        ({"sender_number": "号" * 61}, "sender_number"),
        ({"title": " "}, "title"),
        ({"urgency": "at_once"}, "urgency"),
        ({"copies": 0}, "copies"),
        ({"received_on": None}, "received_on"),
        ({"received_on": "2026-11-30"}, "received_on"),
        ({"received_on": "tomorrow"}, "received_on"),
        ({"received_on": "a moment"}, "received_on"),
    ],
)
def test_bad_elements_are_refused_and_nothing_is_created(request, unit_a, clerk_a, changes, field):
    if changes.get("sender_unit") == "unit_b":
        changes = {"sender_unit": request.getfixturevalue("unit_b")}
    if changes.get("received_on") == "tomorrow":
        changes = {"received_on": timezone.localdate() + datetime.timedelta(days=1)}
    if changes.get("received_on") == "a moment":
        changes = {"received_on": timezone.now()}
    with pytest.raises(DocumentError) as refused:
        _register(clerk_a, unit_a, **changes)
    assert field in refused.value.message_dict
    assert _nothing_created()


def test_with_the_incoming_prefix_retired_nothing_is_registered(unit_a, clerk_a):
    DocumentPrefix.objects.create(
        unit=unit_a, text="收", purpose=DocumentPrefix.Purpose.INCOMING, is_active=False
    )
    with translation.override("zh-hans"), pytest.raises(NumberingError) as refused:
        _register(clerk_a, unit_a)
    assert refused.value.messages == ["代字“收”已停用。"]
    assert _nothing_created()


@pytest.mark.parametrize("classification", ["secret", "confidential", "top_secret"])
def test_a_classified_document_is_refused_as_in_outgoing(
    unit_a, clerk_a, classification, english_messages
):
    with pytest.raises(DocumentError, match="must not be processed in this system"):
        _register(clerk_a, unit_a, classification=classification)
    assert _nothing_created()


def test_an_internal_document_is_accepted(unit_a, clerk_a):
    assert _register(clerk_a, unit_a, classification="internal").classification == "internal"


def test_refusals_are_in_chinese(unit_a, clerk_a):
    with translation.override("zh-hans"), pytest.raises(DocumentError) as refused:
        _register(clerk_a, unit_a, sender_name="")
    chinese = "请选择来文单位或填写其名称，二者只选其一。"
    assert refused.value.message_dict["sender_name"] == [chinese]
    with translation.override("zh-hans"), pytest.raises(DocumentError) as refused:
        _register(clerk_a, unit_a, received_on=timezone.localdate() + datetime.timedelta(days=1))
    assert refused.value.message_dict["received_on"] == ["收文日期不能晚于今天。"]


@pytest.fixture
def inactive_clerk_a(unit_a):
    clerk = UserFactory(username="gone", is_active=False)
    RoleAssignmentFactory(user=clerk, role=Role.FILE_CLERK, unit=unit_a)
    return clerk


@pytest.mark.parametrize(
    "who", ["clerk_b", "clerk_hq", "process_admin_a", "system_admin", "staff", "inactive_clerk_a"]
)
def test_nobody_but_the_units_own_clerk_registers_for_it(request, unit_a, who):
    with pytest.raises(PermissionDenied):
        _register(request.getfixturevalue(who), unit_a)
    assert _nothing_created()


def test_a_department_does_not_register_even_for_its_own_clerk(unit_a):
    department = OrgUnitFactory(
        parent=unit_a, code="UA-CW", name="财务部", kind=OrgUnit.Kind.DEPARTMENT
    )
    department_clerk = UserFactory(username="dept_clerk")
    RoleAssignmentFactory(user=department_clerk, role=Role.FILE_CLERK, unit=department)
    with pytest.raises(PermissionDenied):
        _register(department_clerk, department)
    assert _nothing_created()
