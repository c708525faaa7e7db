"""events answers what members announces (members never imports events)."""

from django.dispatch import receiver

from events import services
from members.signals import account_deleting, own_data_requested


@receiver(account_deleting, dispatch_uid="events.anonymise_registrations")
def anonymise_registrations(sender, user, **kwargs):
    # Places at events still to come are given up (the waitlist moves up); registrations
    # stay for the events' counts, without who it was.
    services.cancel_upcoming(user=user)
    services.anonymise_registrations(user=user)


@receiver(own_data_requested, dispatch_uid="events.registrations_of")
def registrations_of(sender, user, **kwargs):
    return {"event_registrations": services.registrations_of(user)}
