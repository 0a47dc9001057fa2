"""The electronic exchange (gongwen.md §7): dispatch puts the document, in the same
transaction, into each recipient unit's 待签收 list; that unit's clerk signs for it (the unit's
incoming document, linked, numbered, with the PDF and attachments as sent) or refuses it with a
reason; the sender sees each unit's state, sends a refused one again, and the document is
closed (办结) by its clerk or by itself once every recipient unit has signed for it.

A unit that was not a recipient never sees the delivery: not in a list, not by URL, not its
PDF or attachments; a recipient sees only what was sent, never the sender's opinions or trace.
"""

import hashlib
import importlib
import io
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.urls import reverse
from django.utils import translation
from pypdf import PdfWriter

from tests.factories.documents import OfficeFactory, act, advance, draft_document, open_task
from tests.workflow.conftest import FAKE_PDF, FAKE_SEALED_PDF
from tests.workflow.test_chinese_screens import english_words
from workflow import services
from workflow.models import (
    Delivery,
    DocumentRecipient,
    IncomingDocument,
    OutgoingDocument,
    TraceEntry,
)
from workflow.numbering.models import IssuedNumber
from workflow.seal.verification import verify
from workflow.services.exchange import recipient_units
from workflow.trace import verify_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def hq(db):
    return OfficeFactory("HQ", "东方重工集团", headquarters=True)


@pytest.fixture
def unit_a(hq):
    return OfficeFactory("UA", "甲单位", parent=hq.unit)


@pytest.fixture
def unit_b(hq):
    return OfficeFactory("UB", "乙单位", parent=hq.unit)


@pytest.fixture
def unit_c(hq):
    """A unit the document is not sent to."""
    return OfficeFactory("UC", "丙单位", parent=hq.unit)


def dispatched(sender, *main, copy=(), attachments=True) -> OutgoingDocument:
    """A document of `sender` taken to dispatch and sent."""
    document = draft_document(
        sender, main_recipients=list(main), copy_recipients=[*copy, "市应急管理局"]
    )
    if attachments:
        services.attachment_add(
            document=document,
            user=sender.drafter,
            name="检查表.pdf",
            file=SimpleUploadedFile("检查表.pdf", FAKE_PDF),
        )
        services.attachment_add(
            document=document, user=sender.drafter, name="样品", is_paper_only=True
        )
    advance(document, sender, until="dispatch")
    assert act(document, sender) == "dispatch"
    return OutgoingDocument.objects.get(pk=document.pk)


def delivery_to(document, office) -> Delivery:
    return Delivery.objects.filter(document=document, recipient_unit=office.unit).latest("pk")


def login(client, user):
    client.force_login(user)
    return client


# Dispatch ---------------------------------------------------------------------------------


def test_dispatch_delivers_to_each_recipient_unit_in_the_same_transaction(hq, unit_a, unit_b):
    document = dispatched(hq, unit_a.unit, unit_b.production, copy=[hq.finance])
    assert document.status == OutgoingDocument.Status.DISPATCHED
    assert document.dispatched_at is not None and document.closed_at is None
    deliveries = Delivery.objects.filter(document=document).order_by("recipient_unit__code")
    # a department stands for its unit; the sender's own department and a typed name get none
    assert [d.recipient_unit for d in deliveries] == [unit_a.unit, unit_b.unit]
    for delivery in deliveries:
        assert delivery.status == Delivery.Status.SENT
        assert delivery.sent_at == document.dispatched_at
        assert delivery.pdf.read() == FAKE_SEALED_PDF
        assert delivery.pdf_sha256 == hashlib.sha256(FAKE_SEALED_PDF).hexdigest()


def test_the_sent_pdf_is_kept_whatever_the_sender_does_afterwards(hq, unit_a):
    document = dispatched(hq, unit_a.unit)
    document.final_pdf.save("changed.pdf", SimpleUploadedFile("x.pdf", b"%PDF-1.7 other"))
    assert delivery_to(document, unit_a).pdf.read() == FAKE_SEALED_PDF


def test_a_dispatch_that_fails_delivers_nothing(hq, unit_a, monkeypatch):
    document = draft_document(hq, main_recipients=[unit_a.unit])
    advance(document, hq, until="dispatch")

    def broken(*args, **kwargs):
        raise RuntimeError("trace store down")

    monkeypatch.setattr("workflow.services.outgoing.complete", broken)
    with pytest.raises(RuntimeError):
        act(document, hq)
    assert not Delivery.objects.exists()
    assert OutgoingDocument.objects.get(pk=document.pk).status == "in_progress"


