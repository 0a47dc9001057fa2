"""The screens: processing form with trace, actions through the task screen, permission-checked
pages and downloads, stale forms, and a bounded number of queries."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories.documents import OfficeFactory, act, advance, open_task
from workflow import selectors, services
from workflow.models import OutgoingDocument, TraceEntry

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def login(client, user):
    client.force_login(user)
    return client


def document_url(document):
    return reverse("workflow:documents:document", args=[document.pk])


def test_drafter_creates_a_document_through_the_form(client, office, portal):
    login(client, office.drafter)
    response = client.post(
        reverse("workflow:documents:document_create"),
        {
            "doc_type": "notice",
            "title": "关于节假日值班安排的通知",
            "direction": "down",
            "classification": "non_secret",
            "urgency": "urgent",
            "main_units": [office.production.pk],
            "copy_outside": "市总工会",
            "body": "各部门：\n一、值班时间\n国庆期间。",
            "copies": 5,
        },
    )
    document = OutgoingDocument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("workflow:documents:document_edit", args=[document.pk])
    assert document.body == "<p>各部门：</p><p>一、值班时间</p><p>国庆期间。</p>"
    assert [r.name for r in document.copy_recipients] == ["市总工会"]
    assert open_task(document).owner == office.drafter


def test_a_classified_document_is_refused_with_a_clear_message(client, office, portal):
    login(client, office.drafter)
    response = client.post(
        reverse("workflow:documents:document_create"),
        {
            "doc_type": "notice",
            "title": "密件",
            "direction": "down",
            "classification": "secret",
            "copies": 1,
            "body": "x",
        },
    )
    assert response.status_code == 400
    assert "涉密" in response.content.decode() or "must not be" in response.content.decode()
    assert not OutgoingDocument.objects.exists()


def test_task_screen_shows_the_form_records_the_opening_and_acts(client, office, document, portal):
    act(document, office)
    task = open_task(document)
    login(client, office.production_head)
    html = client.get(selectors.task_url(task)).content.decode()
    assert document.title in html and "何拟稿" in html and 'class="wf-paper"' in html
    assert TraceEntry.objects.filter(task=task, action="open").count() == 1
    client.get(selectors.task_url(task))
    assert TraceEntry.objects.filter(task=task, action="open").count() == 1

    response = client.post(
        selectors.task_url(task),
        {"decision": "approve", "verifier": office.verifier.pk, "opinion": "拟同意"},
    )
    assert response.status_code == 302
    assert open_task(document).owner == office.verifier
    assert TraceEntry.objects.filter(document=document).last().opinion == "拟同意"


def test_a_stale_form_says_already_handled_and_changes_nothing(client, office, document, portal):
    act(document, office)
    task = open_task(document)
    login(client, office.production_head)
    url = selectors.task_url(task)
    client.post(url, {"decision": "approve", "verifier": office.verifier.pk})
    entries = TraceEntry.objects.count()
    response = client.post(url, {"decision": "approve", "verifier": office.leader.pk}, follow=True)
    assert (
        "已被处理" in response.content.decode()
        or "already been handled" in response.content.decode()
    )
    assert TraceEntry.objects.count() == entries
    assert open_task(document).owner == office.verifier


def test_return_through_the_screen_needs_a_reason(client, office, document, portal):
    advance(document, office, until="verify")
    task = open_task(document)
    login(client, office.verifier)
    response = client.post(selectors.task_url(task), {"decision": "return", "return_to": "draft"})
    assert response.status_code == 400
    client.post(
        selectors.task_url(task), {"decision": "return", "return_to": "draft", "opinion": "重写"}
    )
    assert open_task(document).flow_task.name == "draft"


def test_leader_rejects_on_the_screen(client, office, document, portal):
    advance(document, office, until="sign_off")
    login(client, office.leader)
    client.post(
        selectors.task_url(open_task(document)), {"decision": "reject", "opinion": "不同意"}
    )
    document.refresh_from_db()
    assert document.status == OutgoingDocument.Status.REJECTED


def test_withdraw_button_for_the_sender(client, office, document, portal):
    act(document, office)
    check = open_task(document)
    login(client, office.drafter)
    html = client.get(document_url(document)).content.decode()
    assert reverse("workflow:documents:document_withdraw", args=[document.pk, check.pk]) in html
    client.post(reverse("workflow:documents:document_withdraw", args=[document.pk, check.pk]))
    assert open_task(document).flow_task.name == "draft"


def test_people_who_may_not_see_the_document_get_404_on_every_surface(
    client, office, document, portal
):
    """As the API does: a 403 would confirm that the id exists, so ids could be enumerated."""
    services.attachment_add(
        document=document, user=office.drafter, file=SimpleUploadedFile("表.pdf", PDF)
    )
    attachment = document.attachments.get()
    act(document, office)
    task = open_task(document)
    process = document.process
    other = OfficeFactory(code="UB", name="乙单位", parent=office.unit.get_parent())
    gets = [
        selectors.task_url(task),
        document_url(document),
        reverse("workflow:documents:document_edit", args=[document.pk]),
        reverse("workflow:documents:attachment_download", args=[document.pk, attachment.pk]),
        reverse("workflow:documents:pdf_download", args=[document.pk]),
        reverse("workflow:documents:body_download", args=[document.pk]),
        reverse("workflow:documents:flows:outgoing:process_chart", args=[process.pk]),
        reverse("workflow:documents:flows:outgoing:process_detail", args=[process.pk]),
        reverse("gongwen:task_reassign", args=[task.pk]),
        reverse("gongwen:process_cancel", args=[document.pk]),
    ]
    posts = [
        selectors.task_url(task),
        reverse("workflow:documents:document_withdraw", args=[document.pk, task.pk]),
        reverse("gongwen:task_reassign", args=[task.pk]),
        reverse("gongwen:process_cancel", args=[document.pk]),
    ]
    for user in (office.outsider, other.clerk, other.process_admin, other.leader):
        login(client, user)
        for url in gets:
            assert client.get(url).status_code == 404, (user, url)
        for url in posts:
            response = client.post(url, {"decision": "approve", "reason": "试探"})
            assert response.status_code == 404, (user, url)
    assert open_task(document).pk == task.pk
    assert document.trace_entries.filter(actor__in=[office.outsider, other.clerk]).count() == 0

    login(client, office.outsider)  # an id that does not exist answers the same
    missing = reverse("workflow:documents:document", args=[document.pk + 1000])
    assert client.get(missing).status_code == 404

    login(client, office.clerk)  # the issuing unit's clerk may read and download
    assert client.get(gets[3]).status_code == 200
    login(client, office.drafter)  # a viewer who is not the owner sees the form read-only
    response = client.get(selectors.task_url(task))
    assert response.status_code == 302 and response["Location"] == document_url(document)
    # who sees the document but may not administer it is told so
    assert client.get(reverse("gongwen:task_reassign", args=[task.pk])).status_code == 403


def test_recipient_units_clerks_see_only_the_delivery_never_the_senders_page(
    client, office, portal
):
    other = OfficeFactory(code="UB", name="乙单位", parent=office.unit.get_parent())
    from tests.factories.documents import draft_document

    document = draft_document(office, main_recipients=[other.unit])
    advance(document, office, until="dispatch")
    login(client, other.clerk)
    assert client.get(document_url(document)).status_code == 404
    act(document, office)
    # what was sent reaches them as a delivery; the sender's form, opinions and trace do not
    delivery = document.deliveries.get()
    assert client.get(reverse("gongwen:delivery", args=[delivery.pk])).status_code == 200
    assert client.get(document_url(document)).status_code == 404
    assert (
        client.get(reverse("workflow:documents:pdf_download", args=[document.pk])).status_code
        == 404
    )
    login(client, other.drafter)
    assert client.get(reverse("gongwen:delivery", args=[delivery.pk])).status_code == 404


def test_processing_form_query_count_is_bounded(
    client, office, document, portal, django_assert_max_num_queries
):
    advance(document, office, until="sign_off", countersign=[office.finance, office.safety])
    for _ in range(3):
        services.task_open(task=open_task(document), user=open_task(document).owner)
    login(client, office.leader)
    url = document_url(document)
    client.get(url)
    with django_assert_max_num_queries(15):
        html = client.get(url).content.decode()
    assert "钱会计长" in html and "安部长" in html


def test_delegation_screen(client, office, portal):
    login(client, office.leader)
    response = client.post(
        reverse("workflow:documents:delegations"),
        {"deputy": office.second_leader.pk, "starts_on": "2026-01-01", "ends_on": "2026-01-05"},
    )
    assert response.status_code == 302
    assert "王副总" in client.get(reverse("workflow:documents:delegations")).content.decode()


def test_task_screen_query_count_is_bounded(
    client, office, document, portal, django_assert_max_num_queries
):
    advance(document, office, until="sign_off", countersign=[office.finance, office.safety])
    task = open_task(document)
    login(client, office.leader)
    client.get(selectors.task_url(task))
    # The sign-off after a countersign: the withdrawal rule walks back through the join.
    with django_assert_max_num_queries(15):
        response = client.get(selectors.task_url(task))
    assert response.status_code == 200


def test_viewflow_process_pages_follow_the_document_permission(client, office, document, portal):
    process = document.process
    detail = reverse("workflow:documents:flows:outgoing:process_detail", args=[process.pk])
    chart = reverse("workflow:documents:flows:outgoing:process_chart", args=[process.pk])
    login(client, office.outsider)
    assert client.get(detail).status_code == 404
    assert client.get(chart).status_code == 404
    assert client.get("/workflow/documents/flows/outgoing/flows/").status_code == 404
    assert client.get("/workflow/documents/flows/outgoing/tasks/").status_code == 404
    login(client, office.drafter)
    assert client.get(detail)["Location"] == document_url(document)
    assert client.get(chart).status_code == 200
