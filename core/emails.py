"""Addresses for emails and calendar files. Emails themselves are sent only through the
outbox: `mail.outbox.send(template, to=..., context=...)`."""

import logging

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend

logger = logging.getLogger("allin.mail")


def site_url(path=""):
    """An absolute address on the portal, for emails and calendar files."""
    return settings.SITE_URL.rstrip("/") + path


class LogOnlyEmailBackend(BaseEmailBackend):
    """Without a mail server (no EMAIL_HOST): each email is one log line, its recipients and
    subject, and is not sent. Never the body: it holds sign-in and guest links."""

    def send_messages(self, email_messages):
        for message in email_messages:
            logger.info(
                "Email not sent (no EMAIL_HOST): to %s, subject %r",
                ", ".join(message.recipients()),
                message.subject,
            )
        return len(email_messages)
