"""The network history, loaded once per test database and copied into each test that asks.

`load_history` costs about a second of ORM work and some 80 tests start from it. The first
test that asks (per pytest-xdist worker, so per test database) loads it for real inside one
transaction, copies every row it wrote into tables of the schema `history_snapshot`, deletes
those rows again and commits: the test database is as it was, plus the copy. Each test then
gets the history with one `INSERT ... SELECT` per table, inside its own transaction, so a
test that edits the history rolls back as before (transactional tests are flushed as before;
the schema is not Django's, so the flush leaves it alone).

Rows of other tables that the history points to (content types, through taggit) are matched
again by their natural key at each copy: a transactional test's flush recreates them with
new ids. The build refuses anything it cannot copy faithfully (an existing row changed, a
reference to another existing table), so a loader that grows one fails here, loudly.
"""

from django.db import connection, transaction

from pages.history import load_history, read_history

SCHEMA = "history_snapshot"
# The only existing rows the history may point to, and how to find them again.
NATURAL_KEYS = {"django_content_type": ("app_label", "model")}


def _row_hashes(cursor, table, pk):
    cursor.execute(f'SELECT "{pk}", md5(t::text) FROM "{table}" t')
    return dict(cursor.fetchall())


def _references(cursor, table):
    """(column, referenced table) of each foreign key of `table`."""
    cursor.execute(
        "SELECT a.attname, c.confrelid::regclass::text FROM pg_constraint c "
        "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
        "WHERE c.contype = 'f' AND c.conrelid = %s::regclass",
        [f'"{table}"'],
    )
    return [(column, target.strip('"')) for column, target in cursor.fetchall()]


def _columns(cursor, table):
    cursor.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
        "AND NOT attisdropped ORDER BY attnum",
        [f'"{table}"'],
    )
    return [name for (name,) in cursor.fetchall()]


class HistorySnapshot:
    def __init__(self):
        self.statements = []

    def build(self):
        introspection = connection.introspection
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE; CREATE SCHEMA {SCHEMA}")
            tables = {
                table: introspection.get_primary_key_column(cursor, table)
                for table in introspection.django_table_names(only_existing=True)
            }
            before = {table: _row_hashes(cursor, table, pk) for table, pk in tables.items()}
            load_history(read_history())
            written = {}
            for table, pk in tables.items():
                after = _row_hashes(cursor, table, pk)
                changed = [k for k, digest in before[table].items() if after.get(k) != digest]
                if changed:
                    raise RuntimeError(f"load_history changed existing rows of {table}")
                if new := [k for k in after if k not in before[table]]:
                    written[table] = (pk, new)
            for table, (pk, new) in written.items():
                cursor.execute(
                    f'CREATE TABLE {SCHEMA}."{table}" AS SELECT * FROM "{table}" '
                    f'WHERE "{pk}" = ANY(%s)',
                    [new],
                )
            for target, key in NATURAL_KEYS.items():
                cursor.execute(
                    f'CREATE TABLE {SCHEMA}."{target}" AS SELECT id, {", ".join(key)} '
                    f'FROM "{target}"'
                )
            self.statements = [self._copy(cursor, table, written) for table in written]
            # Foreign keys are deferred to the commit: the order of the deletes is free.
            for table, (pk, new) in written.items():
                cursor.execute(f'DELETE FROM "{table}" WHERE "{pk}" = ANY(%s)', [new])

    def _copy(self, cursor, table, written):
        """INSERT ... SELECT of one table, its references to existing rows matched again."""
        values = {column: f's."{column}"' for column in _columns(cursor, table)}
        for column, target in _references(cursor, table):
            if target in written:
                continue
            cursor.execute(f'SELECT 1 FROM {SCHEMA}."{table}" WHERE "{column}" IS NOT NULL')
            if cursor.fetchone() is None:
                continue  # the history leaves this reference empty
            if target not in NATURAL_KEYS:
                raise RuntimeError(f"the history points from {table} to existing {target} rows")
            match = " AND ".join(f'now."{k}" = was."{k}"' for k in NATURAL_KEYS[target])
            values[column] = (
                f'(SELECT now.id FROM "{target}" now JOIN {SCHEMA}."{target}" was '
                f'ON {match} WHERE was.id = s."{column}")'
            )
        names = ", ".join(f'"{column}"' for column in values)
        return (
            f'INSERT INTO "{table}" ({names}) '
            f'SELECT {", ".join(values.values())} FROM {SCHEMA}."{table}" s'
        )

    def copy(self):
        """The history into the current test's database, as `load_history` would leave it."""
        from core.datacache import invalidate

        with transaction.atomic(), connection.cursor() as cursor:
            for statement in self.statements:
                cursor.execute(statement)
            invalidate()  # as load_history does
