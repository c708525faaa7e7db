"""The measures behind the impact indicators, computed from the portal's data.

Each measure is a headline number and a series (by year, type or region) drawn as a
small chart with its table. Figures come from the shared data cache (bumped on every
committed edit), keyed by access level; the download and citation tallies are a few
rows and read directly.
"""

from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from core.countries import Region, region_for
from core.datacache import cached
from events.models import Event, Registration
from evidence.figures import NAMESPACES, NON_OECD, access_level, by_year, library
from members.models import Organization
from pages.models import ImpactIndicator
from resources.models import Resource, UsageByYear

Measure = ImpactIndicator.Measure
NOT_KNOWN = "not_known"

# What each headline number counts, and what its table and chart count: every figure says
# what it is (the back office's measure names are shorter).
LABELS = {
    Measure.CASE_STUDIES: (
        gettext_lazy("Case studies published, all years"),
        gettext_lazy("Case studies published, by year of publication"),
    ),
    Measure.NON_OECD_CASE_STUDIES: (
        gettext_lazy("Share of the case studies with a country that cover a non-OECD country"),
        gettext_lazy("The same share, by year of publication"),
    ),
    Measure.NON_OECD_RESOURCES: (
        gettext_lazy("Resources covering a non-OECD country, all years"),
        gettext_lazy("Resources covering a non-OECD country, by year of publication"),
    ),
    Measure.DOWNLOADS: (
        gettext_lazy("File downloads and citation exports, all years"),
        gettext_lazy("File downloads and citation exports, by year"),
    ),
    Measure.PARTNERSHIPS: (
        gettext_lazy("Organizations with a program"),
        gettext_lazy("Organizations with a program, by type"),
    ),
    Measure.PARTNER_REGIONS: (
        gettext_lazy("Regions with an organization that has a program"),
        gettext_lazy("Organizations with a program, by the region of their country"),
    ),
    Measure.EVENTS: (
        gettext_lazy("Gatherings held, all years"),
        gettext_lazy("Gatherings held, by year"),
    ),
    Measure.PARTICIPANTS: (
        gettext_lazy("Participants in the gatherings held"),
        gettext_lazy(
            "Participants by the region of their own country (checked in; a gathering known "
            "only by its reported total counts as region not known)"
        ),
    ),
}


def _result(key, number, points, unit="", at_least=False):
    label, series_label = LABELS[key]
    return {
        "key": key,
        "label": str(label),
        "series_label": str(series_label),
        "number": number,
        "at_least": at_least,
        "points": [(str(label), value) for label, value in points],
        "unit": unit,
    }


def _share(part, whole):
    return round(100 * part / whole) if whole else None


def _with_undated(points, total):
    """The per-year points, and the records without a year as such (so they add up)."""
    undated = total - sum(n for _year, n in points)
    return points + ([(_("Year not given"), undated)] if undated else [])


def compute(level):
    resources = library(level)
    case_studies = resources.filter(type=Resource.Type.CASE_STUDY)
    results = {}

    rows = sorted(by_year(case_studies).items())  # (year, (records, with country, non-OECD))
    total = case_studies.count()
    results[Measure.CASE_STUDIES] = _result(
        Measure.CASE_STUDIES, total, _with_undated([(year, n) for year, (n, _c, _o) in rows], total)
    )
    shares = [(year, _share(o, c)) for year, (_n, c, o) in rows if c]
    with_country = case_studies.exclude(oecd_coverage="")
    overall = _share(with_country.filter(oecd_coverage__in=NON_OECD).count(), with_country.count())
    results[Measure.NON_OECD_CASE_STUDIES] = _result(
        Measure.NON_OECD_CASE_STUDIES, overall, shares, unit="%"
    )
    non_oecd = resources.filter(oecd_coverage__in=NON_OECD)
    total = non_oecd.count()
    results[Measure.NON_OECD_RESOURCES] = _result(
        Measure.NON_OECD_RESOURCES,
        total,
        _with_undated(
            [(year, n) for year, (n, _c, _o) in sorted(by_year(non_oecd).items())], total
        ),
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

    held = Event.objects.held()
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
    results[Measure.PARTICIPANTS] = _participants(held, region_names)
    return results


def _participants(held, region_names):
    """Participants by the region of their own country: those checked in, by the country
    they gave; a gathering with no check-ins counts its reported total as region not known
    (as Event.figures does, attendance where there is any, else as reported)."""
    regions, at_least = {}, False
    attended = Registration.objects.filter(
        event__in=held,
        status=Registration.Status.CONFIRMED,
        checked_in_at__isnull=False,
    )
    for country, n in (
        attended.order_by().values("country").annotate(n=Count("pk")).values_list("country", "n")
    ):
        region = region_for(country) or NOT_KNOWN
        regions[region] = regions.get(region, 0) + n
    reported = held.exclude(pk__in=attended.values("event")).filter(
        reported_participants__isnull=False
    )
    for n, more in reported.values_list("reported_participants", "participants_at_least"):
        regions[NOT_KNOWN] = regions.get(NOT_KNOWN, 0) + n
        at_least = at_least or more
    order = [*Region.values, NOT_KNOWN]
    return _result(
        Measure.PARTICIPANTS,
        sum(regions.values()),
        [
            (region_names.get(r) or _("Region not known"), regions[r])
            for r in order
            if regions.get(r)
        ],
        at_least=at_least,
    )


def downloads():
    rows = UsageByYear.objects.values("year").annotate(n=Sum("count")).order_by("year")
    points = [(r["year"], r["n"]) for r in rows]
    return _result(Measure.DOWNLOADS, sum(n for _y, n in points), points)


def compute_all(user):
    level = access_level(user)
    # The labels are words in the language served: part of the key.
    key = ("impact-measures", level, get_language())
    results = cached(NAMESPACES, key, lambda: compute(level))
    results[Measure.DOWNLOADS] = downloads()
    return results
