"""The inbox (消息中心): list, open an item, mark all read, e-mail preferences."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import InboxFilterForm, PreferencesForm
from .registry import kind_label, kinds

PER_PAGE = 20


def inbox(request):
    filters = InboxFilterForm(request.GET or None)
    kind, unread = (
        (filters.cleaned_data["kind"], filters.cleaned_data["unread"])
        if filters.is_valid()
        else ("", False)
    )
    notifications = selectors.inbox(request.user, kind=kind, unread=unread)
    page = Paginator(notifications, PER_PAGE).get_page(request.GET.get("page"))
    for notification in page.object_list:
        notification.kind_label = kind_label(notification.kind)
    context = {
        "page_obj": page,
        "notifications": page.object_list,
        "kinds": kinds(),
        "kind": kind,
        "unread": unread,
    }
    return render(request, "notifications/inbox.html", context)


def open_notification(request, pk):
    """Opening an item marks it read and leads to what it is about."""
    notification = selectors.own_notification(request.user, pk)
    if notification is None:
        raise Http404
    services.notification_mark_read(user=request.user, notification=notification)
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect("notifications:inbox")
    return redirect(target)


@require_POST
def mark_all_read(request):
    filters = InboxFilterForm(request.POST)
    kind = filters.cleaned_data["kind"] if filters.is_valid() else ""
    count = services.notifications_mark_all_read(user=request.user, kind=kind)
    messages.success(request, _("%(count)s notification(s) marked as read.") % {"count": count})
    return redirect("notifications:inbox")


def preferences(request):
    form = PreferencesForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if not services.email_enabled():
            raise Http404
        if form.is_valid():
            services.preferences_update(user=request.user, email_kinds=form.cleaned_data["email"])
            messages.success(request, _("Your notification preferences were saved."))
            return redirect("notifications:preferences")
    context = {"form": form, "email_enabled": services.email_enabled()}
    return render(request, "notifications/preferences.html", context)
