from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SealConfig(AppConfig):
    name = "workflow.seal"
    label = "seal"
    verbose_name = _("Electronic seals")
