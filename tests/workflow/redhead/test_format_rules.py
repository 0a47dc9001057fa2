"""The rules of the formats enforced along the flow: a 命令 is numbered 第N号 from an order prefix
and other types are not; a 请示 has exactly one 主送 and the office review is reminded of 一文一事;
a 命令 prints only with its signer; a title too long for three lines is refused when drafting;
at proof-reading, attachments that do not match the drafter's 附件说明 are a warning, never a
refusal."""

import pytest

from tests.factories.documents import act, advance, draft_document, open_task
from workflow import selectors, services
from workflow.forms import TaskActionForm
from workflow.models import DocumentAttachment, DocumentType, OutgoingDocument
from workflow.numbering.services import prefix_create
from workflow.redhead import documents
from workflow.redhead.errors import RedheadError

pytestmark = pytest.mark.django_db


@pytest.fixture
def order_prefix(office):
    return prefix_create(unit=office.unit, text="甲令", user=None, is_order=True)


def order_document(office):
    return draft_document(
        office,
        doc_type=DocumentType.ORDER,
        title="甲单位关于表彰安全生产先进集体的命令",
        signatory_title="总经理",
    )


def test_an_order_takes_its_number_from_an_order_prefix(office, order_prefix):
    document = order_document(office)
    advance(document, office, until="numbering")
    task = open_task(document)
    form = TaskActionForm(task=task, document=document, user=office.clerk)
    assert list(form.fields["prefix"].queryset) == [order_prefix]

    with pytest.raises(services.DocumentError) as refused:
        services.number_assign(task=task, user=office.clerk, prefix=office.prefix)
    assert refused.value.message_dict["prefix"] == ["命令须使用令号代字编号（第N号）。"]
    assert OutgoingDocument.objects.get(pk=document.pk).number_id is None

    services.number_assign(task=task, user=office.clerk, prefix=order_prefix)
    assert OutgoingDocument.objects.get(pk=document.pk).number_text == "第1号"


def test_other_types_are_not_numbered_from_an_order_prefix(office, document, order_prefix):
    advance(document, office, until="numbering")
    task = open_task(document)
    form = TaskActionForm(task=task, document=document, user=office.clerk)
    assert order_prefix not in form.fields["prefix"].queryset

    with pytest.raises(services.DocumentError) as refused:
        services.number_assign(task=task, user=office.clerk, prefix=order_prefix)
    assert refused.value.message_dict["prefix"] == ["只有命令使用令号代字编号（第N号）。"]
    assert open_task(document).pk == task.pk


def test_an_order_without_a_signer_is_not_printed(office):
    document = order_document(office)

    with pytest.raises(RedheadError, match="命令须标注签发人签名章"):
        documents.content_for_document(document)


def test_a_request_with_two_main_recipients_is_refused_when_submitted(office):
    document = draft_document(office, doc_type=DocumentType.REQUEST)
    task = open_task(document)

    with pytest.raises(services.DocumentError, match="请示只能主送一个机关，现有2个"):
        services.draft_submit(
            task=task, user=office.drafter, department_head=office.production_head
        )
    assert open_task(document).pk == task.pk
    assert OutgoingDocument.objects.get(pk=document.pk).status == OutgoingDocument.Status.DRAFT


def test_the_office_review_of_a_request_shows_its_rules(client, office, portal):
    request = draft_document(office, doc_type=DocumentType.REQUEST, main_recipients=[office.unit])
    notice = draft_document(office, title="关于做好节前安全检查的通知")
    for document in (request, notice):
        advance(document, office, until="verify")
    client.force_login(office.verifier)

    shown = client.get(selectors.task_url(open_task(request)))
    assert 'data-testid="request-rules"' in shown.text and "一文一事" in shown.text
    assert (
        'data-testid="request-rules"' not in client.get(selectors.task_url(open_task(notice))).text
    )


def test_mismatched_attachments_are_a_warning_at_proofreading(
    client, office, portal, django_assert_max_num_queries
):
    document = draft_document(office, attachment_note="检查表\n整改台账")
    DocumentAttachment.objects.create(
        document=document, name="纸质底稿", is_paper_only=True, uploaded_by=office.drafter
    )
    advance(document, office, until="proofread")
    client.force_login(office.drafter)
    url = selectors.task_url(open_task(document))
    client.get(url)

    with django_assert_max_num_queries(26):
        shown = client.get(url)
    warnings = shown.text.split('data-testid="attachment-warnings"')[1].split("</div>")[0]
    assert "整改台账" in warnings and "纸质底稿" in warnings
    act(document, office)  # a warning, not a refusal
    assert open_task(document).flow_task.name == "seal"


def test_a_title_too_long_for_three_lines_is_refused_when_drafting(office):
    with pytest.raises(services.DocumentError) as refused:
        draft_document(office, title="关于" + "安全生产" * 16 + "的通知")

    assert "超出三行" in refused.value.message_dict["title"][0]
    assert not OutgoingDocument.objects.exists()
