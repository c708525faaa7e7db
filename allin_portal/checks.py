from django.conf import settings
from django.core.checks import Tags, Warning, register


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
