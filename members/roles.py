"""The portal's roles as groups, and the permissions each one grants.

docs/members.md ("Roles") has the same table in words. `sync_groups` runs after every migrate
(members/apps.py); migration 0002 holds its own frozen copy for a fresh database.
"""

MEMBER_PERMISSIONS = [
    "members.view_members_only_profile",
    "resources.view_members_only_resource",
]

# The groups' names: code names a group through these, never through a string.
MEMBERS = "Members"
RESEARCHERS = "Researchers"
EVENT_STAFF = "Event staff"
NETWORK_ADMINS = "Network admins"
TRANSLATORS = "Translators"

# Network admins manage every record of these apps in the back office. Of allauth's
# `account` app they only see and correct email addresses (mark them verified), never add
# or delete them; staff and superuser accounts stay out of their reach (members/protection.py).
ADMIN_APPS = [
    "pages",
    "imports",
    "mail",
    "members",
    "events",
    "resources",
    "taggit",
    "communications",
    "groups",
]

GROUPS = {
    MEMBERS: MEMBER_PERMISSIONS,
    RESEARCHERS: MEMBER_PERMISSIONS + ["resources.submit_case_study"],
    EVENT_STAFF: MEMBER_PERMISSIONS + ["events.view_event", "events.manage_registrations"],
    # Translate the network's own content (pages/translation_views.py), nothing else.
    TRANSLATORS: ["pages.translate_content"],
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
