"""Survey submissions no longer order themselves (events/surveys.py): a random id and the day
only. Existing rows get random ids too, and keep only the day of their timestamp."""

import django.utils.timezone
from django.db import migrations, models

import events.surveys


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0009_link_tokens_hashed_at_rest"),
    ]

    operations = [
        migrations.AddField(
            model_name="surveysubmission",
            name="submitted_on",
            field=models.DateField(null=True, verbose_name="submitted on"),
        ),
        migrations.RunSQL(
            "UPDATE events_surveysubmission SET submitted_on = submitted_at::date",
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.RemoveField(model_name="surveysubmission", name="submitted_at"),
        migrations.AlterField(
            model_name="surveysubmission",
            name="submitted_on",
            field=models.DateField(
                default=django.utils.timezone.localdate, editable=False, verbose_name="submitted on"
            ),
        ),
        migrations.AlterField(
            model_name="surveysubmission",
            name="id",
            field=models.BigIntegerField(
                default=events.surveys.random_id,
                editable=False,
                primary_key=True,
                serialize=False,
            ),
        ),
        migrations.RunSQL(
            "UPDATE events_surveysubmission "
            "SET id = 1 + floor(random() * 4611686018427387903)::bigint",
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
