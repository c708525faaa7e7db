"""One shared, versioned cache of data (counts, facet figures, totals), never of pages.

Every entry belongs to one or more namespaces: "members", "events", "resources" and
"site" (the editable site text). Each namespace has a version token in the shared
cache (Redis or the database table, see settings.CACHES). An entry's key is made of its
namespaces, the active language and the caller's key parts (access level, filters...);
the entry holds the versions it was computed under, and counts only while they are
still the current ones. `invalidate("resources")` replaces the token once the
transaction commits: every worker and every server computes afresh on its next request,
and nothing older than the last committed edit is ever served.

    counts = cached(["members"], ("directory-facets", level, filters), compute_counts)

Nobody calls `invalidate()` by hand for an ORM write: a model says once which
namespaces its rows feed, and every write of it bumps them (see "Tied to the models"
below). Hand calls remain only for writes the ORM does not see (raw SQL).

Tied to the models
------------------
A model declares the namespaces its rows feed with a class attribute,

    class Event(models.Model):
        datacache_namespaces = ("events",)
        objects = EventQuerySet.as_manager()  # an EventQuerySet(DataCacheQuerySet)

and a model the project does not own (taggit's `Tag`) with `declare(Tag, "members")` from
the AppConfig.ready of the app whose figures read it. `CoreConfig.ready` connects
`post_save` and `post_delete` to every declaring model and `m2m_changed` once, and
refuses (ImproperlyConfigured) a declaring model whose default manager's QuerySet is not a
`DataCacheQuerySet`, whose `update`, `bulk_create` and `bulk_update` bump too (`delete`
sends `post_delete` for each row). A write of only the fields in
`datacache_ignored_fields` (a resource's download counter) bumps nothing.

This is the one side effect the portal keeps in signals, on purpose (STYLE.md otherwise
asks for explicit calls from the service): a cache bump that depends on every writer
remembering it was forgotten by the staff pages that edit events, and guessed from the
URL in the back office. pretix ties its event cache to the model the same way
(`Event.cache`, bumped on save). A bump is idempotent and harmless if spurious; a missing
one shows stale figures, so the mechanism errs towards bumping.
"""

import hashlib
import uuid

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
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

    A transaction that wrote to a namespace and has not committed yet sees its own
    writes: its entries for that namespace live in the transaction (on the bump it owes,
    see `_Bump`), never in the shared cache, and go when it commits or rolls back.
    """
    pending = _pending(namespaces)
    if pending is not None:
        bump, tokens = pending
        key = key_for(namespaces, (*parts, ("pending", tokens)))
        hit = key in bump.entries
        if settings.DATACACHE_STATS:
            count("hit" if hit else "miss")
        if not hit:
            bump.entries[key] = compute()
        return bump.entries[key]
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


def _checked(namespaces):
    namespaces = tuple(namespaces) or NAMESPACES
    unknown = set(namespaces) - set(NAMESPACES)
    if unknown:
        raise ValueError(f"unknown data cache namespaces: {sorted(unknown)}")
    return namespaces


class _Bump:
    """The bump a transaction owes its namespaces, run by `transaction.on_commit`.

    One per savepoint level that wrote (a savepoint rolled back takes its bump, and the
    entries computed under it, away: Django drops the callbacks registered inside it).
    Until it runs, `tokens` stand in for the shared versions inside the transaction: every
    write turns them over, so the writer's own reads are computed afresh, and `entries`
    keeps what it computed, out of other workers' sight.
    """

    def __init__(self):
        self.tokens = {}
        self.entries = {}
        self.done = False

    def add(self, namespaces):
        for namespace in namespaces:
            self.tokens[namespace] = uuid.uuid4().hex

    def __call__(self):
        self.done = True
        self.entries = {}
        _bump(self.tokens)


def _pending_bumps(connection):
    return [
        (sids, func)
        for sids, func, _robust in connection.run_on_commit
        if isinstance(func, _Bump) and not func.done
    ]


def _pending(namespaces):
    """(the innermost bump owed to these namespaces, the tokens of all of them), or None
    when this transaction has not written to any of them."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block or not connection.run_on_commit:
        return None
    found = [
        (bump, tuple(bump.tokens.get(namespace) for namespace in namespaces))
        for _sids, bump in _pending_bumps(connection)
        if set(bump.tokens) & set(namespaces)
    ]
    if not found:
        return None
    return found[-1][0], tuple(tokens for _bump, tokens in found)


