"""The outbox's periodic job (core/jobs.py)."""

from core.jobs import periodic
from mail import outbox


@periodic("requeued")
def requeue_stuck(now=None):
    """Messages a crashed worker left in "sending" go back to the queue."""
    return outbox.requeue_stuck()
