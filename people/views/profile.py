"""Everyone's own profile: see it, edit the contact details, change the password."""

from django import forms
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import services
from ..audit import client_ip
from ..forms import add_service_errors
from ..models import ConcurrentPost
from ..selectors.admin import user_roles

validate_mobile = RegexValidator(
    r"^1[3-9]\d{9}$",
    gettext_lazy("Enter an 11-digit mobile number, e.g. 13812345678, or leave it empty."),
)
validate_office_phone = RegexValidator(
    r"^[\d\-+ ]+$",
    gettext_lazy("Use only digits, dashes, plus signs and spaces, e.g. 010-6543 2100."),
)


class ContactForm(forms.Form):
    """Only the contact fields: anything else posted along is ignored."""

    email = forms.EmailField(label=gettext_lazy("Email"), required=False, max_length=254)
    mobile = forms.CharField(
        label=gettext_lazy("Mobile"), required=False, max_length=11, validators=[validate_mobile]
    )
    office_phone = forms.CharField(
        label=gettext_lazy("Office phone"),
        required=False,
        max_length=20,
        validators=[validate_office_phone],
    )


def profile(request):
    user = request.user
    concurrent_posts = ConcurrentPost.objects.filter(user=user).select_related(
        "department", "department__unit"
    )
    return render(
        request,
        "people/profile.html",
        {
            "person": user,
            "roles": user_roles(user),
            "concurrent_posts": concurrent_posts.order_by("department__path"),
        },
    )


def profile_edit(request):
    user = request.user
    if request.method == "POST":
        form = ContactForm(request.POST)
        if form.is_valid():
            try:
                services.contact_update(
                    user=user, ip_address=client_ip(request), **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Your contact details were saved."))
                return redirect("people:profile")
    else:
        form = ContactForm(
            initial={"email": user.email, "mobile": user.mobile, "office_phone": user.office_phone}
        )
    context = {
        "form": form,
        "heading": _("Edit contact details"),
        "intro": _(
            "Your name, department, position and roles are kept by your unit administrator; "
            "ask them if any of these is wrong."
        ),
        "submit_label": _("Save"),
    }
    return render(request, "people/profile_form_page.html", context)


def password_change(request):
    user = request.user
    form = PasswordChangeForm(user=user, data=request.POST if request.method == "POST" else None)
    if form.is_valid():
        with transaction.atomic():
            form.save()
            services.record_own_password_change(user=user, ip_address=client_ip(request))
        update_session_auth_hash(request, user)
        messages.success(request, _("Your password was changed."))
        return redirect("people:profile")
    context = {"form": form, "heading": _("Change password"), "submit_label": _("Change password")}
    return render(request, "people/profile_form_page.html", context)
