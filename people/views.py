from django.shortcuts import render

from .selectors import user_roles


def profile(request):
    user = request.user
    return render(
        request,
        "people/profile.html",
        {"person": user, "roles": user_roles(user)},
    )
