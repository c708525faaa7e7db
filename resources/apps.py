from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "resources"
    verbose_name = _("Resource library")

    def ready(self):
        from taggit.models import Tag

        from core.datacache import declare
        from resources import receivers  # noqa: F401 - adds its parts to members' export

        declare(Tag, "resources")  # the library's topic facet shows tag names
