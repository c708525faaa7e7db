"""Addresses for emails and calendar files. Emails themselves are sent only through the
outbox: `mail.outbox.send(template, to=..., context=...)`."""

from django.conf import settings


def site_url(path=""):
    """An absolute address on the portal, for emails and calendar files."""
    return settings.SITE_URL.rstrip("/") + path
