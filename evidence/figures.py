"""The evidence-gap figures: counts by country, year, region, status and format.

Everything is computed in a few grouped SQL queries and kept in the shared data cache
(`core.datacache`), keyed by access level and filters; the namespaces are
bumped on every committed edit, so no figure is older than the last edit.

Access: visitors' figures count public records only; members (the permission to see
members-only resources) also count members-only resources and members-only profiles.
Unpublished case studies appear only in the review-status chart, as counts.
"""

import re
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Func, Q
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag, TaggedItem

from core.countries import Region, region_for
from core.datacache import cached
from members.models import Member, Program
from resources.models import CaseStudy, Pathway, Resource

NAMESPACES = ["resources", "members", "events"]
UNSPECIFIED = "unspecified"
NON_OECD = [Resource.OECDCoverage.NON_OECD, Resource.OECDCoverage.BOTH]
TAG_SLUG = re.compile(r"^[-\w]{1,100}$")


class Metric:
    RESOURCES = "resources"
    CASE_STUDIES = "case_studies"
    PROGRAMS = "programs"
    MEMBERS = "members"
    CHOICES = [
        (RESOURCES, _("Resources")),
        (CASE_STUDIES, _("Case studies")),
        (PROGRAMS, _("Programs")),
        (MEMBERS, _("Members")),
    ]
    LABELS = dict(CHOICES)


def access_level(user):
    """'members' when the user sees members-only records, else 'public' (part of every key)."""
    if user.is_authenticated and user.has_perm("resources.view_members_only_resource"):
        return "members"
    return "public"


@dataclass(frozen=True)
class Filters:
    """Pathway, topic and type: they narrow the resources and case studies."""

    pathway: str = ""
    topic: str = ""
    type: str = ""

    @classmethod
    def from_params(cls, params):
        pathway = params.get("pathway", "")
        topic = params.get("topic", "").strip()
        kind = params.get("type", "")
        return cls(
            pathway=pathway if pathway in Pathway.Key.values else "",
            topic=topic if TAG_SLUG.match(topic) else "",
            type=kind if kind in Resource.Type.values else "",
        )

    def items(self):
        return [
            (k, v)
            for k, v in (("pathway", self.pathway), ("topic", self.topic), ("type", self.type))
            if v
        ]

    def key(self):
        return tuple(self.items())

    def apply(self, resources):
        if self.pathway:
            resources = resources.filter(pathway=self.pathway)
        if self.type:
            resources = resources.filter(type=self.type)
        if self.topic:
            tagged = TaggedItem.objects.filter(
                content_type=ContentType.objects.get_for_model(Resource), tag__slug=self.topic
            ).values("object_id")
            resources = resources.filter(pk__in=tagged)
        return resources


def library(level):
    """Published resources (case studies included) counted at this access level."""
    qs = Resource.objects.published()
    return qs if level == "members" else qs.filter(access=Resource.Access.PUBLIC)


def profiles(level):
    visible = [Member.Visibility.PUBLIC]
    if level == "members":
        visible.append(Member.Visibility.MEMBERS)
    return Member.objects.approved().filter(visibility__in=visible)


class Unnest(Func):
    function = "unnest"


def _by_country(resources):
    rows = (
        resources.order_by()
        .annotate(code=Unnest(F("country_codes")))
        .values("code")
        .annotate(n=Count("pk"))
        .values_list("code", "n")
    )
    return dict(rows)


def by_year(resources):
    """{year: (records, records with a country, records covering a non-OECD country)}."""
    rows = (
        resources.filter(publication_year__isnull=False)
        .order_by()
        .values("publication_year")
        .annotate(
            total=Count("pk"),
            with_country=Count("pk", filter=~Q(oecd_coverage="")),
            non_oecd=Count("pk", filter=Q(oecd_coverage__in=NON_OECD)),
        )
    )
    return {r["publication_year"]: (r["total"], r["with_country"], r["non_oecd"]) for r in rows}


def program_regions(countries, organization_country):
    """The regions a program serves (its countries; else its organization's country)."""
    codes = [str(c) for c in countries] or ([organization_country] if organization_country else [])
    regions = sorted({region_for(c) for c in codes if region_for(c)})
    return regions or [UNSPECIFIED]


def compute(level, filters):
    resources = filters.apply(library(level))
    case_studies = resources.filter(type=Resource.Type.CASE_STUDY)

    programs_by_country = {}
    programs_by_region = {}
    for countries, fmt, org_country in Program.objects.values_list(
        "countries", "format", "organization__country"
    ).order_by():
        codes = [c for c in (countries or "").split(",") if c]
        for code in codes:
            programs_by_country[code] = programs_by_country.get(code, 0) + 1
        for region in program_regions(codes, org_country):
            row = programs_by_region.setdefault(region, {})
            row[fmt or UNSPECIFIED] = row.get(fmt or UNSPECIFIED, 0) + 1

    members_by_country = dict(
        profiles(level)
        .exclude(country="")
        .order_by()
        .values("country")
        .annotate(n=Count("pk"))
        .values_list("country", "n")
    )

    # The review workflow: every status (drafts too, as counts), by the regions covered.
    everything = Resource.objects.all()
    if level != "members":
        everything = everything.filter(access=Resource.Access.PUBLIC)
    all_case_studies = CaseStudy.objects.filter(
        resource__in=filters.apply(everything).filter(type=Resource.Type.CASE_STUDY).values("pk")
    )
    status_rows = (
        all_case_studies.order_by()
        .annotate(region=Unnest(F("resource__regions")))
        .values("region", "status")
        .annotate(n=Count("pk"))
        .values_list("region", "status", "n")
    )
    case_study_status = {}
    for region, status, n in status_rows:
        case_study_status.setdefault(region, {})[status] = n
    for status, n in (
        all_case_studies.filter(resource__regions=[])
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    ):
        case_study_status.setdefault(UNSPECIFIED, {})[status] = n

    resource_years = by_year(resources)
    case_study_years = by_year(case_studies)
    years = sorted(set(resource_years) | set(case_study_years))
    return {
        "countries": {
            Metric.RESOURCES: _by_country(resources),
            Metric.CASE_STUDIES: _by_country(case_studies),
            Metric.PROGRAMS: programs_by_country,
            Metric.MEMBERS: members_by_country,
        },
        "years": [
            {
                "year": year,
                "resources": resource_years.get(year, (0, 0, 0)),
                "case_studies": case_study_years.get(year, (0, 0, 0)),
            }
            for year in years
        ],
        "case_study_status": case_study_status,
        "programs_by_region": programs_by_region,
    }


def topics(level):
    """(slug, name) of the topics of the resources counted at this access level: the topic
    filter's choices (a draft's or a members-only record's topics are not offered to
    visitors)."""

    def compute():
        content_type = ContentType.objects.get_for_model(Resource)
        return list(
            Tag.objects.filter(
                taggit_taggeditem_items__content_type=content_type,
                taggit_taggeditem_items__object_id__in=library(level).values("pk"),
            )
            .distinct()
            .order_by("name")
            .values_list("slug", "name")
        )

    return cached(["resources"], ("evidence-topics", level), compute)


def figures(user, filters):
    level = access_level(user)
    return cached(
        NAMESPACES, ("evidence-figures", level, filters.key()), lambda: compute(level, filters)
    )


def region_label(key):
    return dict(Region.choices).get(key) or _("Region not given")
