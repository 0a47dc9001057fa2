"""A published notice reaches the inboxes of its audience, and only theirs: once per user, however
often it is republished, in one bounded fan-out after the publish commits."""

import pytest

from home.models import NoticePage
from home.services import notice_announce
from notifications.models import Notification
from tests.factories import UserFactory
from tests.home.test_notice_audience import seconded_to_unit_a, unit_b_staff  # noqa: F401
from tests.home.test_notice_receipts import publish_notice

pytestmark = pytest.mark.django_db


def told(notice) -> set[str]:
    return set(
        Notification.objects.filter(
            kind="home.notice", source_key=f"home.noticepage:{notice.pk}"
        ).values_list("recipient__username", flat=True)
    )


def publish(django_capture_on_commit_callbacks, *args, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return publish_notice(*args, **kwargs)


def test_a_notice_to_a_unit_reaches_only_that_units_people(
    notice_index,
    issuer,
    staff,
    unit_a,
    unit_b_staff,  # noqa: F811
    seconded_to_unit_a,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    inactive = UserFactory(username="gone", department=staff.department, is_active=False)
    notice = publish(
        django_capture_on_commit_callbacks,
        notice_index,
        title="甲单位安全检查通知",
        owner=issuer,
        audience_units=[unit_a],
    )

    # Staff of unit A, and unit B's employee with a concurrent post there; not unit B, not the
    # inactive account.
    assert told(notice) == {staff.username, seconded_to_unit_a.username}
    assert inactive.username not in told(notice)
    notification = Notification.objects.get(recipient=staff)
    assert notification.title == "甲单位安全检查通知"
    assert notification.url == notice.url
    assert notification.body == "集团办公室"


def test_a_notice_to_everyone_reaches_every_active_account_once(
    notice_index,
    issuer,
    staff,
    unit_b_staff,  # noqa: F811
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    notice = publish(
        django_capture_on_commit_callbacks, notice_index, title="全集团放假通知", owner=issuer
    )
    assert told(notice) == {issuer.username, staff.username, unit_b_staff.username}

    with django_capture_on_commit_callbacks(execute=True):
        notice.save_revision(user=issuer).publish()  # edited and republished
    assert Notification.objects.count() == 3

    # However large the audience: the notice, the audience, one check and one insert per 1,000.
    UserFactory.create_batch(20)
    with django_assert_max_num_queries(6):
        assert notice_announce(notice.pk) == 20


def test_an_unpublished_or_expired_notice_tells_nobody(
    notice_index, issuer, staff, django_capture_on_commit_callbacks
):
    notice = publish_notice(notice_index, title="过期通知", owner=issuer)  # on_commit not run
    NoticePage.objects.filter(pk=notice.pk).update(expires_on="2000-01-01")
    assert notice_announce(notice.pk) == 0
    NoticePage.objects.filter(pk=notice.pk).update(expires_on=None, live=False)
    assert notice_announce(notice.pk) == 0
    assert not Notification.objects.exists()
