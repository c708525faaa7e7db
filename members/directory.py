"""The member directory's search, filters and counts per filter value.

Each facet's counts apply every other filter (not its own, so the other values stay
choosable); all facets, the summary and the total come back in ONE query
(`core.facets.facet_counts`), kept in the shared data cache (namespace
"members") keyed by visibility level, language and filters.
"""

from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, F, Value, When
from django.urls import reverse

from core.datacache import cached
from core.facets import Facet, facet_counts
from members.models import Member

# Filter name -> the field it filters on.
FACETS = {
    "country": "country",
    "region": "region",
    "role": "role_category",
    "org_type": "organization__type",
    "oecd": "oecd",
    "expertise": "expertise__name",
}
# The hits CTE's columns, in the order of the values_list below.
COLUMNS = ["id", "country", "region", "role", "org_type", "oecd"]
TAGS_JOIN = (
    "JOIN taggit_taggeditem ti ON ti.object_id = hits.id AND ti.content_type_id = %s "
    "JOIN taggit_tag t ON t.id = ti.tag_id"
)
HAS_TAG = (
    "EXISTS (SELECT 1 FROM taggit_taggeditem ti2 JOIN taggit_tag t2 ON t2.id = ti2.tag_id "
    "WHERE ti2.object_id = hits.id AND ti2.content_type_id = %s AND t2.name = ANY(%s))"
)


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
        else:
            queryset = queryset.filter(**{FACETS[name]: value})
    return queryset


def filtered(user, filters):
    queryset = Member.objects.listed_for(user)
    if filters.get("q"):
        queryset = queryset.search(filters["q"])
    return apply_filters(queryset, filters)


def compute_counts(user, filters):
    """{"total": n, "countries": n, "with_country": n, "non_oecd": n,
    "facets": {name: {value: n}}}: members listed, distinct countries, members who give a
    country, those of them from a non-OECD country."""
    base = Member.objects.listed_for(user)
    if filters.get("q"):
        base = base.search(filters["q"])
    hits = base.annotate(
        role=F("role_category"),
        org_type=F("organization__type"),
        oecd_key=Case(When(oecd=True, then=Value("yes")), default=Value("no")),
    ).values_list("id", "country", "region", "role", "org_type", "oecd_key")
    content_type = ContentType.objects.get_for_model(Member).pk
    facets = [Facet(name, column=name) for name in COLUMNS[1:]] + [
        Facet(
            "expertise",
            join=TAGS_JOIN,
            join_params=(content_type,),
            value="t.name",
            where=HAS_TAG,
            where_params=(content_type,),
        )
    ]
    total, counts, summary = facet_counts(
        hits,
        COLUMNS,
        facets,
        selected={name: [value] for name, value in filters.items() if name != "q"},
        summaries={
            "countries": "count(DISTINCT NULLIF(country, ''))",
            # The non-OECD share is of the members who give a country (no country: unknown,
            # neither OECD nor not).
            "with_country": "count(*) FILTER (WHERE country <> '')",
            "non_oecd": "count(*) FILTER (WHERE oecd = 'no' AND country <> '')",
        },
    )
    return {
        "total": total,
        "countries": int(summary["countries"]),
        "with_country": int(summary["with_country"]),
        "non_oecd": int(summary["non_oecd"]),
        "facets": {
            name: {value: count for value, (_label, count) in found.items()}
            for name, found in counts.items()
        },
    }


def cached_counts(user, filters):
    """The counts from the shared data cache; recomputed after any committed member edit."""
    level = visibility_level(user)
    parts = ("directory-counts-2", level, tuple(sorted(filters.items())))
    return cached(["members"], parts, lambda: compute_counts(user, filters))


class Row(NamedTuple):
    """One directory row as plain values: the template reads each once, with no model
    method, URL reversing or country lookup per row (a profile of the directory page
    found most of its time in such per-row template work)."""

    name: str
    url: str
    photo_url: str
    initials: str
    line: str
    tags: list


def rows(members):
    """Row()s of these members (a page of the directory's queryset)."""
    from core.templatetags.portal import dot_join, initials

    placeholder = "slug-placeholder"
    url = reverse("members:detail", kwargs={"slug": placeholder})
    before, after = url.split(placeholder)
    return [
        Row(
            name=member.name,
            url=f"{before}{member.slug}{after}",
            photo_url=member.photo.url if member.photo else "",
            initials=initials(member.name),
            line=dot_join(
                member.position,
                member.organization.name if member.organization_id else "",
                member.country.name if member.country else "",
            ),
            tags=member.expertise_names or [],
        )
        for member in members
    ]
