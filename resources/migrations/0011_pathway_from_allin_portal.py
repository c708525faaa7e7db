"""The pathways move from allin_portal to resources (the library filters on them): same table (renamed), same rows."""

from django.db import migrations, models



MODELS = ['pathway']


def _relabel(apps, old, new):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def move_content_types(apps, schema_editor):
    _relabel(apps, "allin_portal", "resources")


def move_content_types_back(apps, schema_editor):
    _relabel(apps, "resources", "allin_portal")


class Migration(migrations.Migration):

    dependencies = [
        ('allin_portal', '0006_site_content_moves_to_pages'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('resources', '0010_newest_published_index'),
    ]

    operations = [
        # The tables exist (created by allin_portal's migrations): take them over in the
        # state only, then rename them to this app's names, then let the content types
        # (permissions, admin log) follow.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Pathway',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.CharField(choices=[('research', 'Research'), ('programs', 'Programs'), ('advocacy', 'Advocacy')], max_length=20, unique=True, verbose_name='key')),
                        ('order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                        ('name', models.CharField(max_length=100, verbose_name='name')),
                        ('name_en', models.CharField(max_length=100, null=True, verbose_name='name')),
                        ('name_fr', models.CharField(max_length=100, null=True, verbose_name='name')),
                        ('name_ar', models.CharField(max_length=100, null=True, verbose_name='name')),
                        ('name_es', models.CharField(max_length=100, null=True, verbose_name='name')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('title_en', models.CharField(max_length=200, null=True, verbose_name='title')),
                        ('title_fr', models.CharField(max_length=200, null=True, verbose_name='title')),
                        ('title_ar', models.CharField(max_length=200, null=True, verbose_name='title')),
                        ('title_es', models.CharField(max_length=200, null=True, verbose_name='title')),
                        ('goal', models.TextField(verbose_name='goal')),
                        ('goal_en', models.TextField(null=True, verbose_name='goal')),
                        ('goal_fr', models.TextField(null=True, verbose_name='goal')),
                        ('goal_ar', models.TextField(null=True, verbose_name='goal')),
                        ('goal_es', models.TextField(null=True, verbose_name='goal')),
                        ('actions', models.TextField(verbose_name='actions (Markdown list)')),
                        ('actions_en', models.TextField(null=True, verbose_name='actions (Markdown list)')),
                        ('actions_fr', models.TextField(null=True, verbose_name='actions (Markdown list)')),
                        ('actions_ar', models.TextField(null=True, verbose_name='actions (Markdown list)')),
                        ('actions_es', models.TextField(null=True, verbose_name='actions (Markdown list)')),
                        ('summary_goal', models.CharField(blank=True, max_length=300, verbose_name='goal in one line')),
                        ('summary_goal_en', models.CharField(blank=True, max_length=300, null=True, verbose_name='goal in one line')),
                        ('summary_goal_fr', models.CharField(blank=True, max_length=300, null=True, verbose_name='goal in one line')),
                        ('summary_goal_ar', models.CharField(blank=True, max_length=300, null=True, verbose_name='goal in one line')),
                        ('summary_goal_es', models.CharField(blank=True, max_length=300, null=True, verbose_name='goal in one line')),
                        ('summary_action', models.CharField(blank=True, max_length=300, verbose_name='action in one line')),
                        ('summary_action_en', models.CharField(blank=True, max_length=300, null=True, verbose_name='action in one line')),
                        ('summary_action_fr', models.CharField(blank=True, max_length=300, null=True, verbose_name='action in one line')),
                        ('summary_action_ar', models.CharField(blank=True, max_length=300, null=True, verbose_name='action in one line')),
                        ('summary_action_es', models.CharField(blank=True, max_length=300, null=True, verbose_name='action in one line')),
                        ('examples', models.CharField(blank=True, max_length=200, verbose_name='examples of work')),
                        ('examples_en', models.CharField(blank=True, max_length=200, null=True, verbose_name='examples of work')),
                        ('examples_fr', models.CharField(blank=True, max_length=200, null=True, verbose_name='examples of work')),
                        ('examples_ar', models.CharField(blank=True, max_length=200, null=True, verbose_name='examples of work')),
                        ('examples_es', models.CharField(blank=True, max_length=200, null=True, verbose_name='examples of work')),
                    ],
                    options={
                        'db_table': 'allin_portal_pathway',
                        'verbose_name': 'pathway',
                        'verbose_name_plural': 'pathways',
                        'ordering': ['order'],
                    },
                ),
            ],
        ),
        migrations.AlterModelTable(name='pathway', table=None),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
