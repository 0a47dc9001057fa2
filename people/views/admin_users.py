"""Placeholder until this feature's views are written."""

from django.http import Http404


def _not_yet(request, *args, **kwargs):
    raise Http404


user_list = _not_yet
user_create = _not_yet
user_edit = _not_yet
user_set_active = _not_yet
user_reset_password = _not_yet
user_roles = _not_yet
role_revoke = _not_yet
