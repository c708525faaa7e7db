from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "allin_portal"
    verbose_name = _("Site content")

    def ready(self):
        from allauth.account.signals import user_signed_up
        from django.contrib.auth.signals import user_logged_in

        from allin_portal import (
            checks,  # noqa: F401  (registers the system checks)
            language,
            lookups,  # noqa: F401  (registers __lower_exact)
        )

        user_logged_in.connect(language.on_login, dispatch_uid="allin_account_language")
        user_signed_up.connect(language.on_signup, dispatch_uid="allin_signup_language")
