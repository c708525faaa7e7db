"""Background imports move from allin_portal to imports: same table (renamed), same rows."""

import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models



MODELS = ['importjob']


def _relabel(apps, old, new):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def move_content_types(apps, schema_editor):
    _relabel(apps, "allin_portal", "imports")


def move_content_types_back(apps, schema_editor):
    _relabel(apps, "imports", "allin_portal")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('allin_portal', '0006_site_content_moves_to_pages'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables exist (created by allin_portal's migrations): take them over in the
        # state only, then rename them to this app's names, then let the content types
        # (permissions, admin log) follow.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ImportJob',
                    fields=[
                        ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ('kind', models.CharField(max_length=40, verbose_name='kind')),
                        ('title', models.CharField(max_length=300, verbose_name='what is imported')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='started')),
                        ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished')),
                        ('file_name', models.CharField(blank=True, max_length=200, verbose_name='file')),
                        ('target_id', models.BigIntegerField(blank=True, null=True, verbose_name='target')),
                        ('total_rows', models.PositiveIntegerField(default=0, verbose_name='rows')),
                        ('checked_rows', models.PositiveIntegerField(default=0, verbose_name='rows checked')),
                        ('status', models.CharField(choices=[('queued', 'Waiting for the worker'), ('checking', 'Checking the rows'), ('saving', 'Saving'), ('done', 'Done'), ('failed', 'Nothing was imported')], default='queued', max_length=20, verbose_name='status')),
                        ('message', models.TextField(blank=True, verbose_name='result')),
                        ('errors', models.JSONField(blank=True, default=list, verbose_name='errors')),
                        ('next_url', models.CharField(blank=True, max_length=300, verbose_name='see the result at')),
                        ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='started by')),
                    ],
                    options={
                        'db_table': 'allin_portal_importjob',
                        'verbose_name': 'import',
                        'verbose_name_plural': 'imports',
                        'ordering': ['-created_at'],
                    },
                ),
            ],
        ),
        migrations.AlterModelTable(name='importjob', table=None),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
