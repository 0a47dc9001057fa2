"""The upload policy for Wagtail's documents and images (notice and news attachments, pictures).

Wagtail builds every document and image form from the base form the settings name
(`WAGTAILDOCS_DOCUMENT_FORM_BASE`, `WAGTAILIMAGES_IMAGE_FORM_BASE`): the add and edit screens,
the multiple uploader and the choosers' upload tabs all validate through these.
"""

from django.core.files.uploadedfile import UploadedFile
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

from .uploads import WAGTAIL_DOCUMENTS, WAGTAIL_IMAGES, check_upload


def _checked_file(form, policy):
    uploaded = form.cleaned_data.get("file")
    # On edit without a new file the field holds the stored file, checked when it was uploaded.
    if isinstance(uploaded, UploadedFile):
        check_upload(uploaded, policy)
    return uploaded


class DocumentForm(BaseDocumentForm):
    def clean_file(self):
        return _checked_file(self, WAGTAIL_DOCUMENTS)


class ImageForm(BaseImageForm):
    def clean_file(self):
        return _checked_file(self, WAGTAIL_IMAGES)
