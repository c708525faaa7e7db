"""Announcements: who receives one, and putting it in the outbox (in the background)."""

from collections import Counter

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django_tasks import task

from communications.models import Announcement
from core.emails import site_url
from core.templatetags.portal import render_markdown
from events.models import Registration
from mail import outbox
from mail.models import Kind, Message, Subscription
from members.models import Member, User

# Stands for each recipient's own unsubscribe address in a text rendered once per language.
UNSUBSCRIBE_MARK = "@@UNSUBSCRIBE_URL@@"


def has_audience(announcement):
    a = announcement
    return bool(
        a.statuses
        or a.regions
        or a.countries
        or a.oecd
        or a.organization_types
        or a.event_id
        or (a.pk and (a.groups.exists() or a.expertise.exists()))
    )


def _unsubscribed(kind):
    return Subscription.objects.filter(kind=kind, subscribed=False).values("email")


def recipients(announcement):
    """Rows (email, user_id, language) of everyone this announcement goes to: each filter that
    is set narrows the audience (AND), the values of one filter widen it (OR). Inactive
    accounts and addresses that turned this kind of email off are left out."""
    a = announcement
    if a.kind == Kind.EVENT_NEWS and a.event_id and not _member_filters(a):
        return _event_registrants(a)
    users = (
        audience(a)
        .annotate(email_lower=Lower("email"))
        .exclude(email_lower__in=_unsubscribed(a.kind))
    )
    return users.order_by("pk").values_list("email", "pk", "language")


def audience(announcement):
    """The accounts the announcement's member filters choose, emailed or not (those who
    turned this kind of email off still read it in the archive)."""
    a = announcement
    users = User.objects.filter(is_active=True).exclude(email="")
    member = Q()
    if a.statuses:
        member &= Q(member__status__in=a.statuses)
    if a.regions:
        member &= Q(member__region__in=a.regions)
    if a.countries:
        member &= Q(member__country__in=a.countries)
    if a.oecd:
        member &= Q(member__oecd=a.oecd == Announcement.OECD.YES, member__country__gt="")
    if a.organization_types:
        member &= Q(member__organization__type__in=a.organization_types)
    users = users.filter(member)
    if a.pk:
        group_ids = list(a.groups.values_list("pk", flat=True))
        if group_ids:
            users = users.filter(pk__in=User.objects.filter(groups__in=group_ids).values("pk"))
        tag_ids = list(a.expertise.values_list("pk", flat=True))
        if tag_ids:
            users = users.filter(
                pk__in=Member.objects.filter(expertise__in=tag_ids).values("user_id")
            )
    if a.event_id:
        users = users.filter(pk__in=_registrations(a).values("user_id"))
    return users


def _member_filters(a):
    return (
        a.statuses
        or a.regions
        or a.countries
        or a.oecd
        or a.organization_types
        or (a.pk and (a.groups.exists() or a.expertise.exists()))
    )


def _registrations(a):
    registrations = Registration.objects.filter(event_id=a.event_id)
    audience = Announcement.EventAudience
    if a.event_audience == audience.CONFIRMED:
        return registrations.confirmed()
    if a.event_audience == audience.WAITLISTED:
        return registrations.waitlisted()
    if a.event_audience == audience.CHECKED_IN:
        return registrations.attended()
    # Everyone with a place or on the waitlist; never a guest's unconfirmed address (anyone
    # can type any address into the guest form).
    return registrations.filter(
        status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITLISTED]
    )


def _event_registrants(a):
    """Members and guests registered for the event (guests by their registration address)."""
    rows = (
        _registrations(a)
        .filter(Q(user__isnull=True) | Q(user__is_active=True))
        .values_list("email", "user__email", "user_id", "user__language")
        .order_by("pk")
    )
    seen, result = set(), []
    unsubscribed = set(_unsubscribed(a.kind).values_list("email", flat=True))
    for email, user_email, user_id, language in rows:
        address = user_email or email
        if not address or address.lower() in seen or address.lower() in unsubscribed:
            continue
        seen.add(address.lower())
        result.append((address, user_id, language or a.language))
    return result


def count(announcement):
    rows = recipients(announcement)
    return len(rows) if isinstance(rows, list) else rows.count()


def recipient_language(code):
    """The language a recipient is written in: their own, else the site's (never the language
    of whoever is looking, so the confirmation and the sending agree)."""
    return outbox.language_of(None, code or settings.LANGUAGE_CODE)


def languages(announcement):
    """{language: recipients} from the very rows `queue_announcement` writes a message for;
    its sum is the number of emails sending would write now."""
    return dict(
        Counter(
            recipient_language(language) for _email, _user, language in recipients(announcement)
        )
    )


def _context(announcement, language):
    subject, body = announcement.text_in(language)
    return {
        "announcement": announcement,
        "subject": subject,
        "body": body,
        "body_html": mark_safe(render_markdown(body)),  # noqa: S308 - sanitised by nh3
        "event_url": site_url(announcement.featured_event.get_absolute_url())
        if announcement.featured_event
        else "",
        "resource_url": site_url(announcement.featured_resource.get_absolute_url())
        if announcement.featured_resource
        else "",
        "archive_url": site_url("/announcements/"),
        "unsubscribe_url": UNSUBSCRIBE_MARK,
    }


def _rendered(announcement, language):
    return outbox.render("announcement", _context(announcement, language), language)


