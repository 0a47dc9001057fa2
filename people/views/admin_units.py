"""Placeholder until this feature's views are written."""

from django.http import Http404


def _not_yet(request, *args, **kwargs):
    raise Http404


unit_list = _not_yet
unit_create = _not_yet
unit_edit = _not_yet
