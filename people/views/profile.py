from django.http import Http404
from django.shortcuts import render

from ..selectors.admin import user_roles


def profile(request):
    user = request.user
    return render(
        request,
        "people/profile.html",
        {"person": user, "roles": user_roles(user)},
    )


def _not_yet(request, *args, **kwargs):
    raise Http404


profile_edit = _not_yet
password_change = _not_yet
