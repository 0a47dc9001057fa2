"""Scheduled go-live and expiry, run by Wagtail's `publish_scheduled` command (cron, see
docs/publishing.md)."""

import os
from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page

from home.models import NewsPage
from tests.factories.publishing import NewsPageFactory

pytestmark = pytest.mark.django_db


def publish_scheduled():
    call_command("publish_scheduled", stdout=open(os.devnull, "w"))  # noqa: SIM115


def test_news_scheduled_to_go_live_waits_until_its_time_then_goes_live(portal):
    news = NewsPageFactory(live=False)
    news.go_live_at = timezone.now() + timedelta(hours=1)
    revision = news.save_revision()
    revision.publish()
    news.refresh_from_db()
    assert not news.live

    publish_scheduled()
    assert not NewsPage.objects.get(pk=news.pk).live

    an_hour_later = timezone.now() + timedelta(hours=1, minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=an_hour_later):
        publish_scheduled()

    news.refresh_from_db()
    assert news.live
    assert news.live_revision_id == revision.pk


def test_news_past_its_expiry_is_unpublished(portal):
    news = NewsPageFactory(title="过期新闻")
    lasting = NewsPageFactory(parent=news.get_parent(), title="长期新闻")
    Page.objects.filter(pk=news.pk).update(expire_at=timezone.now() - timedelta(minutes=1))
    Page.objects.filter(pk=lasting.pk).update(expire_at=timezone.now() + timedelta(days=1))

    publish_scheduled()

    news.refresh_from_db()
    lasting.refresh_from_db()
    assert not news.live
    assert news.expired
    assert lasting.live
