"""Screens of the electronic exchange and of paper registration: the unit clerk's 待签收 list,
a delivery as it was sent (never the sender's opinions or trace) with sign-for and refusal,
the sender clerk's resend and close (办结), and registering a paper document with its scan.

Every object is looked up through the permission rule, so a unit that was not a recipient
gets 404 for the list entry, the page, the PDF and each attachment alike."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from core.uploads import PDF
from people.models import OrgUnit, Role, RoleAssignment

from .. import permissions, selectors, services
from ..forms import PaperRegistrationForm, RefuseDeliveryForm
from ..models import Delivery, DocumentAttachment, IncomingDocument
from ..registers import screen_tabs
from .documents import _file_response, form_errors, refusal, visible_document
from .lists import _page


def _received_delivery(request, pk) -> Delivery:
    """A delivery sent to one of the user's units, or 404."""
    try:
        delivery = selectors.delivery_page(pk)
    except Delivery.DoesNotExist:
        raise Http404 from None
    if not permissions.can_receive_delivery(request.user, delivery):
        raise Http404
    return delivery


class DeliveryInboxView(View):
    """待签收: what was sent to the user's units and awaits signing for; and what they handled."""

    def get(self, request):
        handled = request.GET.get("show") == "handled"
        deliveries = (
            selectors.deliveries_handled(request.user)
            if handled
            else selectors.deliveries_to_sign_for(request.user)
        )
        page = _page(request, deliveries)
        context = {
            "page_obj": page,
            "deliveries": page.object_list,
            "handled": handled,
            "active_tab": "deliveries",
            **screen_tabs(request.user),
        }
        return TemplateResponse(request, "workflow/exchange/inbox.html", context)


class DeliveryDetailView(View):
    """The document as it was sent: elements, the PDF, attachments (paper-only marked), and
    whether its seal is intact."""

    def get(self, request, pk):
        delivery = _received_delivery(request, pk)
        return _delivery_page(request, delivery, RefuseDeliveryForm())


def _delivery_page(request, delivery, refuse_form, status=200):
    from ..seal.verification import verify

    with delivery.pdf.open("rb") as pdf:
        verification = verify(pdf.read())
    context = {
        "delivery": delivery,
        "sent": delivery.document,
        "attachments": delivery.document.attachments.all(),
        "verification": verification,
        "refuse_form": refuse_form,
        "active_tab": "deliveries",
        **screen_tabs(request.user),
    }
    return TemplateResponse(request, "workflow/exchange/delivery.html", context, status=status)


class DeliverySignForView(View):
    def post(self, request, pk):
        delivery = _received_delivery(request, pk)
        try:
            incoming = services.delivery_sign_for(delivery=delivery, user=request.user)
        except services.DocumentError as error:
            messages.error(request, error.messages[0])
            return redirect("gongwen:delivery", pk=pk)
        messages.success(
            request,
            _("Signed for; registered as %(number)s.") % {"number": incoming.number_text},
        )
        return redirect("gongwen:incoming_registered", pk=incoming.pk)


class DeliveryRefuseView(View):
    def post(self, request, pk):
        delivery = _received_delivery(request, pk)
        form = RefuseDeliveryForm(request.POST)
        if form.is_valid():
            try:
                services.delivery_refuse(
                    delivery=delivery, user=request.user, reason=form.cleaned_data["reason"]
                )
            except services.DeliveryAlreadyHandled as error:
                messages.error(request, error.messages[0])
                return redirect("gongwen:delivery", pk=pk)
            except services.DocumentError as error:
                form_errors(form, error)
            else:
                messages.success(request, _("The document is returned to the sender."))
                return redirect("gongwen:deliveries")
        return _delivery_page(request, delivery, form, status=400)


class DeliveryPdfView(View):
    def get(self, request, pk):
        delivery = _received_delivery(request, pk)
        sent = delivery.document
        return _file_response(
            delivery.pdf, f"{sent.number_text or sent.pk}{sent.title}.pdf", PDF.content_type
        )


class DeliveryAttachmentView(View):
    def get(self, request, pk, attachment_pk):
        delivery = _received_delivery(request, pk)
        attachment = get_object_or_404(
            DocumentAttachment, pk=attachment_pk, document_id=delivery.document_id
        )
        return _attachment_response(attachment)


def _attachment_response(attachment: DocumentAttachment):
    if attachment.is_paper_only:
        raise Http404
    extension = attachment.file.name.rsplit(".", 1)[-1]
    name = attachment.name
    if not name.endswith(f".{extension}"):
        name = f"{name}.{extension}"
    return _file_response(
        attachment.file, name, attachment.content_type or "application/octet-stream"
    )


