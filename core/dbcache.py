"""Django's database cache with a one-statement `set` (PostgreSQL upsert).

The stock backend spends five statements on every set (a COUNT(*) of the whole table
for culling, a savepoint, a SELECT, the write, the release). The data cache
(core/datacache.py) sets an entry on every miss, so here a set is one
`INSERT ... ON CONFLICT DO UPDATE`, and on one set in 100 the same statement also
deletes the expired rows (a data-modifying CTE) instead of counting the table each
time. A set is always exactly one statement, so query counts stay the same from one
request to the next. Everything else is Django's backend.
"""

import base64
import pickle
import random
from datetime import UTC, datetime

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as BaseDatabaseCache
from django.db import connections, router

CULL_EVERY = 100  # sets, on average


class DatabaseCache(BaseDatabaseCache):
    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._upsert(key, value, timeout, version, only_over_expired=False)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._upsert(key, value, timeout, version, only_over_expired=True)

    def _upsert(self, key, value, timeout, version, *, only_over_expired):
        key = self.make_and_validate_key(key, version=version)
        timeout = self.get_backend_timeout(timeout)
        expires = datetime.max if timeout is None else datetime.fromtimestamp(timeout, tz=UTC)
        connection = connections[router.db_for_write(self.cache_model_class)]
        table = connection.ops.quote_name(self._table)
        pickled = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
        now = datetime.now(UTC)
        # add() writes only over a missing or expired entry; set() always.
        condition = f"WHERE {table}.expires < %s" if only_over_expired else ""
        # The cull never touches the key being written: one statement may not change a
        # row twice.
        cull = random.randrange(CULL_EVERY) == 0  # noqa: S311 - not security
        culled = f"DELETE FROM {table} WHERE expires < %s AND cache_key <> %s"  # noqa: S608
        upsert = (
            f"INSERT INTO {table} (cache_key, value, expires) VALUES (%s, %s, %s) "  # noqa: S608
            "ON CONFLICT (cache_key) DO UPDATE SET value = EXCLUDED.value, "
            f"expires = EXCLUDED.expires {condition}"
        )
        params = [
            key,
            pickled,
            connection.ops.adapt_datetimefield_value(expires.replace(microsecond=0)),
            *([now] if only_over_expired else []),
        ]
        with connection.cursor() as cursor:
            if cull:
                cursor.execute(f"WITH culled AS ({culled}) {upsert}", [now, key, *params])
            else:
                cursor.execute(upsert, params)
            return cursor.rowcount == 1
