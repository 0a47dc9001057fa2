"""The retention review (鉴定) and destruction (销毁): which items are due, extensions, and a
destruction that only two approving roles carry out, never its proposer, never one person twice;
a refusal destroys nothing; the records are permanent and keep no content."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from archive import appraisal_services
from archive.access_services import ArchiveUseError
from archive.models import (
    ArchiveFile,
    ArchiveItem,
    DestructionRecord,
    DestructionRequest,
    Retention,
    RetentionExtension,
)
from archive.use_selectors import items_due_for_review
from notifications.models import Notification
from people.models import Role
from search.models import OutboxEntry
from tests.factories import RoleAssignmentFactory, UserFactory
from tests.factories.archive import archived_item

pytestmark = pytest.mark.django_db

REVIEW_YEAR = timezone.localdate().year


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def due(fonds_a, archivist_a):
    """Two items whose retention ended by the review year, one not yet, one permanent."""
    return {
        "ten": archived_item(
            fonds_a, archivist_a, number=1, year=REVIEW_YEAR - 10, retention=Retention.TEN_YEARS
        ),
        "thirty": archived_item(
            fonds_a,
            archivist_a,
            number=1,
            year=REVIEW_YEAR - 30,
            retention=Retention.THIRTY_YEARS,
            title="关于一九九几年度工作的总结",
        ),
        "young": archived_item(
            fonds_a, archivist_a, number=1, year=REVIEW_YEAR - 9, retention=Retention.TEN_YEARS
        ),
        "permanent": archived_item(
            fonds_a, archivist_a, number=1, year=REVIEW_YEAR - 60, retention=Retention.PERMANENT
        ),
    }


def propose(archivist, fonds, items, reason="保管期限已满，经鉴定无继续保存价值"):
    return appraisal_services.destruction_propose(
        user=archivist, fonds=fonds, items=items, reason=reason, review_year=REVIEW_YEAR
    )


def decide(user, destruction, role, approve=True, note=""):
    return appraisal_services.destruction_decide(
        user=user, destruction=destruction, role=role, approve=approve, note=note
    )


def test_the_review_lists_items_whose_retention_has_ended(due, fonds_a, fonds_b, archivist_b):
    listed = set(items_due_for_review(fonds_a, REVIEW_YEAR))
    assert listed == {due["ten"], due["thirty"]}
    assert not items_due_for_review(fonds_b, REVIEW_YEAR).exists()


def test_an_extension_keeps_the_item_out_of_the_review(due, fonds_a, archivist_a):
    appraisal_services.retention_extend(
        user=archivist_a,
        item=due["ten"],
        retention=Retention.THIRTY_YEARS,
        reason="涉及在建工程，仍有查考价值",
        review_year=REVIEW_YEAR,
    )
    assert set(items_due_for_review(fonds_a, REVIEW_YEAR)) == {due["thirty"]}
    assert set(items_due_for_review(fonds_a, REVIEW_YEAR + 20)) >= {due["ten"]}
    extension = RetentionExtension.objects.get()
    assert (extension.previous_retention, extension.retention) == ("D10", "D30")
    due["ten"].refresh_from_db()
    assert due["ten"].retention == Retention.TEN_YEARS  # the archive code stays as filed


@pytest.mark.parametrize(
    "retention, reason", [(Retention.TEN_YEARS, "理由"), ("D99", "理由"), (Retention.PERMANENT, "")]
)
def test_a_bad_extension_is_refused(due, archivist_a, retention, reason):
    with pytest.raises(ArchiveUseError):
        appraisal_services.retention_extend(
            user=archivist_a,
            item=due["ten"],
            retention=retention,
            reason=reason,
            review_year=REVIEW_YEAR,
        )
    assert not RetentionExtension.objects.exists()


def test_only_the_units_archivist_reviews(due, fonds_a, archivist_b, unit_admin_a, staff):
    for someone in (archivist_b, unit_admin_a, staff):
        with pytest.raises(PermissionDenied):
            propose(someone, fonds_a, [due["ten"]])
        with pytest.raises(PermissionDenied):
            appraisal_services.retention_extend(
                user=someone,
                item=due["ten"],
                retention=Retention.PERMANENT,
                reason="理由",
                review_year=REVIEW_YEAR,
            )


def test_only_due_items_can_be_proposed(due, fonds_a, archivist_a):
    for item in (due["young"], due["permanent"]):
        with pytest.raises(ArchiveUseError):
            propose(archivist_a, fonds_a, [due["ten"], item])
    assert not DestructionRequest.objects.exists()
    propose(archivist_a, fonds_a, [due["ten"]])
    with pytest.raises(ArchiveUseError):  # already proposed
        propose(archivist_a, fonds_a, [due["ten"]])


def test_two_roles_approve_then_the_items_are_destroyed(
    due, fonds_a, archivist_a, second_archivist_a, unit_admin_a, django_capture_on_commit_callbacks
):
    items = [due["ten"], due["thirty"]]
    stored = [f.file.name for f in ArchiveFile.objects.filter(item__in=items)]
    storage = ArchiveFile._meta.get_field("file").storage
    destruction = propose(archivist_a, fonds_a, items)
    decide(second_archivist_a, destruction, Role.ARCHIVIST)
    assert not DestructionRecord.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        decide(unit_admin_a, destruction, Role.UNIT_ADMIN)
    destruction.refresh_from_db()
    assert destruction.state == DestructionRequest.State.APPROVED
    assert set(ArchiveItem.objects.filter(state="destroyed")) == set(items)
    assert not any(storage.exists(name) for name in stored)
    assert not ArchiveFile.objects.filter(item__in=items).exclude(file="").exists()
    records = DestructionRecord.objects.order_by("archive_code")
    assert {r.archive_code for r in records} == {i.archive_code for i in items}
    record = records.first()
    assert record.proposed_by == archivist_a.get_full_name()
    assert second_archivist_a.get_full_name() in record.approved_by
    assert unit_admin_a.get_full_name() in record.approved_by
    removals = OutboxEntry.objects.filter(kind="archive", op=OutboxEntry.Operation.REMOVE)
    assert {e.key for e in removals} == {str(i.pk) for i in items}
    assert items_due_for_review(fonds_a, REVIEW_YEAR).count() == 0


def test_a_proposal_reaches_the_approvers(
    due, fonds_a, archivist_a, second_archivist_a, unit_admin_a, archivist_b
):
    propose(archivist_a, fonds_a, [due["ten"]])
    told = Notification.objects.filter(kind="archive.destruction")
    assert set(told.values_list("recipient", flat=True)) == {second_archivist_a.pk, unit_admin_a.pk}


def test_the_proposer_cannot_approve(due, fonds_a, archivist_a):
    RoleAssignmentFactory(user=archivist_a, role=Role.UNIT_ADMIN, unit=fonds_a.unit)
    destruction = propose(archivist_a, fonds_a, [due["ten"]])
    for role in (Role.ARCHIVIST, Role.UNIT_ADMIN):
        with pytest.raises(ArchiveUseError):
            decide(archivist_a, destruction, role)
    assert not destruction.approvals.exists()


def test_one_person_cannot_approve_in_both_roles(
    due, fonds_a, archivist_a, second_archivist_a, unit_admin_a
):
    RoleAssignmentFactory(user=second_archivist_a, role=Role.UNIT_ADMIN, unit=fonds_a.unit)
    destruction = propose(archivist_a, fonds_a, [due["ten"]])
    decide(second_archivist_a, destruction, Role.ARCHIVIST)
    with pytest.raises(ArchiveUseError):
        decide(second_archivist_a, destruction, Role.UNIT_ADMIN)
    due["ten"].refresh_from_db()
    assert due["ten"].state == ArchiveItem.State.FILED


def test_a_role_decides_once(due, fonds_a, archivist_a, second_archivist_a, unit_a):
    third = UserFactory(department=archivist_a.department, name="甲档案员三")
    RoleAssignmentFactory(user=third, role=Role.ARCHIVIST, unit=unit_a)
    destruction = propose(archivist_a, fonds_a, [due["ten"]])
    decide(second_archivist_a, destruction, Role.ARCHIVIST)
    with pytest.raises(ArchiveUseError):
        decide(third, destruction, Role.ARCHIVIST)


def test_a_refusal_destroys_nothing(due, fonds_a, archivist_a, unit_admin_a, second_archivist_a):
    destruction = propose(archivist_a, fonds_a, [due["ten"]])
    with pytest.raises(ArchiveUseError):  # a refusal needs its reason
        decide(unit_admin_a, destruction, Role.UNIT_ADMIN, approve=False)
    decide(unit_admin_a, destruction, Role.UNIT_ADMIN, approve=False, note="仍需备查")
    with pytest.raises(ArchiveUseError):
        decide(second_archivist_a, destruction, Role.ARCHIVIST)
    due["ten"].refresh_from_db()
    assert due["ten"].state == ArchiveItem.State.FILED
    assert not DestructionRecord.objects.exists()
    assert due["ten"].files.exclude(file="").count() == 2
    assert due["ten"] in items_due_for_review(fonds_a, REVIEW_YEAR)


def test_outsiders_cannot_decide(due, fonds_a, archivist_a, archivist_b, staff):
    destruction = propose(archivist_a, fonds_a, [due["ten"]])
    for someone in (archivist_b, staff):
        with pytest.raises(PermissionDenied):
            decide(someone, destruction, Role.ARCHIVIST)


def test_destruction_records_are_permanent(
    due, fonds_a, archivist_a, second_archivist_a, unit_admin_a
):
    destruction = propose(archivist_a, fonds_a, [due["ten"]])
    decide(second_archivist_a, destruction, Role.ARCHIVIST)
    decide(unit_admin_a, destruction, Role.UNIT_ADMIN)
    record = DestructionRecord.objects.get()
    with pytest.raises(PermissionError):
        record.delete()
    with pytest.raises(PermissionError):
        DestructionRecord.objects.update(title="改")
    assert not hasattr(record, "content") and not hasattr(record, "file")


# Screens


def test_the_review_screen_proposes_and_the_approvers_decide(
    due,
    fonds_a,
    archivist_a,
    second_archivist_a,
    unit_admin_a,
    django_assert_max_num_queries,
):
    archivist = client_of(archivist_a)
    with django_assert_max_num_queries(12):
        page = archivist.get("/archive/review/").content.decode()
    assert due["ten"].archive_code in page and due["young"].archive_code not in page
    response = archivist.post(
        "/archive/review/propose/",
        {
            "unit": fonds_a.unit_id,
            "year": REVIEW_YEAR,
            "items": [due["ten"].pk],
            "reason": "到期鉴定无保存价值",
        },
    )
    assert response.status_code == 302
    destruction = DestructionRequest.objects.get()
    with django_assert_max_num_queries(15):
        listed = client_of(unit_admin_a).get("/archive/destructions/").content.decode()
    assert f"/archive/destructions/{destruction.pk}/decide/" in listed
    client_of(unit_admin_a).post(
        f"/archive/destructions/{destruction.pk}/decide/",
        {"role": Role.UNIT_ADMIN, "decision": "approve"},
    )
    client_of(second_archivist_a).post(
        f"/archive/destructions/{destruction.pk}/decide/",
        {"role": Role.ARCHIVIST, "decision": "approve"},
    )
    register = client_of(unit_admin_a).get("/archive/destructions/register/").content.decode()
    assert due["ten"].archive_code in register and "到期鉴定无保存价值" in register


def test_bad_review_input_changes_nothing(due, fonds_a, archivist_a):
    archivist = client_of(archivist_a)
    assert archivist.get("/archive/review/", {"year": "abc"}).status_code == 200
    response = archivist.post(
        "/archive/review/propose/",
        {"unit": fonds_a.unit_id, "year": REVIEW_YEAR, "items": ["x"], "reason": ""},
        follow=True,
    )
    assert response.status_code == 200
    assert not DestructionRequest.objects.exists()
    archivist.post(
        f"/archive/items/{due['ten'].pk}/extend/",
        {"retention": "D10", "reason": "", "year": REVIEW_YEAR},
    )
    assert not RetentionExtension.objects.exists()


def test_the_screens_are_closed_to_outsiders(
    due, fonds_a, fonds_b, archivist_a, archivist_b, staff
):
    destruction = propose(archivist_a, fonds_a, [due["ten"]])
    assert client_of(staff).get("/archive/review/").status_code == 404
    assert client_of(staff).get("/archive/destructions/").status_code == 404
    assert client_of(staff).get("/archive/destructions/register/").status_code == 404
    other = client_of(archivist_b)
    assert other.get(f"/archive/review/?unit={fonds_a.unit_id}").status_code == 404
    assert due["ten"].archive_code not in other.get("/archive/destructions/").content.decode()
    assert (
        other.post(
            f"/archive/destructions/{destruction.pk}/decide/",
            {"role": Role.ARCHIVIST, "decision": "approve"},
        ).status_code
        == 404
    )
    assert (
        other.post(
            f"/archive/items/{due['ten'].pk}/extend/",
            {"retention": "Y", "reason": "理由", "year": REVIEW_YEAR},
        ).status_code
        == 404
    )


def test_a_unit_without_archive_settings_gets_a_notice_not_an_error(unit_b, archivist_b):
    page = client_of(archivist_b).get("/archive/review/")
    assert page.status_code == 200 and 'data-testid="no-fonds"' in page.content.decode()
    assert client_of(archivist_b).get("/archive/destructions/register/").status_code == 200
