"""The library's search: filters from the query string, facet counts in one query, a ranked page.

Facet counts and the page's rows come from two queries whatever the data size; the rendered
result block is cached per process for 60 s, keyed by access level, query and filters.
"""

import hashlib
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.paginator import InvalidPage, Paginator
from django.db import connection
from django.db.models import F, Prefetch, TextField, Value
from django.db.models.functions import Coalesce, Concat
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from django_countries import countries as country_names
from taggit.models import TaggedItem

from allin_portal.countries import Region
from allin_portal.models import Pathway
from resources.models import SEARCH_CONFIG, Resource

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
                values = [v for v in values if v.isdigit() and len(v) == 4]
            if values:
                filters[key] = values
        q = params.get("q", "").strip()[:200]
        sort = params.get("sort", "")
        if sort not in ("relevance", "date"):
            sort = "relevance" if q else "date"
        if not q:
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

    def cache_key(self, access_key):
        raw = f"{access_key}|{self.querystring()}|{self.page}"
        return "resources:search:" + hashlib.sha256(raw.encode()).hexdigest()

    @property
    def query(self):
        return (
            SearchQuery(self.q, search_type="websearch", config=SEARCH_CONFIG) if self.q else None
        )

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

    def ordered(self, queryset):
        query = self.query
        if query is not None:
            queryset = queryset.annotate(
                rank=SearchRank(F("search_vector"), query),
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
        if self.sort == "relevance" and query is not None:
            return queryset.order_by("-rank", F("publication_year").desc(nulls_last=True), "pk")
        return queryset.order_by(
            F("publication_date").desc(nulls_last=True),
            F("publication_year").desc(nulls_last=True),
            "title",
            "pk",
        )


def highlight(text):
    """Escape a headline and turn its markers into <mark>."""
    return mark_safe(  # noqa: S308 - escaped first; only our own markers become tags
        escape(text).replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>")
    )


def facet_counts(queryset):
    """Total and every facet's counts over the filtered rows, in one SQL query."""
    hits_sql, params = (
        queryset.order_by()
        .values_list(
            "id",
            "type",
            "pathway",
            "publication_year",
            "language",
            "access",
            "oecd_coverage",
            "country_codes",
            "regions",
        )
        .query.sql_with_params()
    )
    content_type = ContentType.objects.get_for_model(Resource)
    # Only the ORM's own SQL (with its params kept apart) is interpolated here.
    sql = f"""
        WITH hits (id, type, pathway, year, language, access, oecd, countries, regions)
        AS MATERIALIZED ({hits_sql})
        SELECT 'total', '', '', count(*) FROM hits
        UNION ALL SELECT 'type', type, '', count(*) FROM hits GROUP BY type
        UNION ALL SELECT 'pathway', pathway, '', count(*) FROM hits
            WHERE pathway <> '' GROUP BY pathway
        UNION ALL SELECT 'year', year::text, '', count(*) FROM hits
            WHERE year IS NOT NULL GROUP BY year
        UNION ALL SELECT 'language', language, '', count(*) FROM hits GROUP BY language
        UNION ALL SELECT 'access', access, '', count(*) FROM hits GROUP BY access
        UNION ALL SELECT 'oecd', oecd, '', count(*) FROM hits WHERE oecd <> '' GROUP BY oecd
        UNION ALL SELECT 'country', c, '', count(*) FROM hits, unnest(hits.countries) c GROUP BY c
        UNION ALL SELECT 'region', r, '', count(*) FROM hits, unnest(hits.regions) r GROUP BY r
        UNION ALL SELECT 'topic', t.slug, t.name, count(*) FROM hits
            JOIN taggit_taggeditem ti ON ti.object_id = hits.id AND ti.content_type_id = %s
            JOIN taggit_tag t ON t.id = ti.tag_id GROUP BY t.slug, t.name
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, content_type.pk])
        rows = cursor.fetchall()
    total = 0
    counts = {key: [] for key in FACETS}
    for facet, value, name, count in rows:
        if facet == "total":
            total = count
        else:
            counts[facet].append((value, name, count))
    return total, counts


def facet_groups(search, counts):
    """Facets for the template: label, and options with count, link and selected state."""
    groups = []
    for key, (label, _column) in FACETS.items():
        selected = set(search.filters.get(key, []))
        rows = counts.get(key, [])
        if key == "year":
            rows.sort(key=lambda r: r[0], reverse=True)
        else:
            rows.sort(key=lambda r: (-r[2], r[0]))
        options = []
        for value, name, count in rows[:SHOWN_PER_FACET] + [
            r for r in rows[SHOWN_PER_FACET:] if r[0] in selected
        ]:
            on = value in selected
            others = [v for v in selected if v != value]
            link_values = others if on else sorted(selected | {value})
            options.append(
                {
                    "value": value,
                    "label": name or (LABELS[key](value) if key in LABELS else value) or value,
                    "count": count,
                    "selected": on,
                    "link": "?" + search.querystring(**{key: link_values}),
                }
            )
        if options:
            groups.append({"key": key, "label": label, "options": options})
    return groups


def run(search, queryset):
    """Total, facets and the requested page of results (3 queries at most)."""
    filtered = search.filter(queryset)
    total, counts = facet_counts(filtered)
    paginator = Paginator(search.ordered(filtered).prefetch_related(TOPICS), PAGE_SIZE)
    paginator.__dict__["count"] = total  # known already: no COUNT(*) query
    try:
        page = paginator.page(search.page)
    except InvalidPage:
        page = paginator.page(paginator.num_pages if str(search.page).isdigit() else 1)
    results = list(page.object_list)
    for resource in results:
        resource.snippet = (
            highlight(resource.headline) if getattr(resource, "headline", "") else None
        )
    return {
        "total": total,
        "facets": facet_groups(search, counts),
        "page_obj": page,
        "results": results,
        "export_qs": search.querystring(),
        "sort_date_qs": search.querystring(sort="date"),
        "sort_relevance_qs": search.querystring(sort="relevance"),
        "without_filters_qs": urlencode({"q": search.q}) if search.q else "",
    }


def export_rows(search, queryset):
    """The current result list for BibTeX/RIS export (the first EXPORT_LIMIT rows)."""
    rows = search.ordered(search.filter(queryset)).select_related(None)
    return list(rows.prefetch_related(TOPICS)[:EXPORT_LIMIT])
