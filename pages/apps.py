from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    """The network's site content: home, about, journey, Living Lab, contact pages, the
    back-office text behind them, and the loader of the network's history. Top floor."""

    name = "pages"
    verbose_name = _("Site content")