def invalidate(*namespaces):
    """Give each namespace a new version once the transaction commits (now, outside one).

    Nothing is bumped before the commit (a reader would cache the old rows under the new
    version) nor after a rollback; the writing transaction itself reads fresh figures
    meanwhile (see `cached`). Called by the model hooks below for every ORM write of a
    declaring model; by hand only for writes the ORM does not see (raw SQL).
    """
    namespaces = _checked(namespaces)
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _bump(namespaces)
        return
    level = set(connection.savepoint_ids)
    for sids, bump in reversed(_pending_bumps(connection)):
        if sids == level:
            bump.add(namespaces)
            return
    bump = _Bump()
    bump.add(namespaces)
    transaction.on_commit(bump)


# Tied to the models ----------------------------------------------------------------------

_declared = {}  # model -> namespaces, for models the project does not own (declare())


def namespaces_of(model):
    """The data cache namespaces rows of this model feed (empty: none)."""
    return _declared.get(model, ()) or getattr(model, "datacache_namespaces", ())


def _ignored(model, fields):
    ignored = getattr(model, "datacache_ignored_fields", ())
    return bool(fields) and set(fields) <= set(ignored)


class DataCacheQuerySet(models.QuerySet):
    """The QuerySet of every model that declares `datacache_namespaces`: its bulk writes,
    which send no per-row signal, bump the namespaces too (on commit)."""

    def _bump_model(self):
        invalidate(*namespaces_of(self.model))

    def update(self, **kwargs):
        rows = super().update(**kwargs)
        if rows and not _ignored(self.model, kwargs):
            self._bump_model()
        return rows

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            self._bump_model()
        return created

    def bulk_update(self, objs, fields, *args, **kwargs):
        rows = super().bulk_update(objs, fields, *args, **kwargs)
        if rows and not _ignored(self.model, fields):
            self._bump_model()
        return rows

    bulk_update.alters_data = True


def _saved(sender, update_fields=None, **kwargs):
    if not _ignored(sender, update_fields):
        invalidate(*namespaces_of(sender))


def _deleted(sender, **kwargs):
    invalidate(*namespaces_of(sender))


def _m2m_changed(sender, instance, action, model, **kwargs):
    """A relation added, removed or cleared (taggit's tags included) changes both ends."""
    if action in ("post_add", "post_remove", "post_clear"):
        namespaces = {*namespaces_of(type(instance)), *namespaces_of(model)}
        if namespaces:
            invalidate(*sorted(namespaces))


def _connect(model):
    uid = f"datacache:{model._meta.label}"
    post_save.connect(_saved, sender=model, dispatch_uid=uid, weak=False)
    post_delete.connect(_deleted, sender=model, dispatch_uid=uid, weak=False)


def declare(model, *namespaces):
    """Rows of `model`, a model the project does not own, feed these namespaces too
    (called from the AppConfig.ready of the app whose figures read them)."""
    _declared[model] = tuple(sorted({*_declared.get(model, ()), *_checked(namespaces)}))
    _connect(model)


def check_model(model):
    """Refuse a declaring model whose bulk writes would not bump (ImproperlyConfigured)."""
    namespaces = getattr(model, "datacache_namespaces", ())
    _checked(namespaces)
    queryset_class = getattr(model._default_manager, "_queryset_class", None)
    if not (queryset_class and issubclass(queryset_class, DataCacheQuerySet)):
        raise ImproperlyConfigured(
            f"{model._meta.label} declares datacache_namespaces: its default manager's "
            "QuerySet must be a core.datacache.DataCacheQuerySet, or its bulk writes "
            "would not bump them."
        )


def connect_models():
    """Connect the write hooks to every model that declares `datacache_namespaces`
    (CoreConfig.ready), and refuse one whose bulk writes would not bump."""
    m2m_changed.connect(_m2m_changed, dispatch_uid="datacache:m2m", weak=False)
    for model in apps.get_models():
        if getattr(model, "datacache_namespaces", ()):
            check_model(model)
            _connect(model)
