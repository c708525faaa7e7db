"""The library's search: filters from the query string, facet counts in one query, a ranked page.

Facet counts come from one query (core.facets), kept in the shared data cache
(namespace "resources") keyed by access level, language, query and filters; the page's rows
are always read fresh (one query, plus one for their topics).
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchHeadline
from django.db.models import F, FloatField, Prefetch, TextField, Value
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Coalesce, Concat
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from django_countries import countries as country_names
from taggit.models import TaggedItem

from core.countries import Region
from core.datacache import cached
from core.facets import Facet
from core.facets import facet_counts as facet_counts_sql
from core.paginator import CountedPaginator, page_or_nearest
from core.params import parse_id
from resources.models import SEARCH_CONFIG, Pathway, Resource, search_query

PAGE_SIZE = 20
EXPORT_LIMIT = 500
TOPICS = Prefetch("topics", to_attr="topic_list")
MARK_START, MARK_STOP = "\x02", "\x03"

# Query-string key → (label, column in the facet query, how the filter applies).
FACETS = {
    "type": (_("Type"), "type"),
    "pathway": (_("Pathway"), "pathway"),
    "topic": (_("Topic"), None),
    "region": (_("Region"), "regions"),
    "country": (_("Country"), "country_codes"),
    "year": (_("Year"), "publication_year"),
    "language": (_("Language"), "language"),
    "access": (_("Access"), "access"),
    "oecd": (_("OECD coverage"), "oecd_coverage"),
}
ARRAY_FACETS = {"region", "country"}
SHOWN_PER_FACET = 12


def _language_name(code):
    try:
        return get_language_info(code)["name_translated"]
    except KeyError:
        return code


LABELS = {
    "type": dict(Resource.Type.choices).get,
    "pathway": dict(Pathway.Key.choices).get,
    "region": dict(Region.choices).get,
    "country": lambda code: country_names.name(code) or None,
    "year": lambda value: value,
    "language": _language_name,
    "access": dict(Resource.Access.choices).get,
    "oecd": dict(Resource.OECDCoverage.choices).get,
}


# The library's orders (?sort=): relevance only means something while searching;
# "date" is the newest first. Anything else falls back to the default.
SORTS = {"relevance": _("relevance"), "date": _("newest"), "title": _("title")}


@dataclass
class Search:
    q: str = ""
    filters: dict = field(default_factory=dict)
    sort: str = "relevance"
    page: str = "1"

    @classmethod
    def from_params(cls, params):
        filters = {}
        for key in FACETS:
            values = sorted({v.strip() for v in params.getlist(key) if v.strip()})[:20]
            if key == "year":
                values = [v for v in values if len(v) == 4 and parse_id(v) is not None]
            if values:
                filters[key] = values
        q = params.get("q", "").strip()[:200]
        sort = params.get("sort", "")
        if sort not in SORTS:
            sort = "relevance" if q else "date"
        if not q and sort == "relevance":
            sort = "date"
        return cls(q=q, filters=filters, sort=sort, page=params.get("page", "1")[:6])

    def querystring(self, **changes):
        """This search's parameters (without the page), with some changed: for links."""
        params = {"q": self.q, "sort": self.sort, **self.filters}
        params.update(changes)
        pairs = []
        for key, value in params.items():
            for v in value if isinstance(value, list) else [value]:
                if v not in ("", None):
                    pairs.append((key, v))
        return urlencode(pairs)

    @property
    def query(self):
        return search_query(self.q) if self.q else None

    def filter(self, queryset):
        query = self.query
        if query is not None:
            queryset = queryset.filter(search_vector=query)
        for key, values in self.filters.items():
            if key == "topic":
                tagged = TaggedItem.objects.filter(
                    content_type=ContentType.objects.get_for_model(Resource), tag__slug__in=values
                ).values("object_id")
                queryset = queryset.filter(pk__in=tagged)
            elif key in ARRAY_FACETS:
                queryset = queryset.filter(**{f"{FACETS[key][1]}__overlap": values})
            else:
                queryset = queryset.filter(**{f"{FACETS[key][1]}__in": values})
        return queryset

    def headlines(self, ids):
        """{pk: headline} for these rows only: ts_headline re-parses each text, so it runs
        on the page's 20 rows, never on the rows an OFFSET skips (520 of them on page 27)."""
        query = self.query
        if query is None or not ids:
            return {}
        rows = Resource.objects.filter(pk__in=ids).annotate(
            headline=SearchHeadline(
                Concat(
                    "abstract",
                    Value(" … ", output_field=TextField()),
                    Coalesce("case_study__key_findings", Value(""), output_field=TextField()),
                    output_field=TextField(),
                ),
                query,
                config=SEARCH_CONFIG,
                start_sel=MARK_START,
                stop_sel=MARK_STOP,
                max_words=45,
                min_words=20,
            ),
        )
        return dict(rows.values_list("pk", "headline"))

    def ordered(self, queryset):
        query = self.query
        if self.sort == "relevance" and query is not None:
            # The RUM index (resource_search_rum_idx) returns the matches nearest first:
            # weighted like ts_rank (title A, abstract and authors B, topics C, file D),
            # without reading the rows. Nothing after it in ORDER BY: a second key makes
            # PostgreSQL read and sort every match instead (366 ms against 110 ms for
            # "leadership", 43,000 matches); the index's order of equal ranks is stable.
            return queryset.order_by(RankDistance(query))
        if self.sort == "title":
            return queryset.order_by("title", "pk")
        return queryset.order_by(
            F("publication_date").desc(nulls_last=True),
            F("publication_year").desc(nulls_last=True),
            "title",
            "pk",
        )


