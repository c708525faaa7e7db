from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "events"
    verbose_name = _("Events")

    def ready(self):
        from allauth.account.signals import email_confirmed

        from events import receivers  # noqa: F401 - connects to members' signals

        email_confirmed.connect(claim_on_email_confirmed, dispatch_uid="events_claim_guests")


def claim_on_email_confirmed(sender, request=None, email_address=None, **kwargs):
    """A person who registered as a guest finds those registrations on their new account."""
    from events.services import claim_guest_registrations

    claim_guest_registrations(user=email_address.user, email=email_address.email)
