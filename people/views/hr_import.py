"""Placeholder until this feature's views are written."""

from django.http import Http404


def _not_yet(request, *args, **kwargs):
    raise Http404


hr_import = _not_yet
hr_import_template = _not_yet
