"""communications answers what members asks for: the parts of a person's own-data export
that the outbox and the announcements hold."""

from communications.models import Announcement
from mail.models import Message, Subscription
from members import own_data


def _when(value):
    return value.isoformat() if value else None


@own_data.part("emails", covers=["mail.Message.user"])
def emails(user):
    """The emails the portal wrote to the account: what, when, and whether it went out. Not
    their text: it is what the person received, and some carried a sign-in link."""
    rows = Message.objects.filter(user=user).order_by("created_at", "pk")
    return [
        {
            "to": m.to,
            "subject": m.subject,
            "kind": m.kind,
            "language": m.language,
            "state": m.state,
            "queued_at": _when(m.created_at),
            "sent_at": _when(m.sent_at),
        }
        for m in rows.only("to", "subject", "kind", "language", "state", "created_at", "sent_at")
    ]


@own_data.part("email_preferences", covers=[])
def email_preferences(user):
    """What the person chose to receive (kept by address, also for those without an account)."""
    rows = Subscription.objects.filter(email__lower_exact=user.email).order_by("kind")
    return [
        {"kind": s.kind, "receives": s.subscribed, "changed_at": _when(s.changed_at)} for s in rows
    ]


@own_data.part("announcements_read", covers=["communications.Announcement.readers"])
def announcements_read(user):
    """The announcements the person was in the audience of when each was sent."""
    readers = Announcement.readers.through.objects.filter(user=user)
    rows = Announcement.objects.filter(pk__in=readers.values("announcement")).order_by("queued_at")
    return [{"subject": a.subject, "sent_at": _when(a.queued_at)} for a in rows]


@own_data.part("announcements_written", covers=["communications.Announcement.created_by"])
def announcements_written(user):
    rows = Announcement.objects.filter(created_by=user).order_by("created_at", "pk")
    return [
        {
            "subject": a.subject,
            "state": a.state,
            "created_at": _when(a.created_at),
            "sent_at": _when(a.queued_at),
            "recipients": a.recipients_count,
        }
        for a in rows
    ]
