"""Reading and borrowing (查阅/借阅): who sees an item's catalogue entry, who opens its files and
under which approval, the requests' decisions and expiry, and the access log (利用登记)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.test import Client
from django.utils import timezone

from archive import access_services, permissions
from archive.access_services import ArchiveUseError
from archive.models import AccessLogEntry, AccessRequest, ArchiveItem
from notifications.models import Notification
from tests.factories.archive import archived_item

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def ask(user, item, kind=AccessRequest.Kind.READ, reason="编写年度总结需要查阅"):
    return access_services.access_request(user=user, item=item, kind=kind, reason=reason)


def approve(archivist, request, **options):
    return access_services.access_request_decide(
        user=archivist, access_request=request, approve=True, **options
    )


# Who sees and opens


def test_the_audience_and_the_archivists_see_the_item_nobody_else(
    item, staff, archivist_a, colleague_a, staff_b, archivist_b
):
    assert permissions.can_see_item(staff, item)
    assert permissions.can_see_item(archivist_a, item)
    for outsider in (colleague_a, staff_b, archivist_b):
        assert not permissions.can_see_item(outsider, item)


def test_a_controlled_item_opens_only_to_archivists_without_an_approval(item, staff, archivist_a):
    assert permissions.can_open_files(archivist_a, item, "download")
    assert not permissions.can_open_files(staff, item, "view")


def test_an_open_item_opens_to_its_audience(item, staff, colleague_a):
    # As if filed open: a filed item itself refuses any change.
    QuerySet(ArchiveItem).filter(pk=item.pk).update(access=ArchiveItem.Access.OPEN)
    item.refresh_from_db()
    assert permissions.can_open_files(staff, item, "download")
    assert not permissions.can_open_files(colleague_a, item, "view")


def test_a_read_approval_lets_the_requester_read_not_download(item, staff, archivist_a):
    approve(archivist_a, ask(staff, item))
    assert permissions.can_open_files(staff, item, "view")
    assert not permissions.can_open_files(staff, item, "download")


def test_a_borrow_approval_lets_the_requester_download(item, staff, archivist_a):
    approve(archivist_a, ask(staff, item, AccessRequest.Kind.BORROW))
    assert permissions.can_open_files(staff, item, "download")


def test_an_expired_approval_opens_nothing(item, staff, archivist_a):
    request = approve(archivist_a, ask(staff, item))
    AccessRequest.objects.filter(pk=request.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert not permissions.can_open_files(staff, item, "view")
    listed = client_of(staff).get("/archive/requests/")
    assert "已过期" in listed.content.decode()


def test_a_returned_borrowing_opens_nothing(item, staff, archivist_a):
    request = approve(archivist_a, ask(staff, item, AccessRequest.Kind.BORROW))
    access_services.access_request_return(user=archivist_a, access_request=request)
    assert not permissions.can_open_files(staff, item, "download")


def test_a_destroyed_item_opens_to_nobody(item, archivist_a):
    item.mark_destroyed()
    item.refresh_from_db()
    assert not permissions.can_open_files(archivist_a, item, "view")


# Requests and decisions


def test_a_request_reaches_the_units_archivists(item, staff, archivist_a, archivist_b):
    request = ask(staff, item)
    assert request.state == AccessRequest.State.PENDING
    notified = Notification.objects.filter(kind="archive.access_requested")
    assert list(notified.values_list("recipient", flat=True)) == [archivist_a.pk]


def test_who_cannot_see_the_item_cannot_ask(item, colleague_a, staff_b):
    for outsider in (colleague_a, staff_b):
        with pytest.raises(PermissionDenied):
            ask(outsider, item)


@pytest.mark.parametrize("kind, reason", [("copy", "理由"), ("read", "  "), ("read", "长" * 301)])
def test_bad_requests_are_refused_and_change_nothing(item, staff, kind, reason):
    with pytest.raises(ArchiveUseError):
        ask(staff, item, kind, reason)
    assert not AccessRequest.objects.exists()


def test_the_same_pending_request_is_not_made_twice(item, staff):
    ask(staff, item)
    with pytest.raises(ArchiveUseError):
        ask(staff, item)


def test_approval_lasts_7_days_to_read_and_30_to_borrow_by_default(item, staff, archivist_a):
    read = approve(archivist_a, ask(staff, item))
    borrow = approve(archivist_a, ask(staff, item, AccessRequest.Kind.BORROW))
    assert (read.expires_at - read.decided_at).days == 7
    assert (borrow.expires_at - borrow.decided_at).days == 30
    assert Notification.objects.filter(kind="archive.access_decided", recipient=staff).count() == 2


@pytest.mark.parametrize("days", [0, 91])
def test_an_approval_beyond_90_days_is_refused(item, staff, archivist_a, days):
    request = ask(staff, item)
    with pytest.raises(ArchiveUseError):
        approve(archivist_a, request, days=days)
    request.refresh_from_db()
    assert request.state == AccessRequest.State.PENDING


def test_a_refusal_needs_a_note(item, staff, archivist_a):
    request = ask(staff, item)
    with pytest.raises(ArchiveUseError):
        access_services.access_request_decide(
            user=archivist_a, access_request=request, approve=False
        )
    refused = access_services.access_request_decide(
        user=archivist_a, access_request=request, approve=False, note="与工作无关"
    )
    assert refused.state == AccessRequest.State.REFUSED
    assert not permissions.can_open_files(staff, item, "view")


def test_only_the_units_archivist_decides_and_only_once(item, staff, archivist_a, archivist_b):
    request = ask(staff, item)
    for someone in (staff, archivist_b):
        with pytest.raises(PermissionDenied):
            approve(someone, request)
    approve(archivist_a, request)
    with pytest.raises(ArchiveUseError):
        approve(archivist_a, request)


def test_an_archivist_does_not_decide_their_own_request(
    item, fonds_a, archivist_a, second_archivist_a
):
    request = AccessRequest.objects.create(
        item=item, requester=archivist_a, kind="borrow", reason="自用"
    )
    with pytest.raises(PermissionDenied):
        approve(archivist_a, request)
    approve(second_archivist_a, request)


# The file view and the log


def test_the_file_streams_after_the_check_and_is_logged_with_the_approval(item, staff, archivist_a):
    preservation = item.files.get(kind="preservation")
    reader = client_of(staff)
    assert reader.get(f"/archive/files/{preservation.pk}/").status_code == 403
    assert not AccessLogEntry.objects.exists()
    request = approve(archivist_a, ask(staff, item))
    response = reader.get(f"/archive/files/{preservation.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.action, entry.file, entry.request) == (
        staff,
        "view",
        preservation,
        request,
    )
    assert reader.get(f"/archive/files/{preservation.pk}/?download=1").status_code == 403


def test_outsiders_get_404_for_the_file_and_the_page(item, colleague_a, staff_b, archivist_b):
    preservation = item.files.get(kind="preservation")
    for outsider in (colleague_a, staff_b, archivist_b):
        client = client_of(outsider)
        assert client.get(f"/archive/files/{preservation.pk}/").status_code == 404
        assert client.get(f"/archive/items/{item.pk}/read/").status_code == 404


def test_the_archivist_downloads_and_is_logged_without_a_request(item, archivist_a):
    original = item.files.get(kind="original")
    response = client_of(archivist_a).get(f"/archive/files/{original.pk}/?download=1")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    entry = AccessLogEntry.objects.get()
    assert (entry.action, entry.request) == ("download", None)


def test_the_reader_page_offers_the_request_then_the_files(item, staff, archivist_a):
    reader = client_of(staff)
    page = reader.get(f"/archive/items/{item.pk}/read/").content.decode()
    assert 'data-testid="request-form"' in page and "/archive/files/" not in page
    response = reader.post(
        f"/archive/items/{item.pk}/request/", {"kind": "read", "reason": "核对文号"}
    )
    assert response.status_code == 302
    approve(archivist_a, AccessRequest.objects.get())
    page = reader.get(f"/archive/items/{item.pk}/read/").content.decode()
    assert f"/archive/files/{item.files.first().pk}/" in page


def test_a_malformed_request_form_changes_nothing(item, staff):
    response = client_of(staff).post(
        f"/archive/items/{item.pk}/request/", {"kind": "steal", "reason": ""}, follow=True
    )
    assert response.status_code == 200
    assert not AccessRequest.objects.exists()
    assert "选择" in response.content.decode()


def test_the_archivist_decides_on_the_requests_screen(item, staff, archivist_a):
    request = ask(staff, item)
    archivist = client_of(archivist_a)
    page = archivist.get("/archive/requests/").content.decode()
    assert f"/archive/requests/{request.pk}/decide/" in page
    archivist.post(
        f"/archive/requests/{request.pk}/decide/", {"decision": "approve", "days": "120"}
    )
    request.refresh_from_db()
    assert request.state == AccessRequest.State.PENDING
    archivist.post(f"/archive/requests/{request.pk}/decide/", {"decision": "approve", "days": "3"})
    request.refresh_from_db()
    assert request.state == AccessRequest.State.APPROVED
    assert (request.expires_at - request.decided_at).days == 3


def test_another_units_archivist_cannot_decide(item, staff, archivist_b):
    request = ask(staff, item)
    response = client_of(archivist_b).post(
        f"/archive/requests/{request.pk}/decide/", {"decision": "approve"}
    )
    assert response.status_code == 404


def test_the_access_log_filters_and_shows_only_the_units_items(
    item, staff, archivist_a, archivist_b, django_assert_max_num_queries
):
    approve(archivist_a, ask(staff, item))
    for _ in range(3):
        client_of(staff).get(f"/archive/files/{item.files.first().pk}/")
    archivist = client_of(archivist_a)
    with django_assert_max_num_queries(12):
        page = archivist.get("/archive/access-log/").content.decode()
    assert page.count(item.archive_code) >= 3
    today = timezone.localdate().isoformat()
    filtered = archivist.get(
        "/archive/access-log/", {"person": "张三", "since": today, "until": today}
    )
    assert filtered.content.decode().count(f"/archive/items/{item.pk}/read/") == 3
    nobody = archivist.get("/archive/access-log/", {"person": "李四"}).content.decode()
    assert item.archive_code not in nobody
    assert archivist.get("/archive/access-log/", {"since": "2026-13-01"}).status_code == 200
    other = client_of(archivist_b).get("/archive/access-log/").content.decode()
    assert item.archive_code not in other
    assert client_of(staff).get("/archive/access-log/").status_code == 404


def test_the_access_log_is_append_only(item, archivist_a):
    client_of(archivist_a).get(f"/archive/files/{item.files.first().pk}/")
    with pytest.raises(PermissionError):
        AccessLogEntry.objects.all().delete()


def test_the_requests_and_reader_pages_are_query_bounded(
    item, fonds_a, staff, archivist_a, django_assert_max_num_queries
):
    for number in range(2, 12):
        other = archived_item(fonds_a, archivist_a, number=number, audience=(f"user:{staff.pk}",))
        ask(staff, other, AccessRequest.Kind.BORROW)
    approve(archivist_a, ask(staff, item, AccessRequest.Kind.BORROW))
    with django_assert_max_num_queries(16):
        page = client_of(archivist_a).get("/archive/requests/")
    assert page.content.decode().count("/decide/") == 10
    with django_assert_max_num_queries(16):
        client_of(staff).get("/archive/requests/")
    with django_assert_max_num_queries(18):
        client_of(staff).get(f"/archive/items/{item.pk}/read/")