def send_test(*, announcement, to):
    """The announcement to its author only, in their language, marked as a test."""
    language = outbox.language_of(to)
    subject, body, html = _rendered(announcement, language)
    url = outbox.unsubscribe_url(to.email, announcement.kind)
    (message,) = outbox.queue(
        [
            outbox.message(
                kind=Kind.TRANSACTIONAL,  # a test reaches its author whatever they chose
                to=to.email,
                user=to,
                template="announcement",
                language=language,
                subject=f"[TEST] {subject}",
                body=body.replace(UNSUBSCRIBE_MARK, url),
                html=html.replace(UNSUBSCRIBE_MARK, escape(url)),
                headers=outbox.list_headers(url),
            )
        ]
    )
    return message


@transaction.atomic
def schedule(*, announcement, send_at=None):
    """Send now (the recipients are found in the background) or at a set time."""
    announcement.send_at = send_at or timezone.now()
    announcement.state = Announcement.State.SCHEDULED
    announcement.save(update_fields=["send_at", "state"])
    outbox.enqueue(
        outbox.on_bulk_queue(queue_announcement), announcement.pk, run_after=announcement.send_at
    )


def queue_due():
    """The scheduler's round: hand every due announcement to the queue (idempotent)."""
    due = Announcement.objects.filter(
        state=Announcement.State.SCHEDULED, send_at__lte=timezone.now()
    ).values_list("pk", flat=True)
    for pk in due:
        outbox.enqueue(outbox.on_bulk_queue(queue_announcement), pk)


@task()
def queue_announcement(announcement_id):
    """Resolve the recipients and write one message each, all in one transaction (a crash
    leaves the announcement scheduled, to be picked up again by the scheduler)."""
    with transaction.atomic():
        claimed = Announcement.objects.filter(
            pk=announcement_id,
            state=Announcement.State.SCHEDULED,
            send_at__lte=timezone.now(),
        ).update(state=Announcement.State.QUEUEING)
        if not claimed:
            return 0
        announcement = Announcement.objects.prefetch_related("translations").get(pk=announcement_id)
        rows = list(recipients(announcement))
        texts = {}
        messages = []
        for email, user_id, language in rows:
            language = recipient_language(language)
            if language not in texts:
                texts[language] = _rendered(announcement, language)
            subject, body, html = texts[language]
            url = outbox.unsubscribe_url(email, announcement.kind)
            messages.append(
                outbox.message(
                    kind=announcement.kind,
                    to=email,
                    user_id=user_id,
                    template="announcement",
                    language=language,
                    subject=subject,
                    body=body.replace(UNSUBSCRIBE_MARK, url),
                    html=html.replace(UNSUBSCRIBE_MARK, escape(url)),
                    headers=outbox.list_headers(url),
                    announcement=announcement,
                )
            )
        created = outbox.queue(messages)
        if announcement.kind == Kind.ANNOUNCEMENT and not Announcement.objects.filter(
            to_everyone(), pk=announcement_id
        ):
            Readers = Announcement.readers.through
            Readers.objects.bulk_create(
                [
                    Readers(announcement_id=announcement_id, user_id=pk)
                    for pk in audience(announcement).values_list("pk", flat=True)
                ],
                batch_size=1000,
                ignore_conflicts=True,
            )
        Announcement.objects.filter(pk=announcement_id).update(
            state=Announcement.State.QUEUED,
            recipients_count=len(created),
            queued_at=timezone.now(),
        )
    return len(created)


def figures(announcement):
    """Queued (waiting or retrying), sent, failed, and unsubscribed since it was sent."""
    by_state = announcement.messages.figures()
    unsubscribed = 0
    if announcement.queued_at:
        unsubscribed = Subscription.objects.filter(
            kind=announcement.kind,
            subscribed=False,
            changed_at__gte=announcement.queued_at,
            email__in=announcement.messages.values("to"),
        ).count()
    S = Message.State
    return {
        "queued": by_state.get(S.QUEUED, 0) + by_state.get(S.SENDING, 0),
        "sent": by_state.get(S.SENT, 0),
        "failed": by_state.get(S.FAILED, 0),
        "cancelled": by_state.get(S.CANCELLED, 0),
        "unsubscribed": unsubscribed,
    }


def to_everyone():
    """The announcements whose audience is every account (no filter set)."""
    return (
        Q(statuses=[], regions=[], countries=[], organization_types=[], event__isnull=True)
        & Q(oecd__in=["", Announcement.OECD.ANY])
        & ~Exists(Announcement.groups.through.objects.filter(announcement=OuterRef("pk")))
        & ~Exists(Announcement.expertise.through.objects.filter(announcement=OuterRef("pk")))
    )


def archive(user):
    """Past announcements `user` may read on the site (not event staff messages): those sent
    to every member, and those whose audience they were in when it was sent (`readers`,
    emailed or not; before readers were kept, those emailed). An announcement to a chosen
    group stays with that group."""
    reader = Exists(
        Announcement.readers.through.objects.filter(announcement=OuterRef("pk"), user=user)
    )
    addressed = Exists(Message.objects.filter(announcement=OuterRef("pk"), user=user))
    return Announcement.objects.filter(
        to_everyone() | reader | addressed,
        kind=Kind.ANNOUNCEMENT,
        state=Announcement.State.QUEUED,
    ).order_by("-queued_at")


def translated(announcement):
    """(subject, body) in the language being served."""
    return announcement.text_in(translation.get_language() or announcement.language)
