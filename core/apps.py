from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The ground-floor library: helpers every app may use; it imports no app of the
    project. An app only for its template tags (`portal`, `metadata`) and signal hooks (the
    data cache's write hooks among them)."""

    name = "core"
    verbose_name = "Core"

    def ready(self):
        from allauth.account.signals import user_signed_up
        from django.contrib.auth.signals import user_logged_in

        from core import (
            language,
            lookups,  # noqa: F401  (registers __lower_exact)
        )

        user_logged_in.connect(language.on_login, dispatch_uid="allin_account_language")
        user_signed_up.connect(language.on_signup, dispatch_uid="allin_signup_language")

        from core import datacache, jobs

        # Every write of a model that declares `datacache_namespaces` bumps them on commit.
        datacache.connect_models()

        jobs.discover()  # every app's periodic jobs (its jobs.py)
