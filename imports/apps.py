from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    """Background CSV imports (ImportJob and its page). Ground floor: the apps that import
    rows (members, events) hand it a function; it imports no app."""

    name = "imports"
    verbose_name = _("imports")
