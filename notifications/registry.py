"""The kinds of notification: each app registers its own in `<app>/notifications.py`, which
`NotificationsConfig.ready` imports, so adding a kind touches only its app."""

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class NotificationKind:
    key: str
    label: str | Promise
    # Whether a user who has not chosen gets the kind by e-mail too (when SMTP is configured).
    email_default: bool = False


_kinds: dict[str, NotificationKind] = {}


def register(kind: NotificationKind) -> NotificationKind:
    if not kind.key:
        raise ValueError("A notification kind needs a key.")
    _kinds[kind.key] = kind
    return kind


def unregister(key: str) -> None:
    _kinds.pop(key, None)


def get_kind(key: str) -> NotificationKind:
    try:
        return _kinds[key]
    except KeyError:
        raise LookupError(f"No notification kind {key!r} is registered.") from None


def kinds() -> list[NotificationKind]:
    return sorted(_kinds.values(), key=lambda kind: kind.key)


def kind_label(key: str) -> str:
    """The label of a kind, or nothing for a kind no app registers any more."""
    kind = _kinds.get(key)
    return str(kind.label) if kind else ""
