"""Site-wide pages: home, about, journey, Living Lab, contact, health check."""

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from allin_portal.caching import public_page_cache
from allin_portal.models import ContentBlock, ImpactIndicator, Partner, Pathway
from events.models import Event
from members.models import Member, Program
from resources.models import Resource


def content_blocks(*keys):
    return ContentBlock.objects.in_bulk(keys, field_name="key")


def network_counts():
    members = Member.objects.approved()
    held = Event.objects.filter(status=Event.Status.SCHEDULED)  # not planned, postponed...
    member_countries = set(members.exclude(country="").values_list("country", flat=True).distinct())
    event_countries = set(held.exclude(country="").values_list("country", flat=True).distinct())
    return {
        "members": members.count(),
        "countries": len(member_countries | event_countries),
        "events": held.count(),
        "case_studies": Resource.objects.case_studies()
        .filter(access=Resource.Access.PUBLIC)
        .count(),
    }


@require_safe
@public_page_cache
def home(request):
    return render(
        request,
        "allin_portal/home.html",
        {
            "blocks": content_blocks("tagline", "intro", "mission"),
            "pathways": Pathway.objects.all(),
            "upcoming_events": Event.objects.upcoming()[:3],
            "recent_events": Event.objects.past()
            .filter(status=Event.Status.SCHEDULED)
            .exclude(series=Event.Series.LIVING_LAB)[:4],
            "newest_resources": Resource.objects.visible_to(request.user)[:5],
            "counts": network_counts(),
        },
    )


@require_safe
@public_page_cache
def about(request):
    indicators = list(ImpactIndicator.objects.all())
    return render(
        request,
        "allin_portal/about.html",
        {
            "blocks": content_blocks(
                "intro",
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
@public_page_cache
def journey(request):
    return render(
        request,
        "allin_portal/journey.html",
        {
            # Figures from attendance where there is any, else as reported (Event.figures).
            "events": Event.objects.with_attendance().order_by("starts_at"),
            "blocks": content_blocks("intro"),
        },
    )


@require_safe
@public_page_cache
def living_lab(request):
    panels = Event.objects.filter(series=Event.Series.LIVING_LAB)
    return render(
        request,
        "allin_portal/living_lab.html",
        {
            "blocks": content_blocks("living_lab_about", "living_lab_aims", "living_lab_context"),
            "upcoming_panels": panels.upcoming(),
            "past_panels": panels.past(),
        },
    )


@require_safe
@public_page_cache
def contact(request):
    return render(request, "allin_portal/contact.html", {"blocks": content_blocks("contact")})


@require_safe
def robots_txt(request):
    """Also the benchmark's trivial view: no database, no template."""
    return HttpResponse(
        "User-agent: *\nDisallow: /admin/\nDisallow: /accounts/\n", content_type="text/plain"
    )


@never_cache
@require_safe
def healthz(request):
    """Liveness and database check for load balancers and monitors."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        return JsonResponse({"ok": False, "database": False}, status=503)
    return JsonResponse({"ok": True, "database": True})
