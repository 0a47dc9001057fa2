"""Circulation (传阅): the unit's clerk (and, for an incoming document, its lead handler) sends a
document round readers of the unit; each reader is told, sees it in 待阅, may open the document
and signs 已阅 with a remark; the sender sees every receipt and reminds those who have not read
it, at most once an hour each. Nobody else does any of it, and bad input changes nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from tests.factories.circulation import dispatched_document, opinion, registered_incoming
from tests.factories.documents import OfficeFactory, draft_document
from workflow import trace
from workflow.models import Circulation, CirculationReader, TraceEntry
from workflow.permissions import can_circulate, can_view_document
from workflow.services import DocumentError
from workflow.services.circulation import circulate, circulation_read, circulation_remind

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_office(office):
    return OfficeFactory(code="UB", name="乙单位", parent=office.unit.get_parent())


@pytest.fixture
def dispatched(office):
    return dispatched_document(office)


@pytest.fixture
def incoming(office):
    return registered_incoming(office)


def signed_in(client, user):
    client.force_login(user)
    return client


def document_page(document):
    return reverse("workflow:documents:document", args=[document.pk])


def send_round(client, document, readers, note="请阅"):
    return client.post(
        reverse("gongwen:circulate", args=[document.pk]),
        {"readers": [r.pk for r in readers], "note": note},
    )


def state():
    return (
        Circulation.objects.count(),
        list(CirculationReader.objects.values_list("read_at", "remark", "reminded_at")),
        TraceEntry.objects.count(),
        Notification.objects.count(),
    )


class TestSendingRound:
    def test_the_clerk_sends_a_dispatched_document_round_and_each_reader_is_told(
        self, client, office, dispatched
    ):
        readers = [office.leader, office.finance_head]
        assert not can_view_document(office.finance_head, dispatched)

        response = send_round(signed_in(client, office.clerk), dispatched, readers)

        assert response.status_code == 302 and response.url == document_page(dispatched)
        circulation = Circulation.objects.get(document=dispatched)
        assert (circulation.started_by, circulation.note) == (office.clerk, "请阅")
        assert {r.reader for r in circulation.readers.all()} == set(readers)
        entry = TraceEntry.objects.filter(document=dispatched).last()
        assert (entry.action, entry.step, entry.actor) == ("circulate", "circulate", office.clerk)
        assert sorted(entry.next_users) == sorted(["马总", "钱会计长"])
        notes = Notification.objects.filter(kind="workflow.circulation")
        assert sorted(notes.values_list("recipient_id", flat=True)) == sorted(r.pk for r in readers)
        assert notes.first().title == f"待阅：{dispatched.title}"
        assert notes.first().url == document_page(dispatched)
        assert can_view_document(office.finance_head, dispatched)
        assert trace.verify_chain(dispatched.pk) is None

    def test_the_incoming_document_is_sent_round_by_the_clerk_or_its_lead_handler(
        self, office, incoming
    ):
        assert can_circulate(office.clerk, incoming)
        assert not can_circulate(office.production_head, incoming)
        opinion(incoming, "handle", office.production_head, "已按要求组织检查。")

        circulate(incoming, readers=[office.drafter], by=office.production_head, note="")

        assert CirculationReader.objects.get().reader == office.drafter
        assert can_view_document(office.drafter, incoming)
        assert not can_view_document(office.outsider, incoming)

    def test_a_document_still_in_progress_is_not_circulated(self, client, office):
        document = draft_document(office)
        response = send_round(signed_in(client, office.clerk), document, [office.leader])
        assert response.status_code == 403
        assert not Circulation.objects.exists()

    def test_nobody_but_the_clerk_sends_it_round(self, client, office, other_office, dispatched):
        before = state()
        drafter = send_round(signed_in(client, office.drafter), dispatched, [office.leader])
        stranger = send_round(signed_in(client, other_office.clerk), dispatched, [office.leader])
        assert (drafter.status_code, stranger.status_code) == (403, 404)
        with pytest.raises(PermissionDenied):
            circulate(dispatched, readers=[office.leader], by=office.drafter)
        assert state() == before

    @pytest.mark.parametrize(
        "readers, message",
        [
            (lambda office, other: [], "请至少选择一位阅件人。"),
            (lambda office, other: [other.leader], "阅件人只能从本单位人员中选择。"),
        ],
    )
    def test_bad_readers_are_refused_in_chinese_and_change_nothing(
        self, client, office, other_office, dispatched, readers, message
    ):
        before = state()
        response = send_round(
            signed_in(client, office.clerk), dispatched, readers(office, other_office)
        )
        page = client.get(response.url)
        assert message in page.content.decode()
        assert state() == before

    def test_the_service_refuses_a_reader_outside_the_unit(self, office, other_office, dispatched):
        with pytest.raises(DocumentError) as error:
            circulate(dispatched, readers=[other_office.leader], by=office.clerk)
        assert "readers" in error.value.error_dict
        assert not Circulation.objects.exists()

    def test_someone_still_reading_is_not_asked_twice(self, office, dispatched):
        circulate(dispatched, readers=[office.leader], by=office.clerk)
        with pytest.raises(DocumentError):
            circulate(dispatched, readers=[office.leader], by=office.clerk)
        second = circulate(dispatched, readers=[office.leader, office.drafter], by=office.clerk)
        assert [r.reader for r in second.readers.all()] == [office.drafter]


class TestReading:
    @pytest.fixture
    def circulation(self, office, dispatched):
        return circulate(dispatched, readers=[office.leader, office.drafter], by=office.clerk)

    def test_the_reader_finds_it_in_to_read_opens_it_and_signs_with_a_remark(
        self, client, office, dispatched, circulation, django_assert_max_num_queries
    ):
        signed_in(client, office.leader)
        with django_assert_max_num_queries(15):
            listed = client.get(reverse("gongwen:circulation_unread"))
        assert dispatched.title in listed.content.decode()
        page = client.get(document_page(dispatched))
        assert page.status_code == 200 and 'data-testid="sign-read"' in page.content.decode()
        receipt = page.context["own_receipt"]

        response = client.post(
            reverse("gongwen:circulation_sign", args=[receipt.pk]), {"remark": "已阅，同意"}
        )

        receipt.refresh_from_db()
        assert response.status_code == 302 and receipt.read_at and receipt.remark == "已阅，同意"
        entry = TraceEntry.objects.filter(document=dispatched).last()
        assert (entry.action, entry.actor, entry.opinion) == ("read", office.leader, "已阅，同意")
        assert not Notification.objects.filter(recipient=office.leader, read_at=None).exists()
        assert (
            dispatched.title
            not in client.get(reverse("gongwen:circulation_unread")).content.decode()
        )
        done = client.get(reverse("gongwen:circulation_read")).content.decode()
        assert dispatched.title in done and "已阅，同意" in done
        assert can_view_document(office.leader, dispatched)  # after signing too

    def test_signing_twice_or_another_readers_receipt_changes_nothing(
        self, client, office, circulation
    ):
        receipt = circulation.readers.get(reader=office.leader)
        circulation_read(receipt, user=office.leader, remark="")
        before = state()
        with pytest.raises(DocumentError):
            circulation_read(receipt, user=office.leader, remark="again")
        url = reverse("gongwen:circulation_sign", args=[receipt.pk])
        again = signed_in(client, office.leader).post(url, {"remark": "again"}, follow=True)
        assert "您已签阅过此文件。" in again.content.decode()
        other = signed_in(client, office.drafter).post(url, {"remark": "x"})
        assert other.status_code == 404
        with pytest.raises(PermissionDenied):
            circulation_read(receipt, user=office.drafter)
        assert state() == before

    def test_a_remark_too_long_is_refused(self, client, office, circulation):
        receipt = circulation.readers.get(reader=office.leader)
        url = reverse("gongwen:circulation_sign", args=[receipt.pk])
        page = signed_in(client, office.leader).post(url, {"remark": "长" * 301}, follow=True)
        receipt.refresh_from_db()
        assert receipt.read_at is None
        assert "301" in page.content.decode()

    def test_the_sender_sees_who_has_read_and_when(self, client, office, dispatched, circulation):
        circulation_read(
            circulation.readers.get(reader=office.leader), user=office.leader, remark="好"
        )
        page = signed_in(client, office.clerk).get(document_page(dispatched)).content.decode()
        assert "马总" in page and "何拟稿" in page and "未阅" in page and "好" in page
        assert 'data-testid="circulation-remind"' in page


class TestReminding:
    @pytest.fixture
    def circulation(self, office, dispatched):
        circulation = circulate(
            dispatched, readers=[office.leader, office.drafter], by=office.clerk
        )
        circulation_read(circulation.readers.get(reader=office.leader), user=office.leader)
        return circulation

    def remind(self, client, user, circulation):
        url = reverse("gongwen:circulation_remind", args=[circulation.pk])
        return signed_in(client, user).post(url, follow=True)

    def test_the_sender_reminds_those_who_have_not_read_at_most_once_an_hour(
        self, client, office, circulation
    ):
        page = self.remind(client, office.clerk, circulation)
        assert "已提醒 1 位尚未阅读的阅件人。" in page.content.decode()
        reminders = Notification.objects.filter(kind="workflow.circulation_reminder")
        assert list(reminders.values_list("recipient", flat=True)) == [office.drafter.pk]
        entry = TraceEntry.objects.filter(document=circulation.document).last()
        assert (entry.action, entry.actor, entry.next_users) == ("remind", office.clerk, ["何拟稿"])

        before = state()
        again = self.remind(client, office.clerk, circulation)
        assert "不到一小时前已提醒过" in again.content.decode()
        assert state() == before

        CirculationReader.objects.filter(reader=office.drafter).update(
            reminded_at=timezone.now() - timedelta(minutes=61)
        )
        assert circulation_remind(circulation, by=office.clerk) == 1
        assert reminders.count() == 2

    def test_only_the_sender_reminds(self, client, office, other_office, circulation):
        before = state()
        assert self.remind(client, office.leader, circulation).status_code == 403
        assert self.remind(client, other_office.clerk, circulation).status_code == 404
        assert state() == before

    def test_nobody_left_to_remind(self, office, circulation):
        circulation_read(circulation.readers.get(reader=office.drafter), user=office.drafter)
        with pytest.raises(DocumentError):
            circulation_remind(circulation, by=office.clerk)


def test_a_circulation_receipt_reads_as_seen_while_a_notice_stays_read():
    from django.utils import translation
    from django.utils.translation import gettext

    with translation.override("zh-hans"):
        assert str(TraceEntry.Action.READ.label) == "已阅"
        assert gettext("Read") == "已读"
