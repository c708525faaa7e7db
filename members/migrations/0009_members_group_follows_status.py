"""The Members group holds exactly the approved members (demo data and imports had put
approved members outside it). The same rule as `members.services.sync_member_groups`,
frozen here for the historical models."""

from django.db import migrations


def apply_rule(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Member = apps.get_model("members", "Member")
    User = apps.get_model("members", "User")
    group = Group.objects.filter(name="Members").first()
    if group is None:
        return
    through = User.groups.through
    approved = Member.objects.filter(status="approved").values("user_id")
    through.objects.filter(group=group).exclude(user_id__in=approved).delete()
    missing = (
        Member.objects.filter(status="approved")
        .exclude(user__groups=group)
        .values_list("user_id", flat=True)
    )
    through.objects.bulk_create(
        [through(user_id=user_id, group=group) for user_id in missing], ignore_conflicts=True
    )


class Migration(migrations.Migration):
    dependencies = [("members", "0008_user_email_case_insensitive")]

    operations = [migrations.RunPython(apply_rule, migrations.RunPython.noop)]
