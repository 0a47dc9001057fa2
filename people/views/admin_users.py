"""Account administration, delegated per unit (单位管理员) and for the whole group (系统管理员)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import permissions, services
from ..audit import client_ip
from ..forms import (
    ConcurrentPostForm,
    PasswordResetForm,
    RoleGrantForm,
    UserAccountForm,
    UserCreateForm,
    UserFilterForm,
    add_service_errors,
    flash_service_errors,
)
from ..models import ConcurrentPost, Role, RoleAssignment, User
from ..selectors import admin as selectors

ACCOUNT_FIELDS = [
    "name",
    "employee_no",
    "department",
    "position",
    "is_leader",
    "gender",
    "email",
    "mobile",
    "office_phone",
]


def _require_administrator(request):
    if not permissions.can_administer_any(request.user):
        raise PermissionDenied


def _administered_user(request, pk):
    """The account, if the viewer may administer it; 403 for an account outside their units."""
    _require_administrator(request)
    person = get_object_or_404(User.objects.select_related("department"), pk=pk)
    if not permissions.can_administer_user(request.user, person):
        raise PermissionDenied
    return person


def user_list(request):
    _require_administrator(request)
    form = UserFilterForm(request.GET or None, actor=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    users = selectors.administered_user_list(
        request.user,
        query=filters.get("q", ""),
        unit=filters.get("unit"),
        department=filters.get("department"),
        role=filters.get("role", ""),
        active=filters.get("active", ""),
    )
    page = Paginator(users, 30).get_page(request.GET.get("page"))
    return render(request, "people/admin/user_list.html", {"form": form, "page_obj": page})


def user_create(request):
    _require_administrator(request)
    form = UserCreateForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                actor=request.user,
                username=data["username"],
                password=data["password"],
                ip_address=client_ip(request),
                **{field: data[field] for field in ACCOUNT_FIELDS},
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Account %(username)s created.") % {"username": user.username}
            )
            return redirect("people:user_edit", pk=user.pk)
    return render(request, "people/admin/user_form.html", {"form": form, "creating": True})


def user_edit(request, pk):
    person = _administered_user(request, pk)
    initial = {field: getattr(person, field) for field in ACCOUNT_FIELDS}
    form = UserAccountForm(request.POST or None, actor=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(
                actor=request.user,
                user=person,
                ip_address=client_ip(request),
                **{field: form.cleaned_data[field] for field in ACCOUNT_FIELDS},
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("people:user_edit", pk=person.pk)
    context = {
        "form": form,
        "person": person,
        "roles": selectors.user_roles(person),
        "password_form": PasswordResetForm(),
        "role_form": RoleGrantForm(actor=request.user, target=person),
        "posts": person.concurrent_posts.select_related("department__unit"),
        "post_form": ConcurrentPostForm(actor=request.user, prefix="post"),
        "can_toggle_active": person.pk != request.user.pk,
    }
    return render(request, "people/admin/user_form.html", context)


@require_POST
def user_set_active(request, pk):
    person = _administered_user(request, pk)
    active = request.POST.get("active") == "1"
    services.user_set_active(
        actor=request.user, user=person, active=active, ip_address=client_ip(request)
    )
    if active:
        messages.success(
            request, _("Account %(username)s enabled.") % {"username": person.username}
        )
    else:
        messages.success(
            request, _("Account %(username)s disabled.") % {"username": person.username}
        )
    return redirect("people:user_edit", pk=person.pk)


@require_POST
def user_reset_password(request, pk):
    person = _administered_user(request, pk)
    form = PasswordResetForm(request.POST)
    if form.is_valid():
        try:
            services.user_reset_password(
                actor=request.user,
                user=person,
                new_password=form.cleaned_data["new_password"],
                ip_address=client_ip(request),
            )
        except ValidationError as error:
            flash_service_errors(request, error)
        else:
            messages.success(
                request,
                _("The password of %(username)s was reset.") % {"username": person.username},
            )
    else:
        messages.error(request, _("Enter the new password."))
    return redirect("people:user_edit", pk=person.pk)


@require_POST
def user_roles(request, pk):
    person = _administered_user(request, pk)
    form = RoleGrantForm(request.POST, actor=request.user, target=person)
    if not form.is_valid():
        if form.errors.keys() & {"role", "unit"}:  # outside the actor's rights: forged
            raise PermissionDenied
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("people:user_edit", pk=person.pk)
    role = Role(form.cleaned_data["role"])
    try:
        services.role_grant(
            actor=request.user,
            user=person,
            role=role,
            unit=form.cleaned_data["unit"],
            column=form.cleaned_data["column"],
            ip_address=client_ip(request),
        )
    except ValidationError as error:
        flash_service_errors(request, error)
    else:
        messages.success(request, _("Role granted: %(role)s.") % {"role": role.label})
    return redirect("people:user_edit", pk=person.pk)


@require_POST
def role_revoke(request, pk, assignment_pk):
    person = _administered_user(request, pk)
    assignment = get_object_or_404(RoleAssignment, pk=assignment_pk, user=person)
    services.role_revoke(actor=request.user, assignment=assignment, ip_address=client_ip(request))
    messages.success(request, _("Role revoked: %(role)s.") % {"role": assignment})
    return redirect("people:user_edit", pk=person.pk)


@require_POST
def concurrent_posts(request, pk):
    person = _administered_user(request, pk)
    form = ConcurrentPostForm(request.POST, actor=request.user, prefix="post")
    if not form.is_valid():
        messages.error(request, _("Choose a department you administer."))
        return redirect("people:user_edit", pk=person.pk)
    try:
        services.concurrent_post_add(
            actor=request.user,
            user=person,
            department=form.cleaned_data["department"],
            position=form.cleaned_data["position"],
            ip_address=client_ip(request),
        )
    except ValidationError as error:
        flash_service_errors(request, error)
    else:
        messages.success(request, _("Concurrent post added."))
    return redirect("people:user_edit", pk=person.pk)


@require_POST
def concurrent_post_remove(request, pk, post_pk):
    person = _administered_user(request, pk)
    post = get_object_or_404(ConcurrentPost, pk=post_pk, user=person)
    services.concurrent_post_remove(actor=request.user, post=post, ip_address=client_ip(request))
    messages.success(request, _("Concurrent post removed."))
    return redirect("people:user_edit", pk=person.pk)
