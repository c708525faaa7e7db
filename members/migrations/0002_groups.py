from django.contrib.auth.management import create_permissions
from django.db import migrations

# A frozen copy of members/roles.py as this migration first ran: a migration must not run
# live code that later changes. The groups follow roles.py today through the post_migrate
# resync in members/apps.py.
MEMBER_PERMISSIONS = [
    "members.view_members_only_profile",
    "resources.view_members_only_resource",
]
ADMIN_APPS = ["allin_portal", "members", "events", "resources", "taggit", "account"]
GROUPS = {
    "Members": MEMBER_PERMISSIONS,
    "Researchers": MEMBER_PERMISSIONS + ["resources.submit_case_study"],
    "Event staff": MEMBER_PERMISSIONS + ["events.view_event", "events.manage_registrations"],
    "Network admins": MEMBER_PERMISSIONS + ["auth.view_group"],
}


def sync_groups(apps):
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


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    sync_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0001_initial"),
        ("events", "0001_initial"),
        ("resources", "0001_initial"),
        ("allin_portal", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
