"""Decisions on permission requests reach the requester's inbox. people imports nothing of ours,
so the inbox registers the kind and listens to people's signal."""

from django.conf import settings
from django.dispatch import receiver
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from people.events import request_decided
from people.models import PermissionRequest

from .registry import NotificationKind, register
from .services import notify

REQUEST_DECIDED = register(
    NotificationKind(
        key="people.request_decided",
        label=gettext_lazy("Permission requests"),
        email_default=True,
    )
)


@receiver(request_decided)
def tell_the_requester(sender, request: PermissionRequest, **kwargs):
    with translation.override(settings.LANGUAGE_CODE):
        role = request.get_role_display()
        if request.status == PermissionRequest.Status.APPROVED:
            title = _("Your request for %(role)s was approved.") % {"role": role}
        else:
            title = _("Your request for %(role)s was rejected.") % {"role": role}
        body = _("Opinion: %(opinion)s") % {"opinion": request.opinion} if request.opinion else ""
    notify(
        request.requester_id,
        kind=REQUEST_DECIDED.key,
        title=title,
        body=body,
        url=reverse("people:request_list"),
        source=request,
    )
