from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunicationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "communications"
    verbose_name = _("Emails and announcements")

    def ready(self):
        from communications import receivers  # noqa: F401 - adds its parts to members' export
