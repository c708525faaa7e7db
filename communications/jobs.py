"""Communications' periodic jobs (core/jobs.py): scheduled announcements that are due, and
the weekly digest (communications/scheduler.py)."""

from communications import announcements, scheduler
from core.jobs import periodic


@periodic("announcements")
def queue_due_announcements(now=None):
    """Hand every scheduled announcement whose time has come to the queue."""
    announcements.queue_due()


@periodic("digest")
def send_digest(now=None):
    """Once a week, to members who chose it, when there is something new."""
    return scheduler.send_digest(now)
