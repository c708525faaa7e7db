"""The portal's roles as groups, and the permissions each one grants.

README.md ("Roles") has the same table in words. Data migrations call
`sync_groups` so that a fresh database has the groups from the start.
"""

MEMBER_PERMISSIONS = [
    "members.view_members_only_profile",
    "resources.view_members_only_resource",
]

# Network admins manage every record of these apps in the back office.
ADMIN_APPS = ["allin_portal", "members", "events", "resources", "taggit", "account"]

GROUPS = {
    "Members": MEMBER_PERMISSIONS,
    "Researchers": MEMBER_PERMISSIONS + ["resources.submit_case_study"],
    "Event staff": MEMBER_PERMISSIONS + ["events.view_event", "events.manage_registrations"],
    "Network admins": MEMBER_PERMISSIONS + ["auth.view_group"],  # + every permission of ADMIN_APPS
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
        if name == "Network admins":
            wanted |= Permission.objects.filter(content_type__app_label__in=ADMIN_APPS)
        group.permissions.set(wanted.distinct())
