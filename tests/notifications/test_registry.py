"""Apps register their kinds; an unknown kind is refused when sent and labelled empty when old."""

import pytest

from notifications.registry import (
    NotificationKind,
    get_kind,
    kind_label,
    kinds,
    register,
    unregister,
)


def test_every_source_app_registered_its_kinds():
    assert {kind.key for kind in kinds()} >= {
        "workflow.task",
        "workflow.overdue",
        "people.request_decided",
        "knowledge.review_due",
        "home.notice",
    }


def test_register_and_unregister():
    kind = register(NotificationKind(key="tests.x", label="X", email_default=True))
    assert get_kind("tests.x") is kind and kind_label("tests.x") == "X"
    unregister("tests.x")
    with pytest.raises(LookupError):
        get_kind("tests.x")
    assert kind_label("tests.x") == ""


def test_a_kind_needs_a_key():
    with pytest.raises(ValueError):
        register(NotificationKind(key="", label="X"))
