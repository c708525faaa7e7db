"""Site-wide pages: home, about, journey, Living Lab, contact."""

from django.conf import settings
from django.db import connection
from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from core.datacache import cached
from events.models import Event
from members.models import Member, Program
from pages.models import (
    ContentBlock,
    ImpactIndicator,
    JourneyStage,
    Partner,
    ReadingList,
    ReadingListItem,
)
from resources.models import AbstractTranslation, Pathway, Resource


def content_blocks(*keys):
    return ContentBlock.objects.in_bulk(keys, field_name="key")


def compute_network_counts():
    """The home page's figures, counted by PostgreSQL in one query (no rows into Python)."""
    members = Member.objects.approved()
    held = Event.objects.held()  # over, and not planned, postponed or cancelled
    countries = (
        members.exclude(country="")
        .order_by()
        .values("country")
        .union(held.exclude(country="").order_by().values("country"))  # UNION: distinct codes
    )
    case_studies = Resource.objects.case_studies().filter(access=Resource.Access.PUBLIC)
    parts = {
        "members": members.order_by().values("pk"),
        "countries": countries,
        "events": held.order_by().values("pk"),
        "case_studies": case_studies.order_by().values("pk"),
    }
    selects, params = [], []
    for queryset in parts.values():
        sql, part_params = queryset.query.sql_with_params()
        selects.append(f"(SELECT count(*) FROM ({sql}) AS rows)")  # noqa: S608 - ORM SQL only
        params += part_params
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(selects), params)
        return dict(zip(parts, cursor.fetchone(), strict=True))


def network_counts():
    """The figures from the shared data cache, recomputed after any committed edit."""
    return cached(["members", "events", "resources"], ("network-counts",), compute_network_counts)


@require_safe
def home(request):
    return render(
        request,
        "pages/home.html",
        {
            "blocks": content_blocks("tagline", "intro", "mission"),
            "pathways": Pathway.objects.all(),
            "upcoming_events": Event.objects.upcoming()[:3],
            "recent_events": Event.objects.held().exclude(series=Event.Series.LIVING_LAB)[:4],
            "newest_resources": Resource.objects.published().visible_to(request.user)[:5],
            "counts": network_counts(),
        },
    )


@require_safe
def about(request):
    indicators = list(ImpactIndicator.objects.all())
    return render(
        request,
        "pages/about.html",
        {
            "blocks": content_blocks(
                "intro",
                "strategy_about",
                "community",
                "mission",
                "aims",
                "why_leadership",
                "evidence",
                "challenge",
                "approach",
                "outcome",
                "origin_questions",
                "action_plan",
                "next_objectives",
                "research_outcomes",
                "wise",
            ),
            "pathways": Pathway.objects.all(),
            "short_term": [i for i in indicators if i.term == ImpactIndicator.Term.SHORT],
            "long_term": [i for i in indicators if i.term == ImpactIndicator.Term.LONG],
            "partners": Partner.objects.all(),
            "programs": Program.objects.filter(featured=True).select_related("organization"),
        },
    )


@require_safe
def journey(request):
    # The network's gatherings, by stage of its journey (not every event in the database).
    # Figures from attendance where there is any, else as reported (Event.figures).
    gatherings = Prefetch(
        "events",
        queryset=Event.objects.with_attendance().order_by("starts_at"),
        to_attr="stage_events",
    )
    return render(
        request,
        "pages/journey.html",
        {
            "stages": JourneyStage.objects.prefetch_related(gatherings),
            "blocks": content_blocks("journey"),
        },
    )


@require_safe
def living_lab(request):
    panels = Event.objects.filter(series=Event.Series.LIVING_LAB)
    entries = Prefetch(
        "items",
        queryset=ReadingListItem.objects.select_related("resource", "event")
        .filter(Q(event__isnull=False) | Q(resource__in=Resource.objects.visible_to(request.user)))
        .annotate(
            # The record's title in the reader's language, where one is given.
            translated_title=Subquery(
                AbstractTranslation.objects.filter(
                    resource=OuterRef("resource"), language=get_language()
                ).values("title")[:1]
            )
        ),
        to_attr="entries",
    )
    return render(
        request,
        "pages/living_lab.html",
        {
            "reading_lists": ReadingList.objects.filter(
                page=ReadingList.Page.LIVING_LAB
            ).prefetch_related(entries),
            "blocks": content_blocks("living_lab_about", "living_lab_aims", "living_lab_context"),
            "upcoming_panels": panels.upcoming(),
            "past_panels": panels.past(),
        },
    )


@require_safe
def contact(request):
    return render(request, "pages/contact.html", {"blocks": content_blocks("contact")})


@require_safe
def robots_txt(request):
    """Also the benchmark's trivial view: no database, no template."""
    return HttpResponse(
        "User-agent: *\nDisallow: /admin/\nDisallow: /accounts/\n"
        f"Sitemap: {settings.SITE_URL}/sitemap.xml\n",
        content_type="text/plain",
    )
