"""The library's periodic job (core/jobs.py)."""

from core.jobs import periodic
from resources.services import discard_stale_pending_uploads


@periodic("pending_uploads_discarded")
def discard_pending_uploads(now=None):
    """Kept PDFs nobody came back for."""
    return discard_stale_pending_uploads(now)
