"""events answers what members announces (members never imports events)."""

from django.dispatch import receiver

from events import services
from members import own_data
from members.signals import account_deleting


@receiver(account_deleting, dispatch_uid="events.anonymise_registrations")
def anonymise_registrations(sender, user, **kwargs):
    # Places at events still to come are given up (the waitlist moves up); registrations
    # stay for the events' counts, without who it was.
    services.cancel_upcoming(user=user)
    services.anonymise_registrations(user=user)


own_data.part(
    "event_registrations",
    covers=[
        "events.Registration.user",
        "events.Answer.registration",
        "events.SurveySubmission.registration",
        "events.SurveyResponse.registration",
        "events.Certificate.registration",
    ],
)(services.registrations_of)

own_data.part("event_roles", covers=["events.EventPerson.member"])(services.event_roles_of)
