"""Signals other apps listen to, so that people depends on none of them."""

from django.dispatch import Signal

# Sent inside the transaction that granted or revoked a role, with `user` (whose roles changed).
roles_changed = Signal()

# Sent inside the transaction that decided a permission request, with `request`.
request_decided = Signal()
