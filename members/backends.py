"""Permission checks in one query per request instead of two."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db.models import Q


class PermissionsInOneQueryBackend(ModelBackend):
    """Django's ModelBackend reads a user's own and group permissions separately; pages
    that check a permission and show role links in the header pay for both. Same rules."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                permissions = Permission.objects.all()
            else:
                # Two index-friendly subqueries: joining through every group's members
                # (`group__user`) made PostgreSQL read all 10,000 memberships per page.
                own = get_user_model().user_permissions.through.objects.filter(user=user_obj)
                via_groups = Group.permissions.through.objects.filter(group__user=user_obj)
                permissions = Permission.objects.filter(
                    Q(pk__in=own.values("permission")) | Q(pk__in=via_groups.values("permission"))
                )
            pairs = permissions.values_list("content_type__app_label", "codename").distinct()
            user_obj._perm_cache = {f"{app}.{codename}" for app, codename in pairs}
        return user_obj._perm_cache
