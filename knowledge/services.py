"""Operations on the knowledge center: one function per business action."""

import hashlib
import logging
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.models import Page

from core.extraction import ExtractionError, extract_stored, unexpected_failure
from core.uploads import KNOWLEDGE_FILES, UploadRefused, check_upload
from intranet.pages import section_page_ensure
from intranet.portal import panel_changed
from notifications.services import notify
from people.models import User

from . import search_sync
from .caching import bump_content, bump_counters
from .editorial import category_editors_sync
from .models import (
    REVIEW_INTERVAL_DAYS,
    CategoryAccess,
    KnowledgeCategoryPage,
    KnowledgeFile,
    KnowledgeFilePage,
    KnowledgeFileVersion,
    KnowledgeIndexPage,
    KnowledgeItemPage,
    KnowledgeReview,
    ReviewReminder,
)
from .notifications import REVIEW_DUE
from .permissions import can_edit, can_manage_access, can_mark_reviewed, can_view
from .portal import REVIEW_DUE_PANEL
from .selectors import items_due_query

logger = logging.getLogger(__name__)


class KnowledgeError(Exception):
    """A refused knowledge-center action; the message is for the user."""


@transaction.atomic
def knowledge_root_ensure(home: Page) -> KnowledgeIndexPage:
    return section_page_ensure(
        home,
        KnowledgeIndexPage,
        title="知识中心",
        slug="knowledge",
        intro="规章制度、技术标准、办公模板与经验交流。",
    )


# Counters: one UPDATE each, no read, no lost increments under concurrency.


def item_count_view(item: KnowledgeItemPage) -> None:
    KnowledgeItemPage.objects.filter(pk=item.pk).update(view_count=F("view_count") + 1)
    item.view_count += 1  # what the page shows; the row holds the exact count
    bump_counters(item.path)


def item_count_download(item: KnowledgeItemPage) -> None:
    KnowledgeItemPage.objects.filter(pk=item.pk).update(download_count=F("download_count") + 1)
    bump_counters(item.path)


# Files and their versions


@transaction.atomic
def file_version_add(
    *,
    item: KnowledgeFilePage,
    user: User,
    uploaded,
    change_note: str = "",
    file: KnowledgeFile | None = None,
    title: str = "",
) -> KnowledgeFileVersion:
    """Store an upload as a new file of the item (no `file`) or as the file's next version.

    The upload is checked before anything is written; its text is extracted after commit.
    """
    if not can_edit(user, item):
        raise PermissionDenied
    try:
        kind = check_upload(uploaded, KNOWLEDGE_FILES)
    except UploadRefused as refusal:
        raise KnowledgeError(refusal.messages[0]) from refusal
    original_name = Path(uploaded.name).name
    if file is None:
        title = (title or Path(original_name).stem).strip()[:200]
        if KnowledgeFile.objects.filter(item=item, title=title).exists():
            raise KnowledgeError(
                _("This item already has a file called “%(title)s”; upload a new version of it.")
                % {"title": title}
            )
        file = KnowledgeFile.objects.create(item=item, title=title)
    else:
        if file.item_id != item.pk:
            raise KnowledgeError(_("This file belongs to another item."))
        file = KnowledgeFile.objects.select_for_update().get(pk=file.pk)
    number = (file.versions.aggregate(highest=Max("number"))["highest"] or 0) + 1
    size, digest = _measure(uploaded)
    version = KnowledgeFileVersion(
        file=file,
        number=number,
        original_name=original_name[:255],
        size=size,
        sha256=digest,
        content_type=kind.content_type,
        change_note=change_note.strip()[:300],
        uploaded_by=user,
    )
    version.blob.save(original_name, uploaded, save=False)
    try:
        with transaction.atomic():
            version.save()
    except IntegrityError as error:
        version.blob.delete(save=False)
        raise KnowledgeError(
            _("Someone else uploaded a version at the same moment; try again.")
        ) from error
    file.current_version = version
    file.save(update_fields=["current_version"])
    _extract_after_commit(version.pk)
    search_sync.item_changed(item.pk)
    return version


def _measure(uploaded) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
        size += len(chunk)
    uploaded.seek(0)
    return size, digest.hexdigest()


def _extract_after_commit(version_id: int) -> None:
    from .tasks import extract_file_version

    transaction.on_commit(lambda: extract_file_version.enqueue(version_id))


def version_extract(version_id: int) -> KnowledgeFileVersion | None:
    """Extract a version's text and record the outcome; a failure is stored, never raised."""
    version = KnowledgeFileVersion.objects.select_related("file").filter(pk=version_id).first()
    if version is None:
        return None
    try:
        result = extract_stored(
            version.blob, Path(version.original_name).suffix, version.content_type
        )
    except ExtractionError as error:
        _extraction_record(version, status=KnowledgeFileVersion.Extraction.FAILED, error=str(error))
    except Exception:
        logger.exception("Text extraction of knowledge file version %s failed", version_id)
        _extraction_record(
            version, status=KnowledgeFileVersion.Extraction.FAILED, error=unexpected_failure()
        )
    else:
        _extraction_record(
            version,
            status=KnowledgeFileVersion.Extraction.DONE,
            text=result.text,
            pages=result.pages,
            ocr_pages=result.ocr_pages,
        )
    return version


