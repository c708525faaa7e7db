"""The portal's emails: a subject and a body template under templates/emails/."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def site_url(path=""):
    """An absolute address on the portal, for emails and calendar files."""
    return settings.SITE_URL.rstrip("/") + path


def templated_email(name, *, to, context, reply_to=None):
    """`emails/<name>_subject.txt` (kept to one line) and `_body.txt`, ready to send."""
    subject = " ".join(render_to_string(f"emails/{name}_subject.txt", context).split())
    body = render_to_string(f"emails/{name}_body.txt", context)
    return EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, to, reply_to=reply_to)
