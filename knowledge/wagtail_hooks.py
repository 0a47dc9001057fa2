"""A new file item goes straight to the upload screen: a file item without a file says nothing."""

from django.shortcuts import redirect
from django.urls import reverse
from wagtail import hooks

from .models import KnowledgeFilePage


@hooks.register("after_create_page")
def upload_first_file(request, page):
    if isinstance(page.specific_deferred, KnowledgeFilePage):
        return redirect(reverse("knowledge:file_upload", args=[page.pk]))
    return None
