"""The demo columns, news and notices that `load_demo` adds: realistic, varied and added once."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from home.models import NewsColumnPage, NewsPage, NoticeIndexPage, NoticePage
from home.selectors import listed_notices, visible_notices
from people.models import User


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def load_demo():
    call_command("load_demo", stdout=io.StringIO())


@pytest.mark.django_db
def test_loading_the_demo_twice_adds_nothing_the_second_time():
    load_demo()
    pages = sorted(Page.objects.values_list("pk", "path", "slug"))
    counts = (
        get_image_model().objects.count(),
        get_document_model().objects.count(),
        Revision.objects.count(),
    )

    load_demo()

    assert sorted(Page.objects.values_list("pk", "path", "slug")) == pages
    assert (
        get_image_model().objects.count(),
        get_document_model().objects.count(),
        Revision.objects.count(),
    ) == counts


@pytest.mark.django_db
def test_the_demo_columns_hold_published_news_with_generated_pictures():
    load_demo()

    columns = {column.slug: column for column in NewsColumnPage.objects.live()}
    assert {slug: column.title for slug, column in columns.items()} == {
        "group-news": "集团要闻",
        "unit-news": "基层动态",
        "photo-news": "图片新闻",
    }
    assert columns["group-news"].owner_unit.code == "HQ"
    assert not columns["group-news"].direct_publish
    assert not columns["unit-news"].direct_publish
    assert columns["photo-news"].direct_publish
    for column in columns.values():
        news = NewsPage.objects.child_of(column).live()
        assert 6 <= news.count() <= 12
        assert all(page.live_revision_id for page in news)
    photo_news = NewsPage.objects.child_of(columns["photo-news"])
    assert all(page.cover_image_id for page in photo_news)
    for image in get_image_model().objects.all():
        assert image.file.storage.exists(image.file.name)
        assert (image.width, image.height) == (960, 540)
    oldest = NewsPage.objects.order_by("news_date").first().news_date
    assert (timezone.localdate() - oldest).days <= 62
    tlj_news = NewsPage.objects.get(slug="tlj-electric-tractor-prototype")
    assert tlj_news.owner.username == "sufang"


@pytest.mark.django_db
def test_the_demo_notices_have_audiences_pins_expiry_and_an_attachment():
    load_demo()

    index = NoticeIndexPage.objects.get()
    assert index.owner_unit.code == "HQ"
    notices = {notice.slug: notice for notice in NoticePage.objects.live()}
    assert len(notices) >= 10
    assert {notice.owner.username for notice in notices.values()} == {"chenjing"}
    chosen = {
        slug: sorted(unit.code for unit in notice.audience_units.all())
        for slug, notice in notices.items()
        if notice.audience == NoticePage.Audience.CHOSEN
    }
    assert chosen["q1-financial-report"] == ["DLI", "TLJ"]
    assert chosen["dli-equipment-inspection"] == ["DLI"]
    assert chosen["hq-office-weekly-meeting"] == ["HQ-BGS"]
    assert sum(notice.is_pinned for notice in notices.values()) == 2
    assert [slug for slug, notice in notices.items() if notice.is_expired] == [
        "outstanding-staff-selection"
    ]
    assert len({notice.priority for notice in notices.values()}) == 3
    assert {notice.issuing_department.code for notice in notices.values()} <= {
        "HQ-BGS",
        "HQ-RLZY",
        "HQ-CWB",
        "HQ-XXZX",
    }
    attachment = notices["safety-inspection"].attachments.get().document
    with attachment.file.open("rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


@pytest.mark.django_db
def test_demo_users_see_their_own_unit_notices_only():
    load_demo()
    heyan = User.objects.get(username="heyan")  # 拖拉机公司
    fengjie = User.objects.get(username="fengjie")  # 动力公司

    heyan_listed = set(listed_notices(heyan).values_list("slug", flat=True))
    fengjie_listed = set(listed_notices(fengjie).values_list("slug", flat=True))

    assert {"q1-financial-report", "tlj-skills-training-signup"} <= heyan_listed
    assert "dli-equipment-inspection" not in heyan_listed
    assert {"q1-financial-report", "dli-equipment-inspection"} <= fengjie_listed
    assert "tlj-skills-training-signup" not in fengjie_listed
    assert "outstanding-staff-selection" not in heyan_listed
    assert "outstanding-staff-selection" in set(
        visible_notices(heyan).values_list("slug", flat=True)
    )
    assert "hq-office-weekly-meeting" not in heyan_listed
