from django.apps import AppConfig


class PortalConfig(AppConfig):
    """Configuration only: settings, root URLs, middleware, system checks, operations
    commands (backups, demo data). Its migrations keep the database setup."""

    name = "allin_portal"
    verbose_name = "ALL-IN portal"

    def ready(self):
        from allin_portal import checks  # noqa: F401  (registers the system checks)
