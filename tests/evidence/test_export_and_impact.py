"""The JSON export, the impact indicators and the texts of the seeds now shown."""

import html as html_lib

import pytest
from django.urls import reverse

from events.models import Event
from pages.history import load_history, read_history
from pages.models import ImpactIndicator, JourneyStage, ReadingList
from resources import services
from resources.models import CaseStudy, Pathway, Resource, UsageByYear
from tests.evidence.helpers import case_study
from tests.helpers import make_resource


def test_json_export_pages_public_records(client, db, settings):
    from evidence import export

    settings.SITE_URL = "https://all-in.example.org"
    for n in range(export.PAGE_SIZE + 5):
        make_resource(f"Record {n}", slug=f"record-{n}", countries=["GH"])
    make_resource("Members record", access=Resource.Access.MEMBERS)
    case_study("Draft study", status=CaseStudy.Status.DRAFT, countries=["KE"])
    first = client.get(reverse("evidence:export", args=["resources"])).json()
    assert first["count"] == export.PAGE_SIZE + 5
    assert first["pages"] == 2 and len(first["results"]) == export.PAGE_SIZE
    second = client.get(first["next"].split("://", 1)[1].split("/", 1)[1].join(["/", ""])).json()
    assert len(second["results"]) == 5 and second["next"] is None
    titles = {r["title"] for r in first["results"] + second["results"]}
    assert "Members record" not in titles and "Draft study" not in titles
    assert first["results"][0]["countries"] == ["GH"]


def test_json_export_of_events_and_organizations(client, history):
    events = client.get(reverse("evidence:export", args=["events"])).json()
    assert events["count"] == Event.objects.count()
    organizations = client.get(reverse("evidence:export", args=["organizations"])).json()
    assert any(o["programs"] for o in organizations["results"])


@pytest.mark.parametrize("page", ["abc", "0", "99", "-1"])
def test_json_export_bad_pages(client, db, page):
    response = client.get(reverse("evidence:export", args=["resources"]), {"page": page})
    assert response.status_code in (400, 404)


def test_json_export_refuses_unknown_kinds_and_writes(client, db):
    assert client.get("/export/members.json").status_code == 404
    assert client.post(reverse("evidence:export", args=["events"])).status_code == 405


def test_impact_page_states_the_numbers(client, history):
    make_resource(
        "Ghana study", countries=["GH"], publication_year=2020, type=Resource.Type.CASE_STUDY
    )
    case_study("Kenya study", status=CaseStudy.Status.PUBLISHED, countries=["KE"], year=2021)
    case_study("France study", status=CaseStudy.Status.PUBLISHED, countries=["FR"], year=2021)
    services.count_use(UsageByYear.Kind.DOWNLOAD)
    services.count_use(UsageByYear.Kind.CITATION_EXPORT)
    html = client.get(reverse("evidence:impact")).content.decode()
    for indicator in ImpactIndicator.objects.all():
        assert indicator.text.replace("'", "&#x27;") in html
    published = Resource.objects.case_studies().filter(access="public").count()
    assert f'<p class="number">{published}</p>' in html
    # 2 of the 3 dated case studies with a country cover a non-OECD country.
    assert '<p class="number">67%</p>' in html
    assert '<p class="number">2</p>' in html  # downloads and citation exports this year
    # The policy indicator cannot be measured: it says so.
    assert "The portal cannot measure this indicator" in html
    assert html.count("<svg") >= 5


def test_unmeasurable_indicator_shows_admin_evidence_links(client, history):
    policy = ImpactIndicator.objects.get(measures=[])
    policy.evidence_links = "https://example.org/policy-brief A policy brief\njavascript:alert(1)"
    policy.save()
    html = client.get(reverse("evidence:impact")).content.decode()
    assert '<a href="https://example.org/policy-brief" rel="noopener">A policy brief</a>' in html
    assert "javascript:alert" not in html


def test_network_admin_edits_an_indicator_in_the_back_office(network_admin_client, history):
    indicator = ImpactIndicator.objects.get(term="long", order=2)
    url = reverse("admin:pages_impactindicator_change", args=[indicator.pk])
    assert network_admin_client.get(url).status_code == 200
    response = network_admin_client.post(
        url,
        {
            "term": "long",
            "order": 2,
            "text_en": indicator.text,
            "measures": ["events"],
            "measurement_note": "",
            "evidence_links": "",
        },
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.measures == ["events"]


def test_visitor_cannot_open_the_back_office_indicator(client, member_client, history):
    indicator = ImpactIndicator.objects.first()
    url = reverse("admin:pages_impactindicator_change", args=[indicator.pk])
    assert member_client.get(url).status_code == 302


def test_history_loads_twice_and_fills_new_fields(db):
    data = read_history()
    load_history(data)
    counts = {m: m.objects.count() for m in (ImpactIndicator, JourneyStage, ReadingList)}
    ImpactIndicator.objects.update(measures=[])  # as loaded before measures existed
    ReadingList.objects.first().items.all().delete()
    assert load_history(data) != {}
    assert {m: m.objects.count() for m in counts} == counts
    assert ImpactIndicator.objects.exclude(measures=[]).count() == 4
    assert all(r.items.exists() for r in ReadingList.objects.all())
    assert load_history(data) == {}


def test_journey_groups_the_gatherings_by_stage(client, history):
    Event.objects.create(
        title="Demo webinar",
        slug="demo-webinar",
        series="other",
        format="online",
        starts_at="2024-01-01T10:00Z",
        ends_at="2024-01-01T11:00Z",
    )
    html = client.get(reverse("journey")).content.decode()
    hidden_colon = '<span class="visually-hidden">:</span>'
    for stage in JourneyStage.objects.exclude(title=""):
        title = stage.title.replace("&", "&amp;")
        assert f'<span class="eyebrow">{stage.name}{hidden_colon}</span> {title}' in html
    assert '<h2 id="stage-next-steps">Next steps</h2>' in html
    assert "Setting the scene" in html and "Accra &amp; New York Workshops" in html
    assert "Demo webinar" not in html
    positions = [
        html.index(f"/events/{slug}/")
        for slug in (
            "launch-wise-2017",
            "accra-2018",
            "new-york-2018",
            "paris-2019",
            "doha-wise-2019",
        )
    ]
    assert positions == sorted(positions)
    # A fact from outside the seeds (Doha for the launch) comes with a note for readers;
    # the secretariat's editorial notes (seed numbers, what to check) stay off the site.
    assert "About the sources" in html
    assert "The place shown is that of the WISE 2017 summit" in html
    for internal in ("seeds", "outside knowledge", "check before publishing", "judgement call"):
        assert internal not in html, internal
    launch = client.get(reverse("events:detail", args=["launch-wise-2017"])).content.decode()
    assert "About the sources" in launch and "WISE 2017 summit" in launch


def test_seed_texts_are_shown(client, history):
    about = html_lib.unescape(client.get(reverse("about")).content.decode())
    assert "was established in 2017 as a global community of practice" in about
    for pathway in Pathway.objects.all():
        for line in pathway.actions.splitlines():
            assert line.split(". ", 1)[1] in about
    living_lab = client.get(reverse("living_lab")).content.decode()
    for title in (
        "Education Disrupted, Education Reimagined",
        "More on Educational Leadership",
        "Special Focus: Series of Articles by Global Experts",
    ):
        assert title in living_lab
    assert "The New Normal: Online Professional Development for School Leaders" in living_lab
    evidence = client.get(reverse("evidence:evidence")).content.decode()
    assert "The WISE Research Series" in evidence
