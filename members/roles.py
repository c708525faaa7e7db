"""The portal's roles as groups, and the permissions each one grants.

README.md ("Roles") has the same table in words. `sync_groups` runs after every migrate
(members/apps.py); migration 0002 holds its own frozen copy for a fresh database.
"""

MEMBER_PERMISSIONS = [
    "members.view_members_only_profile",
    "resources.view_members_only_resource",
]

NETWORK_ADMINS = "Network admins"

# Network admins manage every record of these apps in the back office. Of allauth's
# `account` app they only see and correct email addresses (mark them verified), never add
# or delete them; staff and superuser accounts stay out of their reach (members/protection.py).
ADMIN_APPS = ["allin_portal", "members", "events", "resources", "taggit", "communications"]

GROUPS = {
    "Members": MEMBER_PERMISSIONS,
    "Researchers": MEMBER_PERMISSIONS + ["resources.submit_case_study"],
    "Event staff": MEMBER_PERMISSIONS + ["events.view_event", "events.manage_registrations"],
    # Translate the network's own content (allin_portal/translation_views.py), nothing else.
    "Translators": ["allin_portal.translate_content"],
    # + every permission of ADMIN_APPS; background tasks are read-only to them.
    NETWORK_ADMINS: MEMBER_PERMISSIONS
    + [
        "auth.view_group",
        "django_tasks_database.view_dbtaskresult",
        "account.view_emailaddress",
        "account.change_emailaddress",
    ],
}


def sync_groups(apps):
    """Create the groups and give each exactly its permissions (safe to run again)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = Permission.objects.none()
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            wanted |= Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            )
        if name == NETWORK_ADMINS:
            wanted |= Permission.objects.filter(content_type__app_label__in=ADMIN_APPS)
        group.permissions.set(wanted.distinct())
