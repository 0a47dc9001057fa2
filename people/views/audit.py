"""The audit log, for system administrators."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from .. import permissions
from ..forms import AuditFilterForm
from ..selectors.admin import audit_entries


def audit_log(request):
    if not permissions.can_view_audit_log(request.user):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = audit_entries(
        action=filters.get("action", ""),
        unit=filters.get("unit"),
        query=filters.get("q", ""),
        since=filters.get("since"),
        until=filters.get("until"),
    )
    return render(
        request,
        "people/admin/audit_log.html",
        {
            "form": form,
            "page_obj": Paginator(entries, 50).get_page(request.GET.get("page")),
        },
    )
