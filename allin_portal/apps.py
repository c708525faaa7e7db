from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "allin_portal"
    verbose_name = _("Site content")

    def ready(self):
        from allin_portal import checks  # noqa: F401  (registers the system checks)
