"""Site content, pathways and import jobs leave allin_portal (state only: tables kept)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('allin_portal', '0005_translated_site_text'),
    ]

    operations = [
        # allin_portal keeps configuration only. Its models move (pages, resources, imports),
        # which take the tables over: here they leave the state, and no table is dropped.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name='ContentBlock',
                ),
                migrations.DeleteModel(
                    name='ImpactIndicator',
                ),
                migrations.RemoveField(
                    model_name='importjob',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='journeystage',
                    name='events',
                ),
                migrations.DeleteModel(
                    name='Partner',
                ),
                migrations.DeleteModel(
                    name='Pathway',
                ),
                migrations.RemoveField(
                    model_name='readinglistitem',
                    name='reading_list',
                ),
                migrations.RemoveField(
                    model_name='readinglistitem',
                    name='event',
                ),
                migrations.RemoveField(
                    model_name='readinglistitem',
                    name='resource',
                ),
                migrations.DeleteModel(
                    name='ImportJob',
                ),
                migrations.DeleteModel(
                    name='JourneyStage',
                ),
                migrations.DeleteModel(
                    name='ReadingList',
                ),
                migrations.DeleteModel(
                    name='ReadingListItem',
                ),
            ],
        ),
    ]
