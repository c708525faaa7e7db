"""What is sent on a clock: event reminders and follow-ups, the weekly digest, scheduled
announcements; and guests' holds that ran out, whose places go to the waitlist (with the
promotion emails). `manage.py mail_scheduler` runs `run_once()` every minute beside the worker.

Each email that must go once carries a `dedupe_key` (unique in the database): a second
round, a restarted scheduler or a second one on another machine finds the key taken and
writes nothing, and the worker's claim (queued → sending) makes the delivery single too.
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Lower
from django.utils import timezone

from allin_portal.emails import site_url
from communications import announcements, outbox
from communications.models import DigestRun, Kind, Subscription
from events.calendar import calendar_for
from events.guest_views import participant_links
from events.models import Event
from events.services import expire_holds, link_token
from members.models import Member, User
from resources.models import CaseStudy, Resource, StatusChange
from resources.services import discard_stale_pending_uploads

# Follow-ups go to events that ended within this time (not to all of the network's history
# the first time the scheduler runs).
FOLLOW_UP_WINDOW = datetime.timedelta(days=3)


def _queue_once(template, *, to, context, kind, key, **extra):
    """Queue the email unless one with this key exists; True when it was written now."""
    try:
        with transaction.atomic():
            return (
                outbox.send(template, to=to, context=context, kind=kind, dedupe_key=key, **extra)
                is not None
            )
    except IntegrityError:
        return False


def _recipient(registration):
    """The account when the registrant has one (its language, its address), else the address."""
    return registration.user if registration.user_id else registration.email


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
        with transaction.atomic(), outbox.in_bulk():
            for registration in registrations:
                written += _queue_once(
                    "event_reminder",
                    to=_recipient(registration),
                    context={**context, "registration": registration},
                    kind=Kind.EVENT_NEWS,
                    key=f"event-reminder:{registration.pk}",
                    attachments=[ics],
                )
    return written


def send_follow_ups(now=None):
    """Those checked in, once the event has ended, with the link to its outcomes."""
    now = now or timezone.now()
    events = Event.objects.filter(ends_at__lte=now, ends_at__gt=now - FOLLOW_UP_WINDOW)
    written = 0
    for event in events:
        url = site_url(event.get_absolute_url())
        registrations = event.registrations.filter(checked_in_at__isnull=False).select_related(
            "user"
        )
        with transaction.atomic(), outbox.in_bulk():
            written += sum(_follow_up(event, url, registration) for registration in registrations)
    return written


def _follow_up(event, url, registration):
    # Guests reach their survey and certificate through their link's token.
    token = link_token(registration) if registration.user_id is None else ""
    links = {
        name: site_url(path)
        for name, path in participant_links(event, registration, token or "").items()
    }
    return _queue_once(
        "event_follow_up",
        to=_recipient(registration),
        context={"event": event, "event_url": url, "registration": registration, **links},
        kind=Kind.EVENT_NEWS,
        key=f"event-follow-up:{registration.pk}",
    )


def digest_items(since):
    """New public and members-only resources, and case studies published, since then."""
    shown = [Resource.Access.PUBLIC, Resource.Access.MEMBERS]
    resources = list(
        Resource.objects.filter(is_published=True, access__in=shown, created_at__gte=since)
        .exclude(type=Resource.Type.CASE_STUDY)
        .order_by("-created_at")[:50]
    )
    published = StatusChange.objects.filter(
        to_status=CaseStudy.Status.PUBLISHED, at__gte=since
    ).values("case_study__resource_id")
    case_studies = list(
        Resource.objects.filter(pk__in=published, is_published=True, access__in=shown).order_by(
            "title"
        )[:50]
    )
    return resources, case_studies


def send_digest(now=None):
    """Once per ISO week, from the set weekday and hour on, to members who chose it, only
    when there is something new. Returns the number of emails written."""
    now = now or timezone.now()
    if (now.weekday(), now.hour) < (settings.DIGEST_WEEKDAY, settings.DIGEST_HOUR):
        return 0
    year, week, _day = now.isocalendar()
    label = f"{year}-W{week:02d}"
    last = DigestRun.objects.order_by("-ran_at").first()
    since = last.ran_at if last else now - datetime.timedelta(days=7)
    try:
        with transaction.atomic():
            run = DigestRun.objects.create(week=label, since=since, ran_at=now)
    except IntegrityError:
        return 0  # this week's digest was done (or is being done by another scheduler)
    resources, case_studies = digest_items(since)
    run.items = len(resources) + len(case_studies)
    if not run.items:
        run.save(update_fields=["items"])
        return 0
    chose = Subscription.objects.filter(kind=Kind.DIGEST, subscribed=True).values("email")
    readers = (
        User.objects.filter(is_active=True, member__status=Member.Status.APPROVED)
        .annotate(email_lower=Lower("email"))
        .filter(email_lower__in=chose)
        .order_by("pk")
    )
    context = {
        "resources": [(r, site_url(r.get_absolute_url())) for r in resources],
        "case_studies": [(r, site_url(r.get_absolute_url())) for r in case_studies],
        "library_url": site_url("/resources/"),
    }
    written = 0
    with transaction.atomic(), outbox.in_bulk():
        for user in readers:
            written += _queue_once(
                "digest",
                to=user,
                context=context,
                kind=Kind.DIGEST,
                key=f"digest:{label}:{user.pk}",
            )
    run.recipients = written
    run.save(update_fields=["items", "recipients"])
    return written


def run_once(now=None):
    """One round of everything on the clock; safe to run any number of times, anywhere."""
    announcements.queue_due()
    return {
        # Unconfirmed guests' holds that ran out: their places go to the waitlist.
        "expired_holds": expire_holds(now),
        "reminders": send_reminders(now),
        "follow_ups": send_follow_ups(now),
        "digest": send_digest(now),
        "requeued": outbox.requeue_stuck(),
        "pending_uploads_discarded": discard_stale_pending_uploads(now),
    }
