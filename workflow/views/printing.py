"""The processing forms on paper: the 收文处理单 of an incoming document (its page and PDF) and
the 发文稿纸 of an outgoing one (a print view and a PDF, without the site's navigation). The PDFs
are laid out by the red-head renderer with its fonts; the printed labels are Chinese whatever the
reader's interface language, as the red-head's are."""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.views import View

from .. import permissions, selectors
from ..models import IncomingDocument, TraceEntry
from ..redhead.services import font_stacks, render_html_pdf
from ..steps import step_title
from .circulation import circulation_panel
from .documents import form_context, visible_document

# The incoming flow's steps (gongwen.md §6) whose opinions fill the boxes of the 收文处理单.
PROPOSAL_STEPS = ("propose",)
INSTRUCTION_STEPS = ("instruct",)
HANDLING_STEPS = ("handle", "cohandle", "reply")
CLOSE_STEP = "close"
NOT_OPINIONS = {TraceEntry.Action.OPEN, TraceEntry.Action.REASSIGN, TraceEntry.Action.CLOSE_TASK}
SHEET_CSS = "workflow/sheets.css"


def _opinions(entries, steps) -> list[TraceEntry]:
    return [
        entry
        for entry in entries
        if entry.step in steps and entry.action not in NOT_OPINIONS and entry.actor_name
    ]


def incoming_form_context(document: IncomingDocument, rounds: list) -> dict:
    """The boxes of the 收文处理单, each with its opinions (names and dates) in order."""
    entries = list(document.trace_entries.all())
    for entry in entries:
        entry.to_step_title = step_title(entry.extra.get("to_step", ""))
    closing = [e for e in entries if e.step == CLOSE_STEP and e.action == TraceEntry.Action.CLOSE]
    return {
        "document": document,
        "proposal_opinions": _opinions(entries, PROPOSAL_STEPS),
        "instruction_opinions": _opinions(entries, INSTRUCTION_STEPS),
        "handling_opinions": _opinions(entries, HANDLING_STEPS),
        "receipts": [receipt for circulation in rounds for receipt in circulation.readers.all()],
        "closed_at": closing[-1].created_at if closing else None,
        "closing_remark": closing[-1].opinion if closing else "",
    }


def _visible_incoming(request, pk) -> IncomingDocument:
    try:
        document = selectors.incoming_sheet(pk)
    except IncomingDocument.DoesNotExist:
        raise Http404 from None
    if not permissions.can_view_document(request.user, document):
        raise Http404
    return document


def _pdf_response(template: str, context: dict, filename: str) -> HttpResponse:
    css_path = finders.find(SHEET_CSS)
    with open(css_path, encoding="utf-8") as css, translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            template,
            {**context, "css": mark_safe(css.read()), "fonts": font_stacks(), "for_pdf": True},
        )
    response = HttpResponse(render_html_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


class IncomingFormView(View):
    """The 收文处理单 on screen, with the document's circulation."""

    def get(self, request, pk):
        document = _visible_incoming(request, pk)
        rounds = selectors.circulation_rounds(document)
        context = {
            **incoming_form_context(document, rounds),
            **circulation_panel(request, document, rounds),
        }
        return TemplateResponse(request, "workflow/incoming_form.html", context)


class IncomingFormPdfView(View):
    def get(self, request, pk):
        document = _visible_incoming(request, pk)
        name = f"收文处理单-{document.number_text or document.pk}.pdf"
        context = incoming_form_context(document, selectors.circulation_rounds(document))
        return _pdf_response("workflow/print/incoming_pdf.html", context, name)


class OutgoingPrintView(View):
    """The 发文稿纸 alone on the page, for the browser's print."""

    def get(self, request, pk):
        visible_document(request, pk=pk)
        document = selectors.document_form(pk)
        return TemplateResponse(
            request, "workflow/print/outgoing.html", form_context(request, document)
        )


class OutgoingFormPdfView(View):
    def get(self, request, pk):
        visible_document(request, pk=pk)
        document = selectors.document_form(pk)
        context = form_context(request, document)
        name = f"发文稿纸-{document.number_text or document.pk}.pdf"
        return _pdf_response("workflow/print/outgoing_pdf.html", context, name)
