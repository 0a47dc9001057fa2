"""Accounts locked by login throttling (django-axes), and unlocking them before the cool-off ends.

A system administrator sees and unlocks every lockout; a unit administrator only those of the
accounts they administer (never a system administrator's).
"""

from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Max, QuerySet, Sum
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import permissions, services
from ..audit import client_ip
from ..models import Role, User


class UnlockForm(forms.Form):
    username = forms.CharField(max_length=255)


def lockout_list(request):
    viewer = request.user
    if not permissions.can_administer_any(viewer):
        raise PermissionDenied
    lockouts = _current_lockouts(request)
    people = User.objects.filter(
        username__in={lockout["username"] for lockout in lockouts}
    ).select_related("department__unit")
    people_by_username = {person.username: person for person in people}
    for lockout in lockouts:
        lockout["person"] = people_by_username.get(lockout["username"])
    return render(
        request,
        "people/lockouts.html",
        {"lockouts": lockouts, "cool_off": get_cool_off(request)},
    )


@require_POST
def lockout_unlock(request):
    form = UnlockForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the account to unlock."))
        return redirect("people:lockout_list")
    username = form.cleaned_data["username"]
    target = User.objects.filter(username=username).select_related("department__unit").first()
    if not permissions.can_unlock(request.user, target):
        raise PermissionDenied
    unlocked = services.account_unlock(
        actor=request.user, username=username, target=target, ip_address=client_ip(request)
    )
    if unlocked:
        messages.success(
            request, _("The account %(username)s is unlocked.") % {"username": username}
        )
    else:
        messages.error(
            request, _("The account %(username)s is not locked.") % {"username": username}
        )
    return redirect("people:lockout_list")


def _unlockable_users(viewer: User) -> QuerySet[User]:
    """The accounts whose lockouts the viewer sees: `permissions.can_unlock` as a query."""
    users = permissions.administered_users(viewer)
    if permissions.is_system_admin(viewer):
        return users
    return users.exclude(is_superuser=True).exclude(role_assignments__role=Role.SYSTEM_ADMIN)


def _current_lockouts(request) -> list[dict]:
    """Locked (account, address) pairs, counted as django-axes counts them for the lockout."""
    attempts = AccessAttempt.objects.all()
    cool_off = get_cool_off(request)
    if cool_off:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    if not permissions.is_system_admin(request.user):
        attempts = attempts.filter(username__in=_unlockable_users(request.user).values("username"))
    return list(
        attempts.values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last_attempt=Max("attempt_time"))
        .filter(failures__gte=get_failure_limit(request, None))
        .order_by("-last_attempt", "username")
    )
