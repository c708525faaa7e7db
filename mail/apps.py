from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailConfig(AppConfig):
    """Ground floor: the outbox, preferences and unsubscribe, allauth's emails. Every app
    sends through `mail.outbox`; mail imports no domain app."""

    name = "mail"
    verbose_name = _("Email")
