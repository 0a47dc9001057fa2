"""File versions: downloads and inline previews (permission-checked, never a public media URL),
and the upload screen for a new file or a new version."""

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET

from core.uploads import KNOWLEDGE_FILES

from ..forms import FileUploadForm
from ..models import KnowledgeFilePage, KnowledgeFileVersion
from ..permissions import can_edit, can_view, require_edit
from ..selectors import breadcrumb
from ..services import KnowledgeError, file_version_add, item_count_download


def _version_for(request, version_id: int) -> KnowledgeFileVersion:
    version = get_object_or_404(
        KnowledgeFileVersion.objects.select_related("file__item"), pk=version_id
    )
    item = version.file.item
    if not (can_view(request.user, item) or can_edit(request.user, item)):
        raise Http404
    return version


def _file_response(version: KnowledgeFileVersion, *, as_attachment: bool) -> FileResponse:
    response = FileResponse(
        version.blob.open("rb"),
        as_attachment=as_attachment,
        filename=version.original_name,
        content_type=version.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def version_download(request, version_id: int):
    version = _version_for(request, version_id)
    item_count_download(version.file.item)
    return _file_response(version, as_attachment=True)


@require_GET
@xframe_options_sameorigin
def version_inline(request, version_id: int):
    """The file shown inside the item's page: PDFs and images only."""
    version = _version_for(request, version_id)
    if not (version.is_pdf or version.is_image):
        raise Http404
    return _file_response(version, as_attachment=False)


def file_upload(request, item_id: int):
    item = get_object_or_404(KnowledgeFilePage, pk=item_id)
    require_edit(request.user, item)
    form = FileUploadForm(request.POST or None, request.FILES or None, item=item)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                version = file_version_add(
                    item=item,
                    user=request.user,
                    uploaded=form.cleaned_data["upload"],
                    change_note=form.cleaned_data["change_note"],
                    file=form.cleaned_data["file"],
                    title=form.cleaned_data["title"],
                )
        except KnowledgeError as error:
            form.add_error("upload", str(error))
        else:
            messages.success(
                request,
                _("Uploaded %(file)s, version %(number)s.")
                % {"file": version.file.title, "number": version.number},
            )
            return redirect(
                item.url if item.live else reverse("wagtailadmin_pages:edit", args=[item.pk])
            )
    return render(
        request,
        "knowledge/file_upload.html",
        {
            "item": item,
            "form": form,
            "breadcrumb": [*breadcrumb(item), item],
            "allowed_types": KNOWLEDGE_FILES.types_label(),
            "max_bytes": KNOWLEDGE_FILES.max_bytes(),
        },
    )