@pytest.mark.parametrize("direction", ["downward", "upward", "across"])
def test_exchange_works_in_every_direction(hq, unit_a, unit_b, direction):
    sender, receiver = {
        "downward": (hq, unit_a),
        "upward": (unit_a, hq),
        "across": (unit_a, unit_b),
    }[direction]
    document = dispatched(sender, receiver.unit, attachments=False)
    assert recipient_units(document) == [receiver.unit]
    incoming = services.delivery_sign_for(
        delivery=delivery_to(document, receiver), user=receiver.clerk
    )
    assert incoming.unit == receiver.unit and incoming.sender_unit == sender.unit


# Sign for ---------------------------------------------------------------------------------


def test_signing_for_registers_the_units_incoming_document(hq, unit_a, unit_b):
    document = dispatched(hq, unit_a.unit, unit_b.unit)
    delivery = delivery_to(document, unit_a)
    incoming = services.delivery_sign_for(delivery=delivery, user=unit_a.clerk)

    incoming = IncomingDocument.objects.get(pk=incoming.pk)
    assert incoming.source_document_id == document.pk
    assert (incoming.unit, incoming.sender_unit, incoming.title) == (
        unit_a.unit,
        hq.unit,
        document.title,
    )
    assert incoming.sender_number == document.number_text and incoming.number_text
    assert incoming.registered_by == unit_a.clerk
    assert incoming.scan.read() == FAKE_SEALED_PDF
    copied = {(a.name, a.is_paper_only): a for a in incoming.attachments.all()}
    assert set(copied) == {("检查表.pdf", False), ("样品", True)}
    assert copied[("检查表.pdf", False)].file.read() == FAKE_PDF

    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SIGNED_FOR
    assert (delivery.signed_by, delivery.incoming_document) == (unit_a.clerk, incoming)
    recipient = DocumentRecipient.objects.get(document=document, org_unit=unit_a.unit)
    assert recipient.status == DocumentRecipient.DispatchStatus.RECEIVED
    sign_for = TraceEntry.objects.get(document=document, action=TraceEntry.Action.SIGN_FOR)
    assert sign_for.actor == unit_a.clerk
    assert sign_for.extra["incoming_number"] == incoming.number_text
    incoming_actions = list(
        TraceEntry.objects.filter(document=incoming).values_list("action", flat=True)
    )
    assert "sign_for" in incoming_actions and "register" in incoming_actions
    assert verify_chain(document.pk) is None and verify_chain(incoming.pk) is None
    # unit B has not signed for it yet: the document stays dispatched
    assert OutgoingDocument.objects.get(pk=document.pk).status == "dispatched"


def test_refusing_a_signed_for_document_at_initial_review_returns_it_to_the_sender(hq, unit_a):
    document = dispatched(hq, unit_a.unit)
    delivery = delivery_to(document, unit_a)
    incoming = services.delivery_sign_for(delivery=delivery, user=unit_a.clerk)
    review = open_task(incoming, "review")

    services.review_refuse(task=review, user=unit_a.clerk, reason="不属于本单位职责范围")

    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.REFUSED
    assert (delivery.refused_by, delivery.refusal_reason) == (unit_a.clerk, "不属于本单位职责范围")
    refusal = TraceEntry.objects.get(document=document, action=TraceEntry.Action.REFUSE)
    assert refusal.opinion == "不属于本单位职责范围"
    # It had closed itself once its only unit signed for it; the refusal reopens it.
    assert OutgoingDocument.objects.get(pk=document.pk).status == "dispatched"
    resent = services.delivery_resend(delivery=delivery, user=hq.clerk)
    assert resent.status == Delivery.Status.SENT and resent.recipient_unit == unit_a.unit
    assert verify_chain(document.pk) is None


def test_only_the_recipient_units_clerk_signs_for_it(hq, unit_a, unit_b):
    document = dispatched(hq, unit_a.unit)
    delivery = delivery_to(document, unit_a)
    for intruder in (unit_b.clerk, hq.clerk, unit_a.drafter, unit_a.leader):
        with pytest.raises(PermissionDenied):
            services.delivery_sign_for(delivery=delivery, user=intruder)
        with pytest.raises(PermissionDenied):
            services.delivery_refuse(delivery=delivery, user=intruder, reason="不是我们的")
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT and not IncomingDocument.objects.exists()


