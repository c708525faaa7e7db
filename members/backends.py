"""Permission checks in one small query per request instead of two ORM-built ones."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection


def _permissions_sql():
    """Every table name from the models' metadata; the user id is the only parameter."""
    own = get_user_model().user_permissions.through._meta.db_table
    group_permissions = Group.permissions.through._meta.db_table
    user_groups = get_user_model().groups.through._meta.db_table
    return (
        f"SELECT DISTINCT ct.app_label, p.codename FROM {Permission._meta.db_table} p "  # noqa: S608
        f"JOIN {ContentType._meta.db_table} ct ON ct.id = p.content_type_id "
        f"WHERE p.id IN (SELECT permission_id FROM {own} WHERE user_id = %(user)s) "
        f"OR p.id IN (SELECT gp.permission_id FROM {group_permissions} gp "
        f"JOIN {user_groups} ug ON ug.group_id = gp.group_id WHERE ug.user_id = %(user)s)"
    )


class PermissionsInOneQueryBackend(ModelBackend):
    """Django's ModelBackend reads a user's own and group permissions in two ORM queries;
    every signed-in page checks permissions (the header's role links), so here it is one
    fixed SQL statement through two indexed subqueries (joining through every group's
    members read all 10,000 memberships, and building the query cost more than running
    it). Same rules as Django's."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                pairs = Permission.objects.values_list("content_type__app_label", "codename")
            else:
                with connection.cursor() as cursor:
                    cursor.execute(_permissions_sql(), {"user": user_obj.pk})
                    pairs = cursor.fetchall()
            user_obj._perm_cache = {f"{app}.{codename}" for app, codename in pairs}
        return user_obj._perm_cache
