"""The errors every document service raises."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _


class DocumentError(ValidationError):
    """Bad input to a document action; the message is translated and nothing was changed."""


class TaskAlreadyHandled(DocumentError):
    def __init__(self):
        super().__init__(
            _("This task has already been handled (or withdrawn); nothing was changed.")
        )


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You are not allowed to do this."))
