"""Permission change requests: routed to the right administrator, decided, applied, kept."""

import pytest
from django.urls import reverse

from notifications.models import Notification
from people.models import AuditEntry, OrgUnit, PermissionRequest, Role, RoleAssignment
from tests.factories import OrgUnitFactory, RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(headquarters):
    unit_a = OrgUnitFactory(parent=headquarters, code="UA", name="甲单位", kind=OrgUnit.Kind.UNIT)
    unit_b = OrgUnitFactory(parent=headquarters, code="UB", name="乙单位", kind=OrgUnit.Kind.UNIT)
    dept_a = OrgUnitFactory(parent=unit_a, code="UA-1", kind=OrgUnit.Kind.DEPARTMENT)
    dept_b = OrgUnitFactory(parent=unit_b, code="UB-1", kind=OrgUnit.Kind.DEPARTMENT)
    admin_a = UserFactory(username="ua", department=dept_a)
    RoleAssignmentFactory(user=admin_a, role=Role.UNIT_ADMIN, unit=unit_a)
    admin_b = UserFactory(username="ub", department=dept_b)
    RoleAssignmentFactory(user=admin_b, role=Role.UNIT_ADMIN, unit=unit_b)
    system_admin = UserFactory(username="sys", department=dept_a)
    RoleAssignmentFactory(user=system_admin, role=Role.SYSTEM_ADMIN, unit=None)
    requester = UserFactory(username="asker", name="申请人", department=dept_a)
    return locals()


def submit(client, user, role, unit, reason="负责本单位公文收发"):
    client.force_login(user)
    data = {"role": role, "unit": unit.pk if unit else "", "reason": reason}
    return client.post(reverse("people:request_create"), data)


def test_a_unit_right_goes_to_the_unit_admin_and_not_to_another_units(client, setting):
    response = submit(client, setting["requester"], "file_clerk", setting["unit_a"])
    assert response.status_code == 302
    request = PermissionRequest.objects.get()

    client.force_login(setting["admin_a"])
    page = client.get(reverse("people:request_review_list"))
    assert request in page.context["pending"]

    client.force_login(setting["admin_b"])
    page = client.get(reverse("people:request_review_list"))
    assert request not in page.context["pending"]
    forged = client.post(
        reverse("people:request_decide", args=[request.pk]), {"decision": "approve"}
    )
    assert forged.status_code == 403
    request.refresh_from_db()
    assert request.status == "pending"
    assert not RoleAssignment.objects.filter(user=setting["requester"]).exists()


def test_unit_administration_goes_to_the_system_administrator(client, setting):
    submit(client, setting["requester"], "unit_admin", setting["unit_a"])
    request = PermissionRequest.objects.get()
    client.force_login(setting["admin_a"])
    assert request not in client.get(reverse("people:request_review_list")).context["pending"]
    client.force_login(setting["system_admin"])
    assert request in client.get(reverse("people:request_review_list")).context["pending"]


def test_approval_applies_the_right_and_the_requester_is_told_on_the_home_page(
    client, setting, portal
):
    submit(client, setting["requester"], "file_clerk", setting["unit_a"])
    request = PermissionRequest.objects.get()
    client.force_login(setting["admin_a"])
    response = client.post(
        reverse("people:request_decide", args=[request.pk]),
        {"decision": "approve", "opinion": "同意"},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.decided_by, request.opinion) == (
        "approved",
        setting["admin_a"],
        "同意",
    )
    assert RoleAssignment.objects.filter(
        user=setting["requester"], role="file_clerk", unit=setting["unit_a"]
    ).exists()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"request_submitted", "role_granted", "request_approved"} <= actions

    # The decision reaches the requester's inbox, and only theirs.
    (notification,) = Notification.objects.all()
    assert notification.recipient == setting["requester"]
    assert notification.kind == "people.request_decided"
    assert "已批准" in notification.title
    assert notification.url == reverse("people:request_list")


def test_rejection_needs_an_opinion_and_grants_nothing(client, setting):
    submit(client, setting["requester"], "column_admin", setting["unit_a"])
    request = PermissionRequest.objects.get()
    client.force_login(setting["admin_a"])
    url = reverse("people:request_decide", args=[request.pk])
    client.post(url, {"decision": "reject", "opinion": ""})
    request.refresh_from_db()
    assert request.status == "pending"
    client.post(url, {"decision": "reject", "opinion": "不符合条件"})
    request.refresh_from_db()
    assert request.status == "rejected"
    assert not RoleAssignment.objects.filter(user=setting["requester"]).exists()
    client.post(url, {"decision": "approve", "opinion": ""})
    request.refresh_from_db()
    assert request.status == "rejected"  # a decision is final


def test_requests_need_a_reason_and_are_not_repeated(client, setting):
    response = submit(client, setting["requester"], "file_clerk", setting["unit_a"], reason=" ")
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    submit(client, setting["requester"], "file_clerk", setting["unit_a"])
    again = submit(client, setting["requester"], "file_clerk", setting["unit_a"])
    assert again.status_code == 200
    assert PermissionRequest.objects.count() == 1


def test_a_requester_cannot_ask_for_another_units_rights(client, setting):
    response = submit(client, setting["requester"], "file_clerk", setting["unit_b"])
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert not PermissionRequest.objects.exists()


def test_nobody_decides_their_own_request(client, setting):
    submit(client, setting["admin_a"], "file_clerk", setting["unit_a"])
    request = PermissionRequest.objects.get()
    client.force_login(setting["admin_a"])
    response = client.post(
        reverse("people:request_decide", args=[request.pk]), {"decision": "approve"}
    )
    assert response.status_code == 403
    request.refresh_from_db()
    assert request.status == "pending"


def test_ordinary_users_cannot_open_the_review_screen(client, setting):
    client.force_login(setting["requester"])
    assert client.get(reverse("people:request_review_list")).status_code == 403


def test_a_column_right_is_requested_and_granted_for_that_column(client, setting, portal):
    from home.models import NewsColumnPage, NewsIndexPage

    column = NewsColumnPage(title="甲单位新闻", slug="a-news", owner_unit=setting["unit_a"])
    NewsIndexPage.objects.get().add_child(instance=column)
    client.force_login(setting["requester"])
    data = {"role": "column_admin", "unit": setting["unit_a"].pk, "column": column.pk}
    client.post(reverse("people:request_create"), data | {"reason": "负责本单位新闻"})
    request = PermissionRequest.objects.get()
    assert request.column_id == column.pk
    client.force_login(setting["admin_a"])
    client.post(reverse("people:request_decide", args=[request.pk]), {"decision": "approve"})
    grant = RoleAssignment.objects.get(user=setting["requester"], role="column_admin")
    assert grant.column_id == column.pk
