"""An accent-insensitive text search configuration for the library's search vector.

`allin_unaccent` is `simple` with unaccent in front, so "evaluacion" matches "evaluación".
"""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("resources", "0002_library_and_case_studies")]

    operations = [
        UnaccentExtension(),
        migrations.RunSQL(
            sql=[
                "CREATE TEXT SEARCH CONFIGURATION allin_unaccent (COPY = simple)",
                "ALTER TEXT SEARCH CONFIGURATION allin_unaccent "
                "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple",
            ],
            reverse_sql=["DROP TEXT SEARCH CONFIGURATION IF EXISTS allin_unaccent"],
        ),
    ]
