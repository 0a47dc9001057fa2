from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RedheadConfig(AppConfig):
    name = "workflow.redhead"
    label = "redhead"
    verbose_name = _("Red-head templates")
