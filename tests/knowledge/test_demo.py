"""The demo knowledge center: a realistic tree, a unit-only category, real files read by OCR."""

import os

import pytest
from django.core.management import call_command
from django.utils import timezone

from knowledge.models import (
    KnowledgeCategoryPage,
    KnowledgeFileVersion,
    KnowledgeItemPage,
)
from knowledge.permissions import visible_knowledge
from people.models import User
from tests.conftest import restore_wagtail_base_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    restore_wagtail_base_rows()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def test_the_demo_tree_files_and_restriction(demo):
    top = KnowledgeCategoryPage.objects.filter(depth=4).order_by("path")
    assert [category.title for category in top] == [
        "规章制度",
        "技术标准",
        "办公模板",
        "培训资料",
        "经验交流",
    ]
    versions = KnowledgeFileVersion.objects.all()
    assert {v.content_type.rsplit(".", 1)[-1] for v in versions} >= {
        "application/pdf",
        "document",
        "sheet",
    }
    assert all(v.extraction_status == "done" for v in versions)
    scan = versions.get(file__item__slug="inspection-scan")
    assert scan.ocr_page_count == 1 and "轴承温度" in scan.extracted_text

    restricted = KnowledgeCategoryPage.objects.get(slug="tlj-process")
    colleague, outsider = User.objects.get(username="heyan"), User.objects.get(username="luohua")
    assert visible_knowledge(colleague).filter(pk=restricted.pk).exists()
    assert not visible_knowledge(outsider).filter(pk=restricted.pk).exists()
    assert KnowledgeItemPage.objects.filter(review_date__lt=timezone.localdate()).exists()


def test_the_demo_loads_twice_without_duplicates(demo):
    counts = (KnowledgeItemPage.objects.count(), KnowledgeFileVersion.objects.count())
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert (KnowledgeItemPage.objects.count(), KnowledgeFileVersion.objects.count()) == counts
