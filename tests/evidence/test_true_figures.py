"""Every figure on /impact/ says what it counts, and agrees with a count made another way
(plain Python over the rows, not the page's grouped queries)."""

import datetime

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from core.countries import is_oecd, region_for
from events.models import Event, Registration
from evidence import measures
from members.models import Member, Organization, Program
from pages.models import ImpactIndicator
from resources import services
from resources.models import CaseStudy, Resource, UsageByYear
from tests.evidence.helpers import case_study
from tests.helpers import make_event, make_member

Measure = ImpactIndicator.Measure


def attend(event, member, *, checked_in=True):
    return Registration.objects.create(
        event=event,
        user=member.user,
        name=member.name,
        email=member.user.email,
        country=member.country,
        status=Registration.Status.CONFIRMED,
        checked_in_at=timezone.now() if checked_in else None,
    )


def test_every_impact_figure_is_counted_another_way(client, history):
    case_study("Kenya study", status=CaseStudy.Status.PUBLISHED, countries=["KE"], year=2021)
    case_study("France study", status=CaseStudy.Status.PUBLISHED, countries=["FR"], year=2021)
    case_study("Undated study", status=CaseStudy.Status.PUBLISHED, countries=["GH"], year=None)
    case_study("Draft study", status=CaseStudy.Status.DRAFT, countries=["GH"], year=2021)
    services.count_use(UsageByYear.Kind.DOWNLOAD)
    # A gathering held in Qatar (the venue's region) attended by people from elsewhere.
    past = timezone.now() - datetime.timedelta(days=30)
    event = make_event(
        slug="doha-2026",
        country="QA",
        starts_at=past,
        ends_at=past + datetime.timedelta(hours=3),
    )
    attend(event, make_member("gh@example.org", "Ama", country="GH"))
    attend(event, make_member("br@example.org", "Bia", country="BR"))
    attend(event, make_member("nc@example.org", "Nobody", country=""))
    attend(event, make_member("no@example.org", "Absent", country="FR"), checked_in=False)
    attend(event, make_member("qa@example.org", "Hamad", country="QA"), checked_in=False)

    results = measures.compute_all(AnonymousUser())

    published = [
        r for r in Resource.objects.all() if r.is_published and r.access == Resource.Access.PUBLIC
    ]
    studies = [r for r in published if r.type == Resource.Type.CASE_STUDY]
    figure = results[Measure.CASE_STUDIES]
    assert figure["number"] == len(studies)
    assert sum(n for _label, n in figure["points"]) == len(studies)  # the years add up
    assert figure["label"] == "Case studies published, all years"

    def covers_non_oecd(r):
        return any(not is_oecd(str(c)) for c in r.countries)

    with_country = [r for r in studies if r.countries]
    share = round(100 * sum(map(covers_non_oecd, with_country)) / len(with_country))
    assert results[Measure.NON_OECD_CASE_STUDIES]["number"] == share

    non_oecd = [r for r in published if r.countries and covers_non_oecd(r)]
    figure = results[Measure.NON_OECD_RESOURCES]
    assert figure["number"] == len(non_oecd)
    assert sum(n for _label, n in figure["points"]) == len(non_oecd)

    assert results[Measure.DOWNLOADS]["number"] == sum(u.count for u in UsageByYear.objects.all())

    with_program = {p.organization_id for p in Program.objects.all()}
    assert results[Measure.PARTNERSHIPS]["number"] == len(with_program)
    regions = {region_for(o.country) for o in Organization.objects.filter(pk__in=with_program)}
    assert results[Measure.PARTNER_REGIONS]["number"] == len(regions - {None, ""})

    now = timezone.now()
    held = [e for e in Event.objects.all() if e.status == "scheduled" and e.ends_at < now]
    assert results[Measure.EVENTS]["number"] == len(held)

    # Participants by their own country's region; a gathering known by its reported total
    # only counts as region not known.
    by_region = {}
    for e in held:
        came = [r for r in e.registrations.all() if r.status == "confirmed" and r.checked_in_at]
        if came:
            for r in came:
                key = str(region_for(str(r.country)) or "not known")
                by_region[key] = by_region.get(key, 0) + 1
        elif e.reported_participants is not None:
            by_region["not known"] = by_region.get("not known", 0) + e.reported_participants
    figure = results[Measure.PARTICIPANTS]
    assert figure["number"] == sum(by_region.values())
    points = dict(figure["points"])
    assert points["Sub-Saharan Africa"] == by_region["sub_saharan_africa"] == 1
    assert points["Latin America and the Caribbean"] == 1
    assert points["Region not known"] == by_region["not known"]
    # Held in Qatar, yet nobody from the Middle East came: the venue's region counts nothing.
    assert by_region.get("middle_east_north_africa", 0) == points.get(
        "Middle East and North Africa", 0
    )
    assert figure["label"] == "Participants in the gatherings held"

    html = client.get(reverse("evidence:impact")).text
    assert "Case studies published per year" not in html
    assert "Participants by the region of their own country" in html


def test_impact_labels_follow_the_language(client, history):
    client.get(reverse("evidence:impact"))  # fills the cache in English
    html = client.get(reverse("evidence:impact"), HTTP_ACCEPT_LANGUAGE="fr").text
    assert 'lang="fr"' in html
    assert "Case studies published, all years" not in html


def test_home_figures_say_what_they_count_and_agree_with_another_count(client, history):
    from pages.views import network_counts

    case_study("Public study", status=CaseStudy.Status.PUBLISHED, countries=["KE"])
    case_study(
        "Members study", status=CaseStudy.Status.PUBLISHED, countries=["KE"], access="members"
    )
    case_study("Draft study", status=CaseStudy.Status.DRAFT, countries=["KE"])
    make_member("a@example.org", "Ama", country="BR")
    make_member("b@example.org", "Applicant", country="JP", status="applied")
    counts = network_counts()
    approved = [m for m in Member.objects.all() if m.status == "approved"]
    now = timezone.now()
    held = [e for e in Event.objects.all() if e.status == "scheduled" and e.ends_at < now]
    assert counts["members"] == len(approved)
    assert counts["events"] == len(held)
    countries = {str(m.country) for m in approved} | {str(e.country) for e in held}
    assert counts["countries"] == len(countries - {""})
    public = [
        r
        for r in Resource.objects.filter(type="case_study")
        if r.is_published and r.access == "public"
    ]
    assert counts["case_studies"] == len(public) == 1
    html = client.get(reverse("home")).text
    for label in ["countries of members and gatherings", "gatherings held", "public case studies"]:
        assert f"<dt>{label}</dt>" in html


def test_evidence_summary_counts_country_mentions(client, db):
    from tests.helpers import make_resource

    make_resource("Two countries", countries=["GH", "FR"])
    make_resource("One country", countries=["KE"])
    make_resource("No country")
    make_resource("Members only", countries=["BR"], access="members")
    response = client.get(reverse("evidence:evidence"))
    visible = [r for r in Resource.objects.all() if r.is_published and r.access == "public"]
    mentions = sum(len(r.countries) for r in visible)
    non_oecd = sum(1 for r in visible for c in r.countries if not is_oecd(str(c)))
    assert response.context["total"] == mentions == 3
    assert response.context["non_oecd"] == non_oecd == 2
    assert "3 country mentions in all; 67% of them are of non-OECD countries." in response.text
    assert "3 countries have figures." in response.text
