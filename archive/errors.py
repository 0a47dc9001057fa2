"""The error every archive service raises on bad input; its message is translated and nothing
was changed."""

from django.core.exceptions import ValidationError


class ArchiveError(ValidationError):
    """Bad input to an archive action (filing, settings)."""
