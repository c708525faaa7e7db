from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def resync_groups(sender, apps=global_apps, **kwargs):
    """Keep the role groups whole after every migrate or flush (permissions come and go)."""
    from members.roles import sync_groups

    sync_groups(apps)


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self):
        # Every app's signal, not just ours: the last one sees every permission.
        post_migrate.connect(resync_groups, dispatch_uid="members.resync_groups")

        from taggit.models import Tag

        from core.datacache import declare

        declare(Tag, "members")  # the directory's expertise facet shows tag names
