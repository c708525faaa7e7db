"""Site content moves from allin_portal to pages: same tables (renamed), same rows."""

import django.contrib.postgres.fields
import django.db.models.deletion
from django.db import migrations, models



MODELS = ['contentblock', 'partner', 'readinglist', 'impactindicator', 'journeystage', 'readinglistitem']


def _relabel(apps, old, new):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def move_content_types(apps, schema_editor):
    _relabel(apps, "allin_portal", "pages")


def move_content_types_back(apps, schema_editor):
    _relabel(apps, "pages", "allin_portal")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('allin_portal', '0006_site_content_moves_to_pages'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('events', '0011_event_source_note'),
        ('resources', '0011_pathway_from_allin_portal'),
    ]

    operations = [
        # The tables exist (created by allin_portal's migrations): take them over in the
        # state only, then rename them to this app's names, then let the content types
        # (permissions, admin log) follow.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ContentBlock',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.SlugField(max_length=60, unique=True, verbose_name='key')),
                        ('title', models.CharField(blank=True, max_length=200, verbose_name='title')),
                        ('title_en', models.CharField(blank=True, max_length=200, null=True, verbose_name='title')),
                        ('title_fr', models.CharField(blank=True, max_length=200, null=True, verbose_name='title')),
                        ('title_ar', models.CharField(blank=True, max_length=200, null=True, verbose_name='title')),
                        ('title_es', models.CharField(blank=True, max_length=200, null=True, verbose_name='title')),
                        ('body', models.TextField(blank=True, verbose_name='body (Markdown)')),
                        ('body_en', models.TextField(blank=True, null=True, verbose_name='body (Markdown)')),
                        ('body_fr', models.TextField(blank=True, null=True, verbose_name='body (Markdown)')),
                        ('body_ar', models.TextField(blank=True, null=True, verbose_name='body (Markdown)')),
                        ('body_es', models.TextField(blank=True, null=True, verbose_name='body (Markdown)')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                    ],
                    options={
                        'db_table': 'allin_portal_contentblock',
                        'verbose_name': 'content block',
                        'verbose_name_plural': 'content blocks',
                        'ordering': ['key'],
                    },
                ),
                migrations.CreateModel(
                    name='Partner',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, unique=True, verbose_name='name')),
                        ('kind', models.CharField(choices=[('organization', 'Organization'), ('person', 'Person'), ('network', 'Network')], max_length=20, verbose_name='kind')),
                        ('order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                        ('position', models.CharField(blank=True, max_length=200, verbose_name='position')),
                        ('position_en', models.CharField(blank=True, max_length=200, null=True, verbose_name='position')),
                        ('position_fr', models.CharField(blank=True, max_length=200, null=True, verbose_name='position')),
                        ('position_ar', models.CharField(blank=True, max_length=200, null=True, verbose_name='position')),
                        ('position_es', models.CharField(blank=True, max_length=200, null=True, verbose_name='position')),
                        ('affiliation', models.CharField(blank=True, max_length=200, verbose_name='affiliation')),
                        ('description', models.TextField(blank=True, verbose_name='description')),
                        ('description_en', models.TextField(blank=True, null=True, verbose_name='description')),
                        ('description_fr', models.TextField(blank=True, null=True, verbose_name='description')),
                        ('description_ar', models.TextField(blank=True, null=True, verbose_name='description')),
                        ('description_es', models.TextField(blank=True, null=True, verbose_name='description')),
                    ],
                    options={
                        'db_table': 'allin_portal_partner',
                        'verbose_name': 'partner',
                        'verbose_name_plural': 'partners',
                        'ordering': ['order', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='ReadingList',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.SlugField(max_length=60, unique=True, verbose_name='key')),
                        ('page', models.CharField(choices=[('living_lab', 'Living Lab')], default='living_lab', max_length=20, verbose_name='page')),
                        ('order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('intro', models.TextField(blank=True, verbose_name='introduction (Markdown)')),
                    ],
                    options={
                        'db_table': 'allin_portal_readinglist',
                        'verbose_name': 'reading list',
                        'verbose_name_plural': 'reading lists',
                        'ordering': ['page', 'order', 'key'],
                    },
                ),
                migrations.CreateModel(
                    name='ImpactIndicator',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('term', models.CharField(choices=[('short', 'Short term'), ('long', 'Long term')], max_length=10, verbose_name='term')),
                        ('order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                        ('text', models.TextField(verbose_name='text')),
                        ('text_en', models.TextField(null=True, verbose_name='text')),
                        ('text_fr', models.TextField(null=True, verbose_name='text')),
                        ('text_ar', models.TextField(null=True, verbose_name='text')),
                        ('text_es', models.TextField(null=True, verbose_name='text')),
                        ('measures', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(choices=[('case_studies', 'Case studies published per year'), ('non_oecd_case_studies', 'Non-OECD share of case studies per year'), ('non_oecd_resources', 'Resources on non-OECD countries per publication year'), ('downloads', 'Downloads and citation exports per year'), ('partnerships', 'Organizations with a program, by type'), ('partner_regions', 'Organizations with a program, by region'), ('events', 'Events held per year'), ('participants', 'Participants by region')], max_length=30), blank=True, default=list, help_text="Figures computed from the portal's data. None: not measurable here.", size=None, verbose_name='measures')),
                        ('measurement_note', models.TextField(blank=True, help_text='Shown with the indicator, e.g. why the portal cannot measure it.', verbose_name='note on measurement')),
                        ('evidence_links', models.TextField(blank=True, help_text='One per line: an address, optionally followed by a space and its title.', verbose_name='evidence links')),
                    ],
                    options={
                        'db_table': 'allin_portal_impactindicator',
                        'verbose_name': 'impact indicator',
                        'verbose_name_plural': 'impact indicators',
                        'ordering': ['term', 'order'],
                        'constraints': [models.UniqueConstraint(fields=('term', 'order'), name='indicator_unique_order')],
                    },
                ),
                migrations.CreateModel(
                    name='JourneyStage',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.SlugField(max_length=60, unique=True, verbose_name='key')),
                        ('order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                        ('name', models.CharField(help_text='For example: Setting the scene.', max_length=100, verbose_name='name')),
                        ('title', models.CharField(blank=True, max_length=200, verbose_name='title')),
                        ('narrative', models.TextField(blank=True, verbose_name='narrative (Markdown)')),
                        ('events', models.ManyToManyField(blank=True, related_name='journey_stages', to='events.event', verbose_name='gatherings')),
                    ],
                    options={
                        'db_table': 'allin_portal_journeystage',
                        'verbose_name': 'journey stage',
                        'verbose_name_plural': 'journey stages',
                        'ordering': ['order', 'key'],
                    },
                ),
                migrations.CreateModel(
                    name='ReadingListItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                        ('event', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='events.event', verbose_name='event')),
                        ('reading_list', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='items', to='pages.readinglist', verbose_name='reading list')),
                        ('resource', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='resources.resource', verbose_name='resource')),
                    ],
                    options={
                        'db_table': 'allin_portal_readinglistitem',
                        'verbose_name': 'entry',
                        'verbose_name_plural': 'entries',
                        'ordering': ['order', 'pk'],
                        'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('event__isnull', True), ('resource__isnull', False)), models.Q(('event__isnull', False), ('resource__isnull', True)), _connector='OR'), name='reading_list_item_one_target')],
                    },
                ),
            ],
        ),
        migrations.AlterModelTable(name='contentblock', table=None),
        migrations.AlterModelTable(name='partner', table=None),
        migrations.AlterModelTable(name='readinglist', table=None),
        migrations.AlterModelTable(name='impactindicator', table=None),
        migrations.AlterModelTable(name='journeystage', table=None),
        migrations.AlterModelTable(name='readinglistitem', table=None),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
