"""One facet-count helper: every facet's counts, the total and summaries in ONE SQL query.

The rows a page may show (already searched and restricted to what the user may see) are
selected once into a materialized CTE `hits`; each facet is a grouped count over it.
A facet that `ignores_own` filter counts with every *other* selected filter applied, so
its other values stay choosable (the member directory); otherwise the caller passes rows
already filtered by everything (the resource library's drill-down).

    total, counts, summary = facet_counts(
        members.values_list("id", "country", ...),
        ["id", "country", ...],
        [Facet("country"), Facet("expertise", join=..., value="t.name")],
        selected={"country": ["GH"]},
        summaries={"countries": "count(DISTINCT NULLIF(country, ''))"},
    )
    counts == {"country": {"GH": (None, 12), ...}, "expertise": {...}}

Only SQL written in the code is interpolated: values always travel as parameters.
"""

from dataclasses import dataclass, field

from django.db import connection


@dataclass(frozen=True)
class Facet:
    """A facet over the `hits` CTE.

    column: the CTE column grouped by (and filtered on); `array` when it holds several
    values, each counted. `join`/`value`/`label` replace the column with joined rows
    (e.g. tags: `value="t.slug"`, `label="t.name"`); `where` is then the condition that
    a hit has one of the selected values (`%s` receives the list).
    """

    name: str
    column: str = ""
    array: bool = False
    join: str = ""
    value: str = ""
    label: str = "''"
    join_params: tuple = field(default=())
    where: str = ""  # its last %s receives the selected values
    where_params: tuple = field(default=())

    def group_sql(self):
        if self.join:
            return self.join, self.value
        if self.array:
            return f"CROSS JOIN LATERAL unnest(hits.{self.column}) AS v(value)", "v.value"
        return "", f"hits.{self.column}"

    def filter_sql(self, values):
        if self.where:
            return self.where, [*self.where_params, values]
        if self.array:
            return f"hits.{self.column} && %s::text[]", [values]
        return f"hits.{self.column}::text = ANY(%s)", [values]


def facet_counts(
    hits, columns, facets, *, selected=None, ignores_own=True, summaries=None, limit=None
):
    """(total, {facet: {value: (label or None, count)}}, {summary: value}) in one query.

    hits: a QuerySet `.values_list(...)` of the `columns` (named as the facets name them,
    `id` first). selected: {facet name: [values]} to
    apply on the CTE (facets ignoring their own). summaries: {name: SQL aggregate over
    hits} computed over the fully filtered rows. limit: read at most this many hits (the
    first ones the database finds): the total is then at most `limit` and the counts are
    those of the rows read, so the work does not grow with the number of matches.
    """
    selected = {k: list(v) for k, v in (selected or {}).items() if v}
    by_name = {facet.name: facet for facet in facets}
    hits = hits.order_by()
    if limit is not None:
        hits = hits[:limit]
    hits_sql, hits_params = hits.query.sql_with_params()
    columns = ", ".join(columns)

    def where(skip=None):
        clauses, params = [], []
        for name, values in selected.items():
            if name != skip:
                sql, extra = by_name[name].filter_sql(values)
                clauses.append(sql)
                params += extra
        return ("WHERE " + " AND ".join(clauses)) if clauses else "", params

    parts, params = [], []
    all_where, all_params = where()
    parts.append(f"SELECT '', '__total', '', count(*)::text FROM hits {all_where}")  # noqa: S608
    params += all_params
    for name, aggregate in (summaries or {}).items():
        parts.append(
            f"SELECT '', '__summary', %s, ({aggregate})::text FROM hits {all_where}"  # noqa: S608
        )
        params += [name, *all_params]
    for facet in facets:
        join, value = facet.group_sql()
        facet_where, facet_params = where(skip=facet.name if ignores_own else None)
        null_guard = f"{value} IS NOT NULL AND {value}::text <> ''"
        facet_where = f"{facet_where} AND {null_guard}" if facet_where else f"WHERE {null_guard}"
        parts.append(
            f"SELECT %s, {value}::text, {facet.label}::text, count(*)::text "  # noqa: S608
            f"FROM hits {join} {facet_where} GROUP BY 2, 3"
        )
        params += [facet.name, *facet.join_params, *facet_params]
    sql = (
        f"WITH hits ({columns}) AS MATERIALIZED ({hits_sql}) "  # noqa: S608
        + " UNION ALL ".join(parts)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*hits_params, *params])
        rows = cursor.fetchall()
    total, counts, summary = 0, {facet.name: {} for facet in facets}, {}
    for facet, value, label, count in rows:
        if value == "__total":
            total = int(count)
        elif value == "__summary":
            summary[label] = count
        else:
            counts[facet][value] = (label or None, int(count))
    return total, counts, summary
