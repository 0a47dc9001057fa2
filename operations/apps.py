from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """What operators run and watch: health endpoints, request ids and JSON logs, the worker's
    heartbeat, `doctor`, `backup` and `restore` (docs/deploy.md)."""

    name = "operations"
    verbose_name = _("Operations")
