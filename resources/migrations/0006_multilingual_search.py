"""Search in every language: stemmed configurations for English, French, Spanish and Arabic.

Each `allin_<language>` configuration is PostgreSQL's own with `unaccent` in front (accents
still do not matter). The stored vector of a resource holds, for its title, abstract, case
study text and topics, the plain words (`allin_unaccent`) and the stems of all four languages,
so "évaluations" finds "évaluation" and an Arabic title is found by its words; the file's
long text gets the plain words and the stems of the resource's own language. Queries are
parsed in each configuration and OR-ed (resources.models.search_query).
"""

from django.db import migrations

LANGUAGES = {"english": "en", "french": "fr", "spanish": "es", "arabic": "ar"}

CREATE = []
for name in LANGUAGES:
    CREATE += [
        f"CREATE TEXT SEARCH CONFIGURATION allin_{name} (COPY = {name})",
        f"ALTER TEXT SEARCH CONFIGURATION allin_{name} "
        f"ALTER MAPPING FOR hword, hword_part, word WITH unaccent, {name}_stem",
    ]
CASES = " ".join(
    f"WHEN '{code}' THEN 'allin_{name}'::regconfig" for name, code in LANGUAGES.items()
)
CREATE += [
    f"""CREATE FUNCTION allin_language_config(lang text) RETURNS regconfig
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $$ SELECT CASE split_part(lower(lang), '-', 1) {CASES}
              ELSE 'allin_unaccent'::regconfig END $$""",
    """CREATE FUNCTION allin_tsvector(body text) RETURNS tsvector
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $$ SELECT to_tsvector('allin_unaccent'::regconfig, body)
              || to_tsvector('allin_english'::regconfig, body)
              || to_tsvector('allin_french'::regconfig, body)
              || to_tsvector('allin_spanish'::regconfig, body)
              || to_tsvector('allin_arabic'::regconfig, body) $$""",
    """CREATE FUNCTION allin_tsvector_in(lang text, body text) RETURNS tsvector
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $$ SELECT to_tsvector('allin_unaccent'::regconfig, body)
              || to_tsvector(allin_language_config(lang), body) $$""",
]
DROP = [
    "DROP FUNCTION IF EXISTS allin_tsvector_in(text, text)",
    "DROP FUNCTION IF EXISTS allin_tsvector(text)",
    "DROP FUNCTION IF EXISTS allin_language_config(text)",
] + [f"DROP TEXT SEARCH CONFIGURATION IF EXISTS allin_{name}" for name in LANGUAGES]

# A frozen copy of resources.services.SEARCH_VECTOR_SQL as of this migration.
VECTORS = """
UPDATE resources_resource r SET search_vector =
    setweight(allin_tsvector(coalesce(r.title, '')), 'A')
    || setweight(allin_tsvector(coalesce(r.abstract, '') || ' '
        || coalesce(r.authors, '') || ' ' || coalesce((
            SELECT concat_ws(' ', cs.research_questions, cs.methods, cs.key_findings, cs.lessons)
            FROM resources_casestudy cs WHERE cs.resource_id = r.id), '')), 'B')
    || setweight(allin_tsvector(coalesce((
            SELECT string_agg(t.name, ' ') FROM taggit_taggeditem ti
            JOIN taggit_tag t ON t.id = ti.tag_id
            WHERE ti.object_id = r.id AND ti.content_type_id = %s), '')), 'C')
    || setweight(allin_tsvector_in(r.language, coalesce(r.file_text, '')), 'D')
"""


def recompute_vectors(apps, schema_editor):
    content_type = (
        apps.get_model("contenttypes", "ContentType")
        .objects.filter(app_label="resources", model="resource")
        .first()
    )
    if content_type is not None:
        schema_editor.execute(VECTORS, [content_type.pk])


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0005_usage_by_year_and_harvest_index"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunSQL(sql=CREATE, reverse_sql=DROP),
        migrations.RunPython(recompute_vectors, migrations.RunPython.noop),
    ]
