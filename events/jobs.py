"""Events' periodic jobs (core/jobs.py): guests' holds that ran out, reminders before an
event and follow-ups after it. Each email that must go once carries a `dedupe_key`."""

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.emails import site_url
from core.jobs import periodic
from events.access import participant_links
from events.calendar import calendar_for
from events.models import Event
from events.services import expire_holds
from mail import outbox
from mail.models import Kind

# Follow-ups go to events that ended within this time (not to all of the network's history
# the first time the scheduler runs).
FOLLOW_UP_WINDOW = datetime.timedelta(days=3)


@periodic("expired_holds")
def expire_guest_holds(now=None):
    """Unconfirmed guests' holds that ran out: their places go to the waitlist."""
    return expire_holds(now)


def _recipient(registration):
    """The account when the registrant has one (its language, its address), else the address."""
    return registration.user if registration.user_id else registration.email


@periodic("reminders")
def send_reminders(now=None):
    """Confirmed registrants, `reminder_days` before the event, with its .ics and link."""
    now = now or timezone.now()
    events = Event.objects.filter(
        reminder_days__gt=0,
        starts_at__gt=now,
        starts_at__lte=now + datetime.timedelta(days=60),
    ).filter(starts_at__lte=now + F("reminder_days") * datetime.timedelta(days=1))
    written = 0
    for event in events:
        ics = outbox.attachment(
            f"{event.slug}.ics",
            calendar_for([event], name=event.title, with_online_link=True),
            "text/calendar",
        )
        context = {"event": event, "event_url": site_url(event.get_absolute_url())}
        registrations = event.registrations.confirmed().select_related("user")
        # Mail to many: delivered in batches on the bulk queue (mail.outbox.in_bulk).
        with transaction.atomic(), outbox.in_bulk():
            for registration in registrations:
                written += outbox.send_once(
                    "event_reminder",
                    to=_recipient(registration),
                    context={**context, "registration": registration},
                    kind=Kind.EVENT_NEWS,
                    key=f"event-reminder:{registration.pk}",
                    attachments=[ics],
                )
    return written


@periodic("follow_ups")
def send_follow_ups(now=None):
    """Those checked in, once the event has ended, with the link to its outcomes."""
    now = now or timezone.now()
    events = Event.objects.filter(ends_at__lte=now, ends_at__gt=now - FOLLOW_UP_WINDOW)
    written = 0
    for event in events:
        url = site_url(event.get_absolute_url())
        registrations = event.registrations.attended().select_related("user")
        with transaction.atomic(), outbox.in_bulk():
            written += sum(_follow_up(event, url, registration) for registration in registrations)
    return written


def _follow_up(event, url, registration):
    # Guests reach their survey and certificate through their link's token (a lost one
    # renewed before the email is composed).
    token = registration.ensure_link() if registration.user_id is None else ""
    links = {
        name: site_url(path)
        for name, path in participant_links(event, registration, token or "").items()
    }
    return outbox.send_once(
        "event_follow_up",
        to=_recipient(registration),
        context={"event": event, "event_url": url, "registration": registration, **links},
        kind=Kind.EVENT_NEWS,
        key=f"event-follow-up:{registration.pk}",
    )
