"""The library's search index becomes a RUM index, which returns matches ordered by rank.

Needs the rum extension on the server (Debian's postgresql-15-rum, installed by the
Makefile); CREATE EXTENSION needs a superuser or the database owner."""

import django.contrib.postgres.operations
from django.db import migrations

import resources.models


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0011_pathway_from_allin_portal"),
    ]

    operations = [
        django.contrib.postgres.operations.CreateExtension("rum"),
        migrations.RemoveIndex(
            model_name="resource",
            name="resource_search_idx",
        ),
        migrations.AddIndex(
            model_name="resource",
            index=resources.models.RumIndex(
                fields=["search_vector"],
                name="resource_search_rum_idx",
                opclasses=["rum_tsvector_ops"],
            ),
        ),
    ]
