"""Operations on the portal's pages and notices."""

from django.db import transaction
from wagtail.models import Page, Site

from intranet.pages import section_page_ensure
from notifications.services import notify
from people.models import User

from .models import (
    HomePage,
    NewsIndexPage,
    NoticeAttachment,
    NoticeIndexPage,
    NoticePage,
    NoticeReadReceipt,
)
from .notifications import NOTICE
from .selectors import forget_read_marks, notice_audience, read_notice_ids


@transaction.atomic
def portal_ensure(*, site_name: str) -> HomePage:
    """Make a HomePage the root of the default site, replacing Wagtail's welcome page."""
    home = HomePage.objects.first()
    if home is None:
        home = Page.get_first_root_node().add_child(instance=HomePage(title="首页", slug="portal"))
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(hostname="localhost", port=80, is_default_site=True)
    replaced_root_id = site.root_page_id if site.root_page_id != home.pk else None
    site.root_page = home
    site.site_name = site_name
    site.save()
    if replaced_root_id:
        _delete_if_wagtail_welcome_page(replaced_root_id)
    return home


def _delete_if_wagtail_welcome_page(page_id: int) -> None:
    page = Page.objects.filter(pk=page_id).first()
    if (
        page
        and page.specific_class is Page
        and page.depth == 2
        and not page.get_children().exists()
    ):
        page.delete()


@transaction.atomic
def publishing_roots_ensure(home: HomePage) -> None:
    """The news center and notices below the portal, created once."""
    roots = [
        (NewsIndexPage, "新闻中心", "news", "集团及各单位的新闻动态。"),
        (NoticeIndexPage, "通知公告", "notices", "集团及各单位发布的通知与公告。"),
    ]
    for page_class, title, slug, intro in roots:
        section_page_ensure(home, page_class, title=title, slug=slug, intro=intro)


def notice_mark_read(*, notice: NoticePage, user: User) -> None:
    """Record the first time a user opens a notice. Safe when two requests race: the unique
    constraint keeps one row and the loser's insert is ignored. Opening it again writes nothing:
    the user's read marks are cached until they open another notice."""
    if not user.is_authenticated or notice.pk in read_notice_ids(user, [notice.pk]):
        return
    NoticeReadReceipt.objects.bulk_create(
        [NoticeReadReceipt(notice=notice, user=user)], ignore_conflicts=True
    )
    forget_read_marks(user)


@transaction.atomic
def notice_announce(notice_id: int) -> int:
    """Tell a live, unexpired notice's audience of it, each user once. Returns how many were new."""
    notice = (
        NoticePage.objects.live().select_related("issuing_department").filter(pk=notice_id).first()
    )
    if notice is None or notice.is_expired:
        return 0
    return notify(
        notice_audience(notice),
        kind=NOTICE.key,
        title=notice.title,
        body=notice.issuing_department.name if notice.issuing_department else "",
        url=notice.url,
        source=notice,
    )


@transaction.atomic
def notice_draft_create(
    *,
    title: str,
    body_html: str,
    attachment_name: str,
    attachment_content: bytes,
    issuing_department,
    user: User,
) -> NoticePage:
    """A draft notice to the whole group with one file attached, under the notices page, left
    for the column's editors to review and publish (other apps hand over reports this way)."""
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    document = get_document_model()(title=attachment_name, uploaded_by_user=user)
    document.file.save(attachment_name, ContentFile(attachment_content), save=False)
    document.save()
    notice = NoticePage(
        title=title,
        body=body_html,
        issuing_department=issuing_department,
        owner=user,
        live=False,
        attachments=[NoticeAttachment(document=document)],
    )
    NoticeIndexPage.objects.get().add_child(instance=notice)
    notice.save_revision(user=user)
    return notice
