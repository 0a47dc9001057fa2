"""Placeholder until this feature's views are written."""

from django.http import Http404


def _not_yet(request, *args, **kwargs):
    raise Http404


audit_log = _not_yet
