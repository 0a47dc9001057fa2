import pytest
from django.utils.translation import gettext_lazy as _

from notifications.registry import NotificationKind, register, unregister
from tests.factories import UserFactory

TEST_KIND = "tests.memo"


@pytest.fixture(autouse=True)
def memo_kind():
    """A kind of the tests' own, registered the way an app registers its kinds."""
    kind = register(NotificationKind(key=TEST_KIND, label=_("Notices"), email_default=False))
    yield kind
    unregister(TEST_KIND)


@pytest.fixture
def other(unit_a):
    return UserFactory(username="lisi", name="李四", email="lisi@example.invalid")
