"""One account per address whatever the case: a unique constraint on lower(email).

Existing duplicates (Mixed.Case@Example.org next to mixed.case@example.org) are not merged
blindly: each account may carry a profile, registrations and case studies. The migration
refuses, listing every clash, so that a person merges or deletes the extra accounts in the
back office first; then it runs again.
"""

import django.db.models.functions.text
from django.db import migrations, models
from django.db.models import Count
from django.db.models.functions import Lower


class DuplicateAccounts(Exception):
    pass


def duplicates_report(User):
    """Text listing each address held by several accounts (empty when there is none)."""
    clashes = (
        User.objects.annotate(email_lower=Lower("email"))
        .values("email_lower")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("email_lower", flat=True)
    )
    lines = []
    for address in clashes:
        accounts = User.objects.annotate(email_lower=Lower("email")).filter(email_lower=address)
        held = ", ".join(f"#{u.pk} {u.email}" for u in accounts.order_by("pk"))
        lines.append(f"  {address}: {held}")
    return "\n".join(lines)


def refuse_duplicates(apps, schema_editor):
    report = duplicates_report(apps.get_model("members", "User"))
    if report:
        raise DuplicateAccounts(
            "Several accounts share an email address (only the case differs). Keep one "
            "account per address (move the profile and registrations to it, delete the "
            "others in the back office), then run migrate again:\n" + report
        )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("members", "0007_user_language"),
    ]

    operations = [
        migrations.RunPython(refuse_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("email"),
                name="user_email_ci_unique",
                violation_error_message="An account with this email address already exists.",
            ),
        ),
    ]
