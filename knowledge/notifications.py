from django.utils.translation import gettext_lazy as _

from notifications.registry import NotificationKind, register

REVIEW_DUE = register(
    NotificationKind(key="knowledge.review_due", label=_("Knowledge reviews"), email_default=True)
)
