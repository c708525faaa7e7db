"""Tell the planner what a trigram comparison costs, so that searches use their GIN indexes.

pg_trgm declares its operator functions with COST 1 (as cheap as `=`). With 10,000 members,
PostgreSQL then prefers a sequential scan that runs `word_similarity` on every row of
`members_member` (`search_text %> members_unaccent(q)`: the directory's search, its facet
counts and its list) over the `member_search_idx` GIN index: measured 0.7 s against 40 ms.
At COST 200, a search uses the GIN index, or, when a filter already narrows the rows
(`?country=BR`), that filter's btree index with the comparison on the few rows left.

The functions belong to the extension's owner: where the portal's database role may not alter
them (a managed PostgreSQL), the migration only notices and the searches stay correct but slow.
"""

from django.db import migrations

FUNCTIONS = [
    "similarity_op(text, text)",  # %
    "word_similarity_op(text, text)",  # <%
    "word_similarity_commutator_op(text, text)",  # %> (members.models.MemberQuerySet.search)
    "strict_word_similarity_op(text, text)",  # <<%
    "strict_word_similarity_commutator_op(text, text)",  # %>>
]


def alter(cost):
    statements = "".join(f"ALTER FUNCTION {function} COST {cost}; " for function in FUNCTIONS)
    return (
        "DO $$ BEGIN "
        f"{statements}"
        "EXCEPTION WHEN insufficient_privilege THEN "
        "RAISE NOTICE 'pg_trgm operator costs unchanged: not the owner of its functions'; "
        "END $$;"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0009_members_group_follows_status"),
    ]

    operations = [migrations.RunSQL(alter(200), alter(1))]
