"""The outbox's periodic job (core/jobs.py)."""

from core.jobs import periodic
from mail import outbox


@periodic("requeued")
def requeue_stuck(now=None):
    """Messages a crashed worker left in "sending" go back to the queue."""
    return outbox.requeue_stuck()


@periodic("expired_secrets")
def purge_sealed(now=None):
    """Sign-in secrets of emails never sent are deleted when they expire."""
    return outbox.purge_sealed(now)
