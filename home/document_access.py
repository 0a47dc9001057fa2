"""Who may download a Wagtail document: a notice's files reach only that notice's audience.

Documents are served through Wagtail's serve view (`WAGTAILDOCS_SERVE_METHOD = "serve_view"`),
which runs the `before_serve_document` hooks first; the media URL of the file is never linked.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import IntegerField, Q, QuerySet
from django.db.models.functions import Cast
from wagtail import hooks
from wagtail.documents import get_document_model
from wagtail.models import ReferenceIndex
from wagtail.permissions import policy_registry

from people.models import User

from .models import NoticeAttachment, NoticePage
from .selectors import visible_notices


def notices_with_document(document) -> QuerySet[NoticePage]:
    """Notices attaching the document or linking to it from their body, live or not."""
    linked_from_body = (
        ReferenceIndex.get_references_to(document)
        .filter(content_type=ContentType.objects.get_for_model(NoticePage))
        .annotate(page_id=Cast("object_id", IntegerField()))
        .values("page_id")
    )
    attached = NoticeAttachment.objects.filter(document=document).values("page_id")
    return NoticePage.objects.filter(Q(pk__in=attached) | Q(pk__in=linked_from_body))


def can_download_document(user: User, document) -> bool:
    """A file of one or more notices is for those who may read one of them, and for the people
    who edit documents or those notices; every other file is for every signed-in user."""
    notices = notices_with_document(document)
    if not notices.exists():
        return True
    if visible_notices(user).filter(pk__in=notices.values("pk")).exists():
        return True
    documents_policy = policy_registry.get_by_type(get_document_model())
    if documents_policy.user_has_permission_for_instance(user, "change", document):
        return True
    return any(notice.permissions_for_user(user).can_edit() for notice in notices)


@hooks.register("before_serve_document")
def refuse_documents_outside_audience(document, request):
    if not can_download_document(request.user, document):
        raise PermissionDenied
