"""The evidence-gap view, its CSV, and the impact indicators."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe
from django_countries import countries as country_names

from core.countries import OECD_MEMBERS, Region
from core.spreadsheets import csv_download
from evidence import charts, measures
from evidence.figures import (
    UNSPECIFIED,
    Filters,
    Metric,
    access_level,
    figures,
    region_label,
    topics,
)
from members.models import Program
from pages.models import ContentBlock, ImpactIndicator
from resources.models import CaseStudy, Pathway, Resource


def country_name(code):
    return str(country_names.name(code) or code)


def country_link(metric, code, filters):
    """The library or the directory, filtered to the country (and the view's filters)."""
    if metric in (Metric.RESOURCES, Metric.CASE_STUDIES):
        params = [("country", code), *filters.items()]
        if metric == Metric.CASE_STUDIES:
            params = [(k, v) for k, v in params if k != "type"] + [("type", "case_study")]
        return reverse("resources:list") + "?" + urlencode(params)
    return reverse("members:list") + "?" + urlencode({"country": code})


def share(total_with_country, non_oecd):
    return round(100 * non_oecd / total_with_country) if total_with_country else None


def country_rows(data):
    """One row per country with any figure: name, OECD, and each metric's count."""
    codes = set()
    for counts in data["countries"].values():
        codes |= set(counts)
    rows = [
        {
            "code": code,
            "name": country_name(code),
            "oecd": code in OECD_MEMBERS,
            "counts": [data["countries"][m].get(code, 0) for m, _label in Metric.CHOICES],
        }
        for code in codes
    ]
    return sorted(rows, key=lambda row: row["name"])


def region_rows(table, keys):
    order = [*Region.values, UNSPECIFIED]
    return [
        {
            "label": region_label(region),
            "values": table[region],
            "cells": [table[region].get(k, 0) for k in keys],
        }
        for region in order
        if region in table
    ]


@require_safe
def evidence(request):
    filters = Filters.from_params(request.GET)
    metric = request.GET.get("show", Metric.RESOURCES)
    if metric not in Metric.LABELS:
        metric = Metric.RESOURCES
    data = figures(request.user, filters)
    counts = data["countries"][metric]
    metric_label = Metric.LABELS[metric]
    non_oecd = sum(n for code, n in counts.items() if code not in OECD_MEMBERS)
    total = sum(counts.values())
    world_map = charts.world_map(
        title=_("World map: %(metric)s by country") % {"metric": metric_label},
        description=_(
            "Darker countries have more; OECD members are outlined. %(share)s of the country "
            "mentions are of non-OECD countries."
        )
        % {"share": f"{share(total, non_oecd)}%" if total else "0%"},
        counts=counts,
        names=country_name,
        link=lambda code: country_link(metric, code, filters),
        label=lambda name, n: f"{name}: {n}",
    )
    years = [row["year"] for row in data["years"]]
    shares_chart = charts.share_lines(
        title=_("Non-OECD share of resources and case studies, by publication year"),
        years=years,
        series=[
            (
                _("Resources"),
                {r["year"]: share(r["resources"][1], r["resources"][2]) for r in data["years"]},
            ),
            (
                _("Case studies"),
                {
                    r["year"]: share(r["case_studies"][1], r["case_studies"][2])
                    for r in data["years"]
                },
            ),
        ],
        chart_id="chart-years",
    )
    statuses = list(CaseStudy.Status.choices)
    status_rows = region_rows(data["case_study_status"], [k for k, _l in statuses])
    formats = [*Program.Format.choices, (UNSPECIFIED, _("Format not given"))]
    format_rows = region_rows(data["programs_by_region"], [k for k, _l in formats])
    metric_links = [
        (key, label, "?" + urlencode([("show", key), *filters.items()]), key == metric)
        for key, label in Metric.CHOICES
    ]
    return render(
        request,
        "evidence/evidence.html",
        {
            "filters": filters,
            "metric": metric,
            "metric_label": metric_label,
            "metric_links": metric_links,
            "world_map": world_map,
            "total": total,
            "non_oecd": non_oecd,
            "non_oecd_share": share(total, non_oecd),
            "countries": country_rows(data),
            "metrics": Metric.CHOICES,
            "years": data["years"],
            "shares_chart": shares_chart,
            "status_chart": charts.stacked_bars(
                title=_("Case studies by region and review status"),
                series=statuses,
                rows=[(r["label"], r["values"]) for r in status_rows],
                chart_id="chart-status",
            ),
            "statuses": statuses,
            "status_rows": status_rows,
            "format_chart": charts.stacked_bars(
                title=_("Programs by region and format"),
                series=formats,
                rows=[(r["label"], r["values"]) for r in format_rows],
                chart_id="chart-formats",
            ),
            "formats": formats,
            "format_rows": format_rows,
            "pathways": Pathway.Key.choices,
            "topics": topics(access_level(request.user)),
            "research_series": ContentBlock.objects.filter(key="research_series").first(),
            "types": Resource.Type.choices,
            "csv_query": urlencode(filters.items()),
            "summary": ngettext(
                "%(count)s country has figures.", "%(count)s countries have figures.", len(counts)
            )
            % {"count": len(counts)},
        },
    )


@require_safe
def evidence_csv(request):
    """Every figure of the evidence view (same access level and filters), formula-safe."""
    filters = Filters.from_params(request.GET)
    data = figures(request.user, filters)
    rows = [["figure", "key", "label", "series", "value"]]

    def row(*cells):
        rows.append(cells)

    for metric, label in Metric.CHOICES:
        for code, n in sorted(data["countries"][metric].items()):
            row("country", code, country_name(code), label, n)
    for r in data["years"]:
        for key, label in (("resources", _("Resources")), ("case_studies", _("Case studies"))):
            total, with_country, non_oecd = r[key]
            row("year", r["year"], r["year"], f"{label}: {_('total')}", total)
            row("year", r["year"], r["year"], f"{label}: {_('with a country')}", with_country)
            row(
                "year",
                r["year"],
                r["year"],
                f"{label}: {_('covering non-OECD countries')}",
                non_oecd,
            )
    status_labels = dict(CaseStudy.Status.choices)
    for region, values in sorted(data["case_study_status"].items()):
        for status, n in sorted(values.items()):
            row(
                "case_study_status",
                region,
                region_label(region),
                status_labels.get(status, status),
                n,
            )
    format_labels = dict(Program.Format.choices)
    for region, values in sorted(data["programs_by_region"].items()):
        for fmt, n in sorted(values.items()):
            row("program_format", region, region_label(region), format_labels.get(fmt, fmt), n)
    return csv_download(rows, "allin-evidence.csv")


@require_safe
def impact(request):
    indicators = list(ImpactIndicator.objects.all())
    computed = measures.compute_all(request.user)
    for indicator in indicators:
        indicator.results = []
        for key in indicator.measures:
            if key not in computed:
                continue
            result = dict(computed[key])
            result["chart"] = charts.sparkline(
                title=result["series_label"],
                points=result["points"],
                chart_id=f"spark-{indicator.pk}-{key}",
            )
            indicator.results.append(result)
    terms = [
        (label, [i for i in indicators if i.term == term])
        for term, label in ImpactIndicator.Term.choices
    ]
    return render(request, "evidence/impact.html", {"terms": [t for t in terms if t[1]]})