def test_the_second_clerk_is_told_it_was_signed_for_and_nothing_changes(hq, unit_a):
    second_clerk = OfficeFactory("UX", "另一单位", parent=hq.unit).clerk
    from tests.factories.people import RoleAssignmentFactory

    RoleAssignmentFactory(user=second_clerk, role="file_clerk", unit=unit_a.unit)
    document = dispatched(hq, unit_a.unit)
    delivery = delivery_to(document, unit_a)
    services.delivery_sign_for(delivery=delivery, user=unit_a.clerk)
    entries = TraceEntry.objects.count()
    with translation.override("zh-hans"):
        with pytest.raises(services.DeliveryAlreadyHandled) as refused:
            services.delivery_sign_for(delivery=delivery, user=second_clerk)
        assert "已" in refused.value.messages[0] and unit_a.clerk.name in refused.value.messages[0]
        with pytest.raises(services.DeliveryAlreadyHandled):
            services.delivery_refuse(delivery=delivery, user=second_clerk, reason="重复")
    assert IncomingDocument.objects.count() == 1 and TraceEntry.objects.count() == entries


# Refuse and resend ------------------------------------------------------------------------


def test_refusing_needs_a_reason_and_the_sender_sees_it(hq, unit_a):
    document = dispatched(hq, unit_a.unit)
    delivery = delivery_to(document, unit_a)
    with pytest.raises(services.DocumentError):
        services.delivery_refuse(delivery=delivery, user=unit_a.clerk, reason="  ")
    with pytest.raises(services.DocumentError):
        services.delivery_refuse(delivery=delivery, user=unit_a.clerk, reason="长" * 301)
    assert delivery_to(document, unit_a).status == Delivery.Status.SENT
    services.delivery_refuse(delivery=delivery, user=unit_a.clerk, reason="不属于本单位职责")
    delivery.refresh_from_db()
    assert (delivery.status, delivery.refusal_reason) == ("refused", "不属于本单位职责")
    entry = TraceEntry.objects.get(document=document, action=TraceEntry.Action.REFUSE)
    assert entry.opinion == "不属于本单位职责" and entry.extra == {"unit": unit_a.unit.name}
    with pytest.raises(services.DeliveryAlreadyHandled):
        services.delivery_sign_for(delivery=delivery, user=unit_a.clerk)


def test_the_senders_clerk_sends_a_refused_document_again(hq, unit_a):
    document = dispatched(hq, unit_a.unit)
    refused = services.delivery_refuse(
        delivery=delivery_to(document, unit_a), user=unit_a.clerk, reason="缺附件"
    )
    for intruder in (unit_a.clerk, hq.drafter):
        with pytest.raises(PermissionDenied):
            services.delivery_resend(delivery=refused, user=intruder)
    resent = services.delivery_resend(delivery=refused, user=hq.clerk)
    assert resent.pk != refused.pk and resent.status == Delivery.Status.SENT
    assert resent.pdf.name == refused.pdf.name
    assert TraceEntry.objects.filter(document=document, action="resend").count() == 1
    with pytest.raises(services.DocumentError):
        services.delivery_resend(delivery=refused, user=hq.clerk)
    with pytest.raises(services.DocumentError):
        services.delivery_resend(delivery=resent, user=hq.clerk)
    assert Delivery.objects.filter(document=document).count() == 2


# Closing (办结) ---------------------------------------------------------------------------


def test_it_closes_itself_when_every_recipient_unit_has_signed_for_it(hq, unit_a, unit_b):
    document = dispatched(hq, unit_a.unit, unit_b.unit)
    services.delivery_sign_for(delivery=delivery_to(document, unit_a), user=unit_a.clerk)
    services.delivery_refuse(delivery=delivery_to(document, unit_b), user=unit_b.clerk, reason="错")
    assert OutgoingDocument.objects.get(pk=document.pk).status == "dispatched"
    resent = services.delivery_resend(delivery=delivery_to(document, unit_b), user=hq.clerk)
    services.delivery_sign_for(delivery=resent, user=unit_b.clerk)
    document.refresh_from_db()
    assert document.status == OutgoingDocument.Status.CLOSED and document.closed_at
    close = TraceEntry.objects.get(document=document, action=TraceEntry.Action.CLOSE)
    assert close.actor is None
    assert verify_chain(document.pk) is None


