from django.core.exceptions import ValidationError


class RedheadError(ValidationError):
    """Bad input to a red-head action; the message is translated and nothing was changed."""