@transaction.atomic
def _extraction_record(version, *, status, error="", text="", pages=0, ocr_pages=0) -> None:
    version.extraction_status = status
    version.extraction_error = error
    version.extracted_text = text
    version.page_count = pages
    version.ocr_page_count = ocr_pages
    version.extracted_at = timezone.now()
    version.save(
        update_fields=[
            "extraction_status",
            "extraction_error",
            "extracted_text",
            "page_count",
            "ocr_page_count",
            "extracted_at",
        ]
    )
    search_sync.item_changed(version.file.item_id)


# Review lifecycle


@transaction.atomic
def item_mark_reviewed(*, item: KnowledgeItemPage, user: User) -> None:
    """The owner or an editor confirms the content is current: the next review is a year away.
    The review is recorded with the date it was due, which the item's next review date replaces."""
    if not can_mark_reviewed(user, item):
        raise PermissionDenied
    # Read under lock: a review done meanwhile has already moved the due date on.
    due_date = (
        KnowledgeItemPage.objects.select_for_update()
        .filter(pk=item.pk)
        .values_list("review_date", flat=True)
        .get()
    )
    item.reviewed_at = timezone.now()
    item.review_date = timezone.localdate(item.reviewed_at) + timedelta(days=REVIEW_INTERVAL_DAYS)
    item.reviewed_by = user
    KnowledgeItemPage.objects.filter(pk=item.pk).update(
        review_date=item.review_date, reviewed_at=item.reviewed_at, reviewed_by=user
    )
    KnowledgeReview.objects.create(
        item=item, due_date=due_date, reviewed_at=item.reviewed_at, reviewed_by=user
    )
    panel_changed(REVIEW_DUE_PANEL)
    bump_content()


@transaction.atomic
def item_supersede(
    *, item: KnowledgeItemPage, successor: KnowledgeItemPage, user: User
) -> KnowledgeItemPage:
    """Mark the item as replaced by `successor`, published as a new revision."""
    if not can_edit(user, item):
        raise PermissionDenied
    if successor.pk == item.pk:
        raise KnowledgeError(_("An item cannot supersede itself."))
    if not can_view(user, successor):
        raise KnowledgeError(_("Choose an item you can see as the successor."))
    page = item.get_latest_revision_as_object()
    page.validity = KnowledgeItemPage.Validity.SUPERSEDED
    page.superseded_by_id = successor.pk
    page.save_revision(user=user, log_action=True).publish(user=user)
    search_sync.item_changed(item.pk)
    return page


# A reminder names this many of the due items; the home page lists them all.
REMINDER_ITEMS_LISTED = 5


def review_reminders_send(today=None) -> int:
    """Remind every owner of their items due for review in their inbox (and by e-mail if they
    chose it), at most once a day. Returns the owners reminded."""
    today = today or timezone.localdate()
    due = (
        items_due_query(today)
        .filter(responsible__is_active=True)
        .select_related("responsible")
        .order_by("review_date", "pk")
    )
    by_owner: dict[int, list[KnowledgeItemPage]] = defaultdict(list)
    for item in due:
        by_owner[item.responsible_id].append(item)
    already = set(
        ReviewReminder.objects.filter(sent_on=today, user_id__in=by_owner).values_list(
            "user_id", flat=True
        )
    )
    sent = 0
    for user_id, items in by_owner.items():
        if user_id in already:
            continue
        if _remind(items[0].responsible, items, today):
            sent += 1
    return sent


@transaction.atomic
def _remind(owner: User, items: list[KnowledgeItemPage], today) -> bool:
    reminder, created = ReviewReminder.objects.get_or_create(
        user=owner, sent_on=today, defaults={"item_count": len(items)}
    )
    if not created:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Knowledge center: %(count)s item(s) due for review") % {"count": len(items)}
        body = "；".join(
            f"{item.title}（{item.review_date:%Y-%m-%d}）" for item in items[:REMINDER_ITEMS_LISTED]
        )
    notify(
        owner,
        kind=REVIEW_DUE.key,
        title=title,
        body=body,
        # One item leads to itself; several to the home page's list of the owner's due items.
        url=items[0].url if len(items) == 1 else "/",
        source=reminder,
    )
    return True


# Category access


@transaction.atomic
def category_access_update(
    *,
    category: KnowledgeCategoryPage,
    user: User,
    view_rule: str,
    view_units=(),
    view_groups=(),
    edit_users=(),
    edit_groups=(),
) -> CategoryAccess:
    if not can_manage_access(user, category):
        raise PermissionDenied
    restricted = view_rule == CategoryAccess.ViewRule.RESTRICTED
    if restricted and not (view_units or view_groups):
        raise KnowledgeError(_("Choose at least one unit, department or group that may view."))
    access, _created = CategoryAccess.objects.select_for_update().get_or_create(category=category)
    access.view_rule = view_rule
    access.save()
    access.view_units.set(view_units if restricted else [])
    access.view_groups.set(view_groups if restricted else [])
    access.edit_users.set(edit_users)
    access.edit_groups.set(edit_groups)
    category_editors_sync(category)
    search_sync.subtree_changed(category)
    return access
