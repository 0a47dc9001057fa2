"""The printed processing forms (发文稿纸, 收文处理单) as PDF, as the print screens show them, for
whoever keeps them beside a document outside the flows (the archive files them with the item)."""

from types import SimpleNamespace

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from people.models import User

from . import selectors
from .models import Document, OutgoingDocument
from .redhead.services import font_stacks, render_html_pdf
from .views.documents import form_context
from .views.printing import SHEET_CSS, incoming_form_context


def processing_form_pdf(document: Document, reader: User) -> bytes:
    """The document's processing form as PDF, in the site's language, as `reader` sees it."""
    with open(finders.find(SHEET_CSS), encoding="utf-8") as css:
        common = {"css": mark_safe(css.read()), "fonts": font_stacks(), "for_pdf": True}
    with translation.override(settings.LANGUAGE_CODE):
        if isinstance(document, OutgoingDocument):
            sheet = selectors.document_form(document.pk)
            context = form_context(SimpleNamespace(user=reader), sheet)
            template = "workflow/print/outgoing_pdf.html"
        else:
            sheet = selectors.incoming_sheet(document.pk)
            context = incoming_form_context(sheet, selectors.circulation_rounds(sheet))
            template = "workflow/print/incoming_pdf.html"
        return render_html_pdf(render_to_string(template, {**context, **common}))
