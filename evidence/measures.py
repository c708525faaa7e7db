"""The measures behind the impact indicators, computed from the portal's data.

Each measure is a headline number and a series (by year, type or region) drawn as a
small chart with its table. Figures come from the shared data cache (bumped on every
committed edit), keyed by access level; the download and citation tallies are a few
rows and read directly.
"""

from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from core.countries import Region, region_for
from core.datacache import cached
from events.models import Event
from evidence.figures import NAMESPACES, NON_OECD, access_level, by_year, library
from members.models import Organization
from pages.models import ImpactIndicator
from resources.models import Resource, UsageByYear

Measure = ImpactIndicator.Measure


def _result(key, number, points, unit=""):
    return {
        "key": key,
        "label": str(Measure(key).label),
        "number": number,
        "points": [(str(label), value) for label, value in points],
        "unit": unit,
    }


def compute(level):
    resources = library(level)
    case_studies = resources.filter(type=Resource.Type.CASE_STUDY)
    results = {}

    rows = sorted(by_year(case_studies).items())  # (year, (records, with country, non-OECD))
    results[Measure.CASE_STUDIES] = _result(
        Measure.CASE_STUDIES, case_studies.count(), [(year, n) for year, (n, _c, _o) in rows]
    )
    shares = [(year, round(100 * o / c)) for year, (_n, c, o) in rows if c]
    all_dated = sum(c for _y, (_n, c, _o) in rows)
    overall = round(100 * sum(o for _y, (_n, _c, o) in rows) / all_dated) if all_dated else 0
    results[Measure.NON_OECD_CASE_STUDIES] = _result(
        Measure.NON_OECD_CASE_STUDIES, overall, shares, unit="%"
    )
    results[Measure.NON_OECD_RESOURCES] = _result(
        Measure.NON_OECD_RESOURCES,
        resources.filter(oecd_coverage__in=NON_OECD).count(),
        [(year, o) for year, (_n, _c, o) in sorted(by_year(resources).items())],
    )

    with_program = Organization.objects.filter(programs__isnull=False).distinct()
    by_type = dict(Organization.Type.choices)
    type_rows = with_program.order_by().values("type").annotate(n=Count("pk", distinct=True))
    results[Measure.PARTNERSHIPS] = _result(
        Measure.PARTNERSHIPS,
        with_program.count(),
        sorted(
            ((by_type.get(r["type"], r["type"]), r["n"]) for r in type_rows), key=lambda p: -p[1]
        ),
    )
    regions = {}
    for country in with_program.values_list("country", flat=True):
        region = region_for(country)
        regions[region] = regions.get(region, 0) + 1
    region_names = dict(Region.choices)
    results[Measure.PARTNER_REGIONS] = _result(
        Measure.PARTNER_REGIONS,
        len([r for r in regions if r]),
        [(region_names.get(r) or _("Region not given"), n) for r, n in sorted(regions.items())],
    )

    held = Event.objects.filter(status=Event.Status.SCHEDULED, ends_at__lt=timezone.now())
    per_year = (
        held.annotate(year=ExtractYear("starts_at"))
        .order_by()
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("year")
    )
    results[Measure.EVENTS] = _result(
        Measure.EVENTS, held.count(), [(r["year"], r["n"]) for r in per_year]
    )
    participants = {}
    # From check-ins where an event has any, else as reported (Event.figures).
    for event in held.with_attendance():
        region = region_for(event.country)
        participants[region] = participants.get(region, 0) + (event.figures["participants"] or 0)
    results[Measure.PARTICIPANTS] = _result(
        Measure.PARTICIPANTS,
        sum(participants.values()),
        [
            (region_names.get(r) or _("Online or region not given"), n)
            for r, n in sorted(participants.items())
        ],
    )
    return results


def downloads():
    rows = UsageByYear.objects.values("year").annotate(n=Sum("count")).order_by("year")
    points = [(r["year"], r["n"]) for r in rows]
    return _result(Measure.DOWNLOADS, sum(n for _y, n in points), points)


def compute_all(user):
    level = access_level(user)
    results = cached(NAMESPACES, ("impact-measures", level), lambda: compute(level))
    results[Measure.DOWNLOADS] = downloads()
    return results
