"""One shared, versioned cache of data (counts, facet figures, totals), never of pages.

Every entry belongs to one or more namespaces: "members", "events", "resources" and
"site" (the editable site text). Each namespace has a version token in the shared
cache (Redis or the database table, see settings.CACHES). An entry's key is made of its
namespaces, the active language and the caller's key parts (access level, filters...);
the entry holds the versions it was computed under, and counts only while they are
still the current ones. `invalidate("resources")`, called by every service that
writes, by any POST to the back office (`allin_portal.middleware.DataCacheAdminMiddleware`),
by imports and by the history loader, replaces the token: every worker and every
server computes afresh on its next request, and nothing older than the last
committed edit is ever served.

    counts = cached(["members"], ("directory-facets", level, filters), compute_counts)
"""

import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

TIMEOUT = 24 * 3600  # an entry unused for a day ages out
NAMESPACES = ("members", "events", "resources", "site")


def _version_key(namespace):
    return f"datacache:version:{namespace}"


def _tokens(keys, found):
    """The version tokens of these keys, from `found`; missing ones are created."""
    tokens = []
    for key in keys:
        if found.get(key) is None:
            token = uuid.uuid4().hex
            found[key] = token if cache.add(key, token, None) else cache.get(key)
        tokens.append(found[key])
    return tokens


def versions(namespaces):
    """The current version token of each namespace (created on first use)."""
    keys = [_version_key(namespace) for namespace in namespaces]
    return _tokens(keys, cache.get_many(keys))


def key_for(namespaces, parts):
    """The entry's key: its namespaces, the language and the caller's parts."""
    raw = repr((tuple(namespaces), get_language(), tuple(parts)))
    return "datacache:" + hashlib.sha256(raw.encode()).hexdigest()


def cached(namespaces, parts, compute, timeout=TIMEOUT):
    """`compute()`'s result, shared by all workers until a namespace is invalidated.

    `parts` must name everything the result depends on besides the namespaces' data
    and the language: the access level, the filters, the page... The entry keeps the
    versions it was computed under; the versions and the entry are read in one round
    trip, and an entry of other versions is computed afresh.
    """
    key = key_for(namespaces, parts)
    version_keys = [_version_key(namespace) for namespace in namespaces]
    found = cache.get_many([*version_keys, key])
    current = _tokens(version_keys, found)
    entry = found.get(key)
    hit = entry is not None and entry[0] == current
    if settings.DATACACHE_STATS:
        count("hit" if hit else "miss")
    if hit:
        return entry[1]
    value = compute()
    cache.set(key, (current, value), timeout)
    return value


def count(outcome):
    """Count hits and misses in the shared cache (DATACACHE_STATS=true, for `make bench`)."""
    key = f"datacache:stats:{outcome}"
    cache.add(key, 0, None)
    cache.incr(key)


def stats():
    found = cache.get_many(["datacache:stats:hit", "datacache:stats:miss"])
    return found.get("datacache:stats:hit", 0), found.get("datacache:stats:miss", 0)


def _bump(namespaces):
    cache.set_many({_version_key(namespace): uuid.uuid4().hex for namespace in namespaces}, None)


def invalidate(*namespaces):
    """Give each namespace a new version now and again once the transaction commits.

    The bump on commit is the one that counts: a worker that read the old rows
    between the first bump and the commit may have cached them under the first new
    version. The first bump lets the writing transaction itself (and, with the
    database cache, which commits with the data, everyone) see fresh figures at once.
    """
    namespaces = namespaces or NAMESPACES
    unknown = set(namespaces) - set(NAMESPACES)
    if unknown:
        raise ValueError(f"unknown data cache namespaces: {sorted(unknown)}")
    _bump(namespaces)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _bump(namespaces))
