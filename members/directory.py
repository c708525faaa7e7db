"""The member directory's search, filters and counts per filter value.

Each facet's counts apply every other filter (not its own, so the other values stay
choosable); all facets, the summary and the total come back in ONE query (UNION ALL of
grouped counts), cached briefly per query string and visibility level.
"""

import hashlib

from django.core.cache import caches
from django.db.models import CharField, Count, Value
from django.db.models.functions import Cast

from members.models import Member

FACET_TTL = 60  # seconds
# Filter name -> the field it filters on and its facet is grouped by.
FACETS = {
    "country": "country",
    "region": "region",
    "role": "role_category",
    "org_type": "organization__type",
    "oecd": "oecd",
    "expertise": "expertise__name",
}


def visibility_level(user):
    if user.is_authenticated and user.has_perm("members.view_members_only_profile"):
        return "members"
    return "public"


def apply_filters(queryset, filters, skip=None):
    for name, value in filters.items():
        if name == skip or name == "q":
            continue
        if name == "oecd":
            queryset = queryset.filter(oecd=(value == "yes"))
        elif name == "expertise":
            queryset = queryset.filter(expertise__name=value)
        else:
            queryset = queryset.filter(**{FACETS[name]: value})
    return queryset


def filtered(user, filters):
    queryset = Member.objects.listed_for(user)
    if filters.get("q"):
        queryset = queryset.search(filters["q"])
    return apply_filters(queryset, filters)


def _grouped(queryset, facet, field):
    return (
        queryset.order_by()
        .values(facet_name=Value(facet, output_field=CharField()))
        .annotate(key=Cast(field, CharField()), n=Count("pk", distinct=(facet == "expertise")))
        .values_list("facet_name", "key", "n")
    )


def compute_counts(user, filters):
    """{"total": n, "countries": n, "non_oecd": n, "facets": {name: {value: n}}}."""
    base = Member.objects.listed_for(user)
    if filters.get("q"):
        base = base.search(filters["q"])
    everything = apply_filters(base, filters)
    parts = [
        _grouped(apply_filters(base, filters, skip=name), name, f) for name, f in FACETS.items()
    ]
    # The summary: members per country of the full selection (gives total, countries, OECD).
    parts.append(
        everything.order_by()
        .values(facet_name=Value("summary", output_field=CharField()))
        .annotate(key=Cast("oecd", CharField()), n=Count("pk"))
        .values_list("facet_name", "key", "n")
    )
    parts.append(
        everything.order_by()
        .values(facet_name=Value("countries", output_field=CharField()))
        .annotate(key=Value("", output_field=CharField()), n=Count("country", distinct=True))
        .values_list("facet_name", "key", "n")
    )
    rows = list(parts[0].union(*parts[1:], all=True))
    result = {"total": 0, "countries": 0, "non_oecd": 0, "facets": {n: {} for n in FACETS}}
    for facet, key, n in rows:
        if facet == "summary":
            result["total"] += n
            if key == "false":
                result["non_oecd"] += n
        elif facet == "countries":
            result["countries"] = n
        elif key not in (None, ""):
            if facet == "oecd":
                key = "yes" if key == "true" else "no"
            result["facets"][facet][key] = n
    # The country without a value counts as a country for no one.
    return result


def cached_counts(user, filters):
    level = visibility_level(user)
    key_source = repr(sorted(filters.items())) + level
    key = "members:facets:" + hashlib.sha256(key_source.encode()).hexdigest()
    counts = caches["members"].get(key)
    if counts is None:
        counts = compute_counts(user, filters)
        caches["members"].set(key, counts, FACET_TTL)
    return counts
