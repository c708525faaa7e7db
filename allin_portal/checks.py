from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def check_email_configured(app_configs, **kwargs):
    """In production, sign-up confirmations must really be sent."""
    if not settings.EMAIL_HOST:
        return [
            Warning(
                "EMAIL_HOST is not set: emails (sign-up confirmation, password reset) "
                "are printed to the console instead of being sent.",
                id="allin_portal.W001",
            )
        ]
    return []


LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]", "::1")


@register(Tags.security, deploy=True)
def check_mail_addresses(app_configs, **kwargs):
    """In production, emails come from a real sender and link to the real site."""
    from email.utils import parseaddr
    from urllib.parse import urlsplit

    errors = []
    sender = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    if not sender or sender.rpartition("@")[2].lower() in LOCAL_HOSTS:
        errors.append(
            Error(
                f"DEFAULT_FROM_EMAIL is {settings.DEFAULT_FROM_EMAIL!r}: set the network's own "
                "sender address (mail from localhost is refused or lands in spam).",
                id="allin_portal.E001",
            )
        )
    host = urlsplit(settings.SITE_URL).hostname or ""
    if host.lower() in LOCAL_HOSTS or not host:
        errors.append(
            Error(
                f"SITE_URL is {settings.SITE_URL!r}: set the portal's public address "
                "(https://...), used by every link in emails and calendar files.",
                id="allin_portal.E002",
            )
        )
    return errors
