"""Permission change requests (权限变更申请): asked by anyone, decided by an administrator."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import permissions, services
from ..audit import client_ip
from ..forms import DecisionForm, PermissionRequestForm, add_service_errors, flash_service_errors
from ..models import PermissionRequest, Role
from ..selectors import admin as selectors


def request_list(request):
    return render(
        request, "people/requests/mine.html", {"requests": selectors.my_requests(request.user)}
    )


def request_create(request):
    form = PermissionRequestForm(request.POST or None, requester=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.permission_request_submit(
                requester=request.user,
                role=Role(data["role"]),
                unit=data["unit"],
                column=data["column"],
                reason=data["reason"],
                ip_address=client_ip(request),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your request was sent to the administrator."))
            return redirect("people:request_list")
    return render(request, "people/requests/create.html", {"form": form})


def request_review_list(request):
    if not permissions.can_administer_any(request.user):
        raise PermissionDenied
    context = {
        "pending": selectors.pending_requests_for_review(request.user),
        "decided": selectors.decided_requests_for_review(request.user, limit=20),
        "decision_form": DecisionForm(),
    }
    return render(request, "people/requests/review.html", context)


@require_POST
def request_decide(request, pk):
    permission_request = get_object_or_404(PermissionRequest, pk=pk)
    if not permissions.decides_requests_for(request.user).filter(pk=pk).exists():
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve or reject."))
        return redirect("people:request_review_list")
    approve = form.cleaned_data["decision"] == "approve"
    try:
        services.permission_request_decide(
            actor=request.user,
            request=permission_request,
            approve=approve,
            opinion=form.cleaned_data["opinion"],
            ip_address=client_ip(request),
        )
    except ValidationError as error:
        flash_service_errors(request, error)
    else:
        if approve:
            messages.success(request, _("Approved; the right is in effect."))
        else:
            messages.success(request, _("Rejected; the requester will see your opinion."))
    return redirect("people:request_review_list")