class RankDistance(CombinedExpression):
    """`search_vector <=> query`: RUM's distance (the smaller, the better the match)."""

    def __init__(self, query):
        super().__init__(F("search_vector"), "<=>", query, output_field=FloatField())


def highlight(text):
    """Escape a headline and turn its markers into <mark>."""
    return mark_safe(  # noqa: S308 - escaped first; only our own markers become tags
        escape(text).replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>")
    )


# The facet columns of the hits CTE (core.facets), in the values_list's order.
HIT_COLUMNS = [
    ("id", "id"),
    ("type", "type"),
    ("pathway", "pathway"),
    ("year", "publication_year"),
    ("language", "language"),
    ("access", "access"),
    ("oecd", "oecd_coverage"),
    ("country", "country_codes"),
    ("region", "regions"),
]
TOPICS_JOIN = (
    "JOIN taggit_taggeditem ti ON ti.object_id = hits.id AND ti.content_type_id = %s "
    "JOIN taggit_tag t ON t.id = ti.tag_id"
)


def facet_counts(queryset, limit=None):
    """Total and every facet's counts over the filtered rows (the first `limit` the
    database finds, when given), in one SQL query."""
    content_type = ContentType.objects.get_for_model(Resource)
    facets = [
        Facet(name, column=name, array=name in ARRAY_FACETS) for name, _field in HIT_COLUMNS[1:]
    ] + [
        Facet(
            "topic",
            join=TOPICS_JOIN,
            join_params=(content_type.pk,),
            value="t.slug",
            label="t.name",
        )
    ]
    total, found, _summary = facet_counts_sql(
        queryset.values_list(*(field for _name, field in HIT_COLUMNS)),
        [name for name, _field in HIT_COLUMNS],
        facets,
        ignores_own=False,
        limit=limit,
    )
    counts = {
        key: [(value, label, count) for value, (label, count) in found.get(key, {}).items()]
        for key in FACETS
    }
    return total, counts


def count_bound(search):
    """How many matches a search counts (None: all of them).

    A search counts its matches and their facet figures up to settings.LIBRARY_COUNT_BOUND
    and says "1,000+" beyond it: counting 45,000 matches of "leadership" cost 200 ms a
    request. The library itself (no query, no filter) is counted in full, once per access
    level and language, in the data cache."""
    return settings.LIBRARY_COUNT_BOUND if search.q or search.filters else None


def cached_facet_counts(search, queryset, access_key):
    """(total, counts, capped) from the shared data cache, keyed by access, language, query,
    filters and bound. `capped`: more rows match than the bound; `total` is then the bound
    and each facet figure counts the matches among the first bound + 1 rows read."""
    bound = count_bound(search)
    parts = ("library-facets", access_key, search.q, tuple(sorted(search.filters.items())), bound)
    filtered = search.filter(queryset)
    total, counts = cached(
        ["resources"],
        parts,
        lambda: facet_counts(filtered, None if bound is None else bound + 1),
    )
    capped = bound is not None and total > bound
    return (bound if capped else total), counts, capped


def facet_groups(search, counts):
    """Facets for the template: label, and options with count, link and selected state.

    The first SHOWN_PER_FACET options (and any selected one) are `options`; the others are
    `more`, shown behind a disclosure, so every value stays reachable."""
    groups = []
    for key, (label, _column) in FACETS.items():
        selected = set(search.filters.get(key, []))
        rows = counts.get(key, [])
        if key == "year":
            rows.sort(key=lambda r: r[0], reverse=True)
        else:
            rows.sort(key=lambda r: (-r[2], r[0]))
        options, more = [], []
        for position, (value, name, count) in enumerate(rows):
            on = value in selected
            others = [v for v in selected if v != value]
            link_values = others if on else sorted(selected | {value})
            (options if on or position < SHOWN_PER_FACET else more).append(
                {
                    "value": value,
                    "label": name or (LABELS[key](value) if key in LABELS else value) or value,
                    "count": count,
                    "selected": on,
                    "link": "?" + search.querystring(**{key: link_values}),
                }
            )
        if options:
            groups.append(
                {
                    "key": key,
                    "label": label,
                    "options": options,
                    "more": len(more),
                    "all": options + more,
                }
            )
    return groups


def run(search, queryset, access_key):
    """Total, facets and the requested page of results (4 queries at most).

    `access_key` names the set of rows `queryset` holds for this user (see
    resources.views.access_key): the facet counts are shared by everyone with that key.
    """
    total, counts, capped = cached_facet_counts(search, queryset, access_key)
    rows = search.ordered(search.filter(queryset)).defer("search_vector")
    paginator = CountedPaginator(rows.prefetch_related(TOPICS), PAGE_SIZE, count=total)
    page = page_or_nearest(paginator, search.page)
    results = list(page.object_list)
    headlines = search.headlines([resource.pk for resource in results])
    for resource in results:
        headline = headlines.get(resource.pk)
        resource.snippet = highlight(headline) if headline else None
    return {
        "total": total,
        "capped": capped,
        "facets": facet_groups(search, counts),
        "page_obj": page,
        "results": results,
        "export_qs": search.querystring(),
        "sort_options": [
            (key, label, search.querystring(sort=key))
            for key, label in SORTS.items()
            if key != "relevance" or search.q
        ],
        "without_filters_qs": urlencode({"q": search.q}) if search.q else "",
    }


def export_rows(search, queryset):
    """The current result list for BibTeX/RIS export (the first EXPORT_LIMIT rows)."""
    rows = search.ordered(search.filter(queryset)).select_related(None)
    return list(rows.prefetch_related(TOPICS)[:EXPORT_LIMIT])
