from django.core.exceptions import ValidationError


class SealError(ValidationError):
    """A seal action that cannot be done; the message is translated and nothing was changed."""
