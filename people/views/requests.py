"""Placeholder until this feature's views are written."""

from django.http import Http404


def _not_yet(request, *args, **kwargs):
    raise Http404


request_list = _not_yet
request_create = _not_yet
request_dismiss = _not_yet
request_review_list = _not_yet
request_decide = _not_yet
