from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # The database cache (settings.CACHES without REDIS_URL) needs its table.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("allin_portal", "0001_initial")]

    operations = [
        # Typo- and accent-forgiving search of members and resources.
        TrigramExtension(),
        UnaccentExtension(),
        migrations.RunPython(create_cache_table, migrations.RunPython.noop),
    ]