def test_the_clerk_closes_a_dispatched_document(hq, unit_a):
    document = dispatched(hq, unit_a.unit)
    for intruder in (unit_a.clerk, hq.drafter, hq.leader):
        with pytest.raises(PermissionDenied):
            services.outgoing_close(document=document, user=intruder)
    services.outgoing_close(document=document, user=hq.clerk, opinion="已分发完毕")
    document.refresh_from_db()
    assert document.status == OutgoingDocument.Status.CLOSED
    entry = TraceEntry.objects.get(document=document, action=TraceEntry.Action.CLOSE)
    assert (entry.actor, entry.opinion) == (hq.clerk, "已分发完毕")
    with pytest.raises(services.DocumentError):
        services.outgoing_close(document=document, user=hq.clerk)
    # a closed document is not sent again, but the recipient may still sign for it
    services.delivery_sign_for(delivery=delivery_to(document, unit_a), user=unit_a.clerk)


def test_a_document_that_is_not_dispatched_cannot_be_closed(hq):
    document = draft_document(hq)
    with pytest.raises(services.DocumentError):
        services.outgoing_close(document=document, user=hq.clerk)


# Screens ----------------------------------------------------------------------------------


def delivery_urls(delivery) -> list[str]:
    document = delivery.document
    urls = [
        reverse("gongwen:delivery", args=[delivery.pk]),
        reverse("gongwen:delivery_pdf", args=[delivery.pk]),
    ]
    urls += [
        reverse("gongwen:delivery_attachment", args=[delivery.pk, attachment.pk])
        for attachment in document.attachments.filter(is_paper_only=False)
    ]
    return urls


