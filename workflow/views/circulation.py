"""Circulation (传阅) screens: sending a document round from its page, the reader's 待阅 / 已阅
lists and receipt, and the sender's reminder."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views import View

from .. import permissions, selectors
from ..forms import CirculateForm, CirculationReadForm
from ..models import Circulation, CirculationReader, Document
from ..services import DocumentError
from ..services.circulation import circulate, circulation_read, circulation_remind

PAGE_SIZE = 20


def circulation_panel(request, document: Document, rounds=None) -> dict:
    """What a document's page shows of circulation: the rounds with each receipt (`rounds`, when
    the page has read them already), the form to send it round for those who may, and the
    reader's own receipt to sign."""
    user = request.user
    rounds = selectors.circulation_rounds(document) if rounds is None else rounds
    for circulation in rounds:
        circulation.may_remind = permissions.can_remind_readers(user, circulation)
        circulation.unread_count = sum(1 for r in circulation.readers.all() if not r.read_at)
    may_circulate = permissions.can_circulate(user, document)
    return {
        "circulation_rounds": rounds,
        "circulate_form": CirculateForm(document=document) if may_circulate else None,
        "own_receipt": next(
            (
                receipt
                for circulation in rounds
                for receipt in circulation.readers.all()
                if receipt.reader_id == user.pk and receipt.read_at is None
            ),
            None,
        ),
        "read_form": CirculationReadForm(),
    }


def _first_error(error: DocumentError) -> str:
    return error.messages[0]


class CirculateView(View):
    def post(self, request, pk):
        document = get_object_or_404(Document, pk=pk)
        if not permissions.can_view_document(request.user, document):
            raise Http404
        if not permissions.can_circulate(request.user, document):
            raise PermissionDenied
        form = CirculateForm(request.POST, document=document)
        if not form.is_valid():
            messages.error(request, next(iter(form.errors.values()))[0])
            return redirect(selectors.document_url(document))
        try:
            circulation = circulate(
                document,
                readers=list(form.cleaned_data["readers"]),
                by=request.user,
                note=form.cleaned_data["note"],
            )
        except DocumentError as error:
            messages.error(request, _first_error(error))
        else:
            messages.success(
                request,
                _("Sent round %(count)s readers.") % {"count": circulation.readers.count()},
            )
        return redirect(selectors.document_url(document))


class CirculationReadView(View):
    """The reader signs 已阅; another user's receipt does not exist for them (404)."""

    def post(self, request, receipt_pk):
        receipt = get_object_or_404(
            CirculationReader.objects.select_related("circulation__document"),
            pk=receipt_pk,
            reader=request.user,
        )
        form = CirculationReadForm(request.POST)
        document = receipt.circulation.document
        if not form.is_valid():
            messages.error(request, next(iter(form.errors.values()))[0])
            return redirect(selectors.document_url(document))
        try:
            circulation_read(receipt, user=request.user, remark=form.cleaned_data["remark"])
        except DocumentError as error:
            messages.error(request, _first_error(error))
        else:
            messages.success(request, _("Signed as read."))
        return redirect(selectors.document_url(document))


class CirculationRemindView(View):
    def post(self, request, circulation_pk):
        circulation = get_object_or_404(
            Circulation.objects.select_related("document"), pk=circulation_pk
        )
        if not permissions.can_view_document(request.user, circulation.document):
            raise Http404
        try:
            reminded = circulation_remind(circulation, by=request.user)
        except DocumentError as error:
            messages.error(request, _first_error(error))
        else:
            messages.success(
                request, _("Reminded %(count)s readers who have not read it.") % {"count": reminded}
            )
        return redirect(selectors.document_url(circulation.document))


class CirculationListView(View):
    """待阅 (to read) or 已阅 (read): the user's circulation receipts."""

    read = False

    def get(self, request):
        receipts = selectors.circulation_inbox(request.user, read=self.read)
        page = Paginator(receipts, PAGE_SIZE).get_page(request.GET.get("page"))
        for receipt in page.object_list:
            receipt.document_url = selectors.document_url(receipt.circulation.document)
        return TemplateResponse(
            request,
            "workflow/lists/circulation.html",
            {"page_obj": page, "read": self.read, "active_tab": "read" if self.read else "unread"},
        )