class DeliveryResendView(View):
    """The sender's clerk sends a refused document again to that unit."""

    def post(self, request, pk):
        delivery = get_object_or_404(Delivery, pk=pk)
        document = visible_document(request, pk=delivery.document_id)
        if not permissions.can_manage_dispatch(request.user, document):
            raise refusal(request.user, document)
        try:
            services.delivery_resend(delivery=delivery, user=request.user)
        except services.DocumentError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request,
                _("Sent again to %(unit)s.") % {"unit": delivery.recipient_unit.name},
            )
        return redirect("workflow:documents:document", pk=document.pk)


class OutgoingCloseView(View):
    """The sender's clerk closes a dispatched document (办结)."""

    def post(self, request, pk):
        document = visible_document(request, pk=pk)
        if not permissions.can_manage_dispatch(request.user, document):
            raise refusal(request.user, document)
        try:
            services.outgoing_close(
                document=document, user=request.user, opinion=request.POST.get("opinion", "")
            )
        except services.DocumentError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("The document is closed and ready for archiving."))
        return redirect("workflow:documents:document", pk=pk)


# Paper registration ----------------------------------------------------------------------


def _clerk_units(user):
    return OrgUnit.objects.filter(
        pk__in=RoleAssignment.objects.filter(user=user, role=Role.FILE_CLERK).values("unit_id"),
        kind__in=[OrgUnit.Kind.HEADQUARTERS, OrgUnit.Kind.UNIT],
    ).order_by("path")


class PaperRegistrationView(View):
    """收文登记 of a paper document by the unit's document clerk."""

    template_name = "workflow/exchange/paper_form.html"

    def _units(self, request):
        units = _clerk_units(request.user)
        if not units.exists():
            raise PermissionDenied
        return units

    def get(self, request):
        units = self._units(request)
        form = PaperRegistrationForm(
            units=units,
            initial={
                "unit": units.first(),
                "received_on": timezone.localdate(),
                "copies": 1,
                "classification": "non_secret",
            },
        )
        return self.render(request, form)

    def post(self, request):
        form = PaperRegistrationForm(request.POST, request.FILES, units=self._units(request))
        if form.is_valid():
            try:
                document = services.paper_register(user=request.user, **form.service_arguments())
            except services.DocumentError as error:
                form_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Registered as %(number)s; its text is being read.")
                    % {"number": document.number_text},
                )
                return redirect("gongwen:incoming_registered", pk=document.pk)
        return self.render(request, form, status=400)

    def render(self, request, form, status=200):
        context = {"form": form, "active_tab": "paper", **screen_tabs(request.user)}
        return TemplateResponse(request, self.template_name, context, status=status)


def _registered_document(request, pk) -> IncomingDocument:
    """A registered incoming document, for the receiving unit's clerks (404 for anyone else)."""
    document = get_object_or_404(
        IncomingDocument.objects.select_related(
            "unit", "sender_unit", "registered_by"
        ).prefetch_related(
            Prefetch("attachments", queryset=DocumentAttachment.objects.order_by("order", "pk"))
        ),
        pk=pk,
    )
    if not permissions.can_register_incoming(request.user, document.unit):
        raise Http404
    return document


class IncomingRegisteredView(View):
    """What was registered: the elements, the incoming number, the scan and its text status."""

    def get(self, request, pk):
        document = _registered_document(request, pk)
        source = getattr(document, "delivery", None) if document.source_document_id else None
        context = {
            "document": document,
            "delivery": source,
            "active_tab": "paper",
            **screen_tabs(request.user),
        }
        return TemplateResponse(request, "workflow/exchange/registered.html", context)


class IncomingScanView(View):
    def get(self, request, pk):
        document = _registered_document(request, pk)
        name = f"{document.number_text or document.pk}{document.title}.pdf"
        return _file_response(document.scan, name, PDF.content_type)


class IncomingAttachmentView(View):
    def get(self, request, pk, attachment_pk):
        document = _registered_document(request, pk)
        attachment = get_object_or_404(DocumentAttachment, pk=attachment_pk, document=document)
        return _attachment_response(attachment)


class ScanReadAgainView(View):
    def post(self, request, pk):
        document = _registered_document(request, pk)
        try:
            services.scan_read_again(document=document, user=request.user)
        except services.DocumentError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("The scan's text is being read again."))
        return redirect("gongwen:incoming_registered", pk=pk)