def test_the_recipient_clerk_sees_only_what_was_sent(client, portal, hq, unit_a):
    document = dispatched(hq, unit_a.unit)
    delivery = delivery_to(document, unit_a)
    login(client, unit_a.clerk)
    inbox = client.get(reverse("gongwen:deliveries"))
    assert inbox.status_code == 200 and document.title in inbox.content.decode()
    page = client.get(reverse("gongwen:delivery", args=[delivery.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and document.title in html
    assert f'data-verdict="{verify(FAKE_SEALED_PDF).verdict}"' in html
    assert "检查表.pdf" in html and "样品" in html
    for opinion in TraceEntry.objects.filter(document=document).exclude(opinion=""):
        assert opinion.opinion not in html
    assert hq.leader.name not in html and hq.verifier.name not in html
    for url in delivery_urls(delivery)[1:]:
        assert client.get(url).status_code == 200
    # the sender's own page, PDF and attachments stay closed to the recipient
    assert client.get(reverse("workflow:documents:document", args=[document.pk])).status_code == 404
    assert (
        client.get(reverse("workflow:documents:pdf_download", args=[document.pk])).status_code
        == 404
    )


def test_a_unit_that_was_not_a_recipient_never_sees_the_delivery(
    client, portal, hq, unit_a, unit_c
):
    document = dispatched(hq, unit_a.unit)
    delivery = delivery_to(document, unit_a)
    for outsider in (unit_c.clerk, unit_a.drafter, unit_a.leader, hq.clerk):
        login(client, outsider)
        inbox = client.get(reverse("gongwen:deliveries"))
        assert document.title not in inbox.content.decode()
        for url in delivery_urls(delivery):
            assert client.get(url).status_code == 404, (outsider, url)
        for name in ("delivery_sign_for", "delivery_refuse"):
            assert (
                client.post(
                    reverse(f"gongwen:{name}", args=[delivery.pk]), {"reason": "x"}
                ).status_code
                == 404
            )
    assert delivery_to(document, unit_a).status == Delivery.Status.SENT


def test_sign_for_and_refuse_through_the_screens(client, portal, hq, unit_a, unit_b):
    document = dispatched(hq, unit_a.unit, unit_b.unit)
    login(client, unit_a.clerk)
    response = client.post(
        reverse("gongwen:delivery_sign_for", args=[delivery_to(document, unit_a).pk])
    )
    incoming = IncomingDocument.objects.get()
    assert response["Location"] == reverse("gongwen:incoming_registered", args=[incoming.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200 and incoming.number_text in page.content.decode()
    again = client.post(
        reverse("gongwen:delivery_sign_for", args=[delivery_to(document, unit_a).pk]), follow=True
    )
    assert "already signed for" in again.content.decode() or "已" in again.content.decode()
    assert IncomingDocument.objects.count() == 1

    login(client, unit_b.clerk)
    delivery_b = delivery_to(document, unit_b)
    empty = client.post(reverse("gongwen:delivery_refuse", args=[delivery_b.pk]), {"reason": ""})
    assert empty.status_code == 400
    assert delivery_to(document, unit_b).status == Delivery.Status.SENT
    client.post(reverse("gongwen:delivery_refuse", args=[delivery_b.pk]), {"reason": "非本单位"})
    assert delivery_to(document, unit_b).status == Delivery.Status.REFUSED


def test_the_sender_sees_each_units_state_and_resends(client, portal, hq, unit_a, unit_b):
    document = dispatched(hq, unit_a.unit, unit_b.unit)
    services.delivery_sign_for(delivery=delivery_to(document, unit_a), user=unit_a.clerk)
    refused = services.delivery_refuse(
        delivery=delivery_to(document, unit_b), user=unit_b.clerk, reason="不属于本单位"
    )
    login(client, hq.clerk)
    html = client.get(reverse("workflow:documents:document", args=[document.pk])).content.decode()
    assert 'data-status="signed_for"' in html and unit_a.clerk.name in html
    assert 'data-status="refused"' in html and "不属于本单位" in html
    assert reverse("gongwen:delivery_resend", args=[refused.pk]) in html
    assert reverse("gongwen:outgoing_close", args=[document.pk]) in html
    client.post(reverse("gongwen:delivery_resend", args=[refused.pk]))
    assert delivery_to(document, unit_b).status == Delivery.Status.SENT

    # the drafter sees the states but may neither resend nor close
    login(client, hq.drafter)
    html = client.get(reverse("workflow:documents:document", args=[document.pk])).content.decode()
    assert 'data-status="signed_for"' in html
    assert reverse("gongwen:outgoing_close", args=[document.pk]) not in html
    assert client.post(reverse("gongwen:outgoing_close", args=[document.pk])).status_code == 403
    assert client.post(reverse("gongwen:delivery_resend", args=[refused.pk])).status_code == 403
    # (unit B's clerk refused it and unit A's signed for it: neither became a handler of it)
    for recipient_clerk in (unit_a.clerk, unit_b.clerk):
        login(client, recipient_clerk)
        document_url = reverse("workflow:documents:document", args=[document.pk])
        assert client.get(document_url).status_code == 404
        assert client.post(reverse("gongwen:outgoing_close", args=[document.pk])).status_code == 404
        assert client.post(reverse("gongwen:delivery_resend", args=[refused.pk])).status_code == 404

    login(client, hq.clerk)
    client.post(reverse("gongwen:outgoing_close", args=[document.pk]), {"opinion": "办结"})
    assert OutgoingDocument.objects.get(pk=document.pk).status == "closed"


def test_the_portal_and_tabs_count_what_waits(client, portal, hq, unit_a, unit_b):
    dispatched(hq, unit_a.unit, attachments=False)
    dispatched(hq, unit_a.unit, unit_b.unit, attachments=False)
    login(client, unit_a.clerk)
    home = client.get("/").content.decode()
    assert 'data-testid="portal-deliveries"' in home and 'data-testid="deliveries-count">2<' in home
    login(client, unit_a.drafter)
    assert 'data-testid="portal-deliveries"' not in client.get("/").content.decode()


def test_the_lists_and_pages_have_bounded_queries(
    client, portal, hq, unit_a, django_assert_max_num_queries
):
    for _ in range(3):
        document = dispatched(hq, unit_a.unit)
    login(client, unit_a.clerk)
    delivery = delivery_to(document, unit_a)
    for url in (
        reverse("gongwen:deliveries"),
        reverse("gongwen:deliveries") + "?show=handled",
        reverse("gongwen:delivery", args=[delivery.pk]),
    ):
        client.get(url)
        with django_assert_max_num_queries(15):
            assert client.get(url).status_code == 200
    incoming = services.delivery_sign_for(delivery=delivery, user=unit_a.clerk)
    with django_assert_max_num_queries(15):
        assert (
            client.get(reverse("gongwen:incoming_registered", args=[incoming.pk])).status_code
            == 200
        )


def test_screens_are_in_chinese(client, portal, hq, unit_a, unit_b, monkeypatch):
    # A readable (unsealed) PDF, so the seal check gives its own translated reason rather than
    # the PDF library's complaint about the stand-in.
    writer, output = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=595, height=842)
    writer.write(output)
    pdf = output.getvalue()
    monkeypatch.setattr(
        "workflow.services.outgoing._redhead_pdf",
        lambda document: (pdf, hashlib.sha256(pdf).hexdigest()),
    )
    document = dispatched(hq, unit_a.unit, unit_b.unit)
    services.delivery_refuse(delivery=delivery_to(document, unit_b), user=unit_b.clerk, reason="错")
    # unit codes and usernames, the attachment 检查表.pdf, and the scan formats offered
    allowed = {"HQ", "UA", "UB", "hq", "ua", "ub", "clerk", "pdf", "JPEG", "PNG", "TIFF"}
    with translation.override("zh-hans"):
        login(client, unit_a.clerk)
        urls = [
            reverse("gongwen:deliveries"),
            reverse("gongwen:delivery", args=[delivery_to(document, unit_a).pk]),
            reverse("gongwen:paper_register"),
        ]
        incoming = services.delivery_sign_for(
            delivery=delivery_to(document, unit_a), user=unit_a.clerk
        )
        urls += [
            reverse("gongwen:deliveries") + "?show=handled",
            reverse("gongwen:incoming_registered", args=[incoming.pk]),
        ]
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert english_words(response.content.decode(), *allowed) == set(), url
        login(client, hq.clerk)
        page = client.get(reverse("workflow:documents:document", args=[document.pk]))
        # the recipients' panel (the trace elsewhere on the page shows hashes as they are)
        html = page.content.decode()
        start = html.rindex("<section", 0, html.index('data-testid="deliveries"'))
        panel = html[start : html.index("</section>", start)]
        assert english_words(panel, *allowed) == set()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs row locks held by two database connections (PostgreSQL); SQLite serialises "
    "whole-database writes",
)
@pytest.mark.django_db(transaction=True)
def test_two_clerks_signing_for_at_once_one_wins():
    from tests.factories.people import RoleAssignmentFactory

    hq = OfficeFactory("HQ", "东方重工集团", headquarters=True)
    unit_a = OfficeFactory("UA", "甲单位", parent=hq.unit)
    second_clerk = unit_a.verifier
    RoleAssignmentFactory(user=second_clerk, role="file_clerk", unit=unit_a.unit)
    delivery = delivery_to(dispatched(hq, unit_a.unit, attachments=False), unit_a)
    barrier = threading.Barrier(2)
    outcomes = []

    def sign_for(clerk):
        try:
            barrier.wait()
            services.delivery_sign_for(delivery=delivery, user=clerk)
            outcomes.append("signed for")
        except services.DeliveryAlreadyHandled:
            outcomes.append("already handled")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign_for, args=(c,)) for c in (unit_a.clerk, second_clerk)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already handled", "signed for"]
    assert IncomingDocument.objects.count() == 1
    assert IssuedNumber.objects.filter(prefix__unit=unit_a.unit).count() == 1


def test_documents_dispatched_before_the_exchange_await_closing_and_reach_their_units(
    hq, unit_a, unit_b
):
    """The data migration: dispatch used to close the document at once."""
    from django.apps import apps

    migration = importlib.import_module("workflow.migrations.0012_exchange")
    document = dispatched(hq, unit_a.unit, unit_b.production, copy=[hq.finance])
    sent_at = document.dispatched_at
    Delivery.objects.all().delete()
    OutgoingDocument.objects.filter(pk=document.pk).update(
        status="closed", closed_at=sent_at, dispatched_at=None
    )
    migration.dispatched_documents_await_closing(apps, None)
    document.refresh_from_db()
    assert (document.status, document.dispatched_at, document.closed_at) == (
        "dispatched",
        sent_at,
        None,
    )
    deliveries = Delivery.objects.filter(document=document).order_by("recipient_unit__code")
    assert [d.recipient_unit for d in deliveries] == [unit_a.unit, unit_b.unit]
    assert all(d.pdf.name == document.final_pdf.name and d.status == "sent" for d in deliveries)
    services.delivery_sign_for(delivery=deliveries[0], user=unit_a.clerk)

    migration.dispatched_documents_closed(apps, None)
    document.refresh_from_db()
    assert (document.status, document.closed_at) == ("closed", sent_at)
