"""Every site page renders for visitors and members, with the network's facts on it."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from pages.models import ContentBlock
from tests.helpers import make_case_study, make_resource, make_user

PAGES = [
    ("home", "Agile Leaders of Learning Innovation Network"),
    ("about", "Three pathways to success"),
    ("journey", "The journey of ALL-IN"),
    ("living_lab", "Learning Ecosystems Living Lab"),
    ("contact", "research@wise.org.qa"),
    ("events:list", "Past gatherings"),
    ("resources:list", "Resource library"),
    ("resources:case_studies", "Case studies"),
    ("members:list", "Member directory"),
    ("members:organizations", "Organizations"),
    ("account_login", "<title>Sign in · ALL-IN</title>"),
    ("account_signup", "<title>Sign up · ALL-IN</title>"),
]


@pytest.mark.parametrize(("name", "text"), PAGES)
def test_page_renders_for_visitor(client, history, name, text):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert text in response.text
    assert 'lang="en"' in response.text
    assert '<main id="main"' in response.text


@pytest.mark.parametrize(("name", "text"), [p for p in PAGES if not p[0].startswith("account")])
def test_page_renders_for_member(member_client, history, name, text):
    response = member_client.get(reverse(name))
    assert response.status_code == 200
    assert text in response.text
    assert "Sign out" in response.text


@pytest.mark.parametrize("name", ["home", "about", "journey", "living_lab", "contact"])
def test_site_pages_refuse_post(client, db, name):
    assert client.post(reverse(name)).status_code == 405


def test_home_shows_network_counts_and_pathways(client, history):
    response = client.get(reverse("home"))
    counts = response.context["counts"]
    # Gatherings that took place: not the planned, unconfirmed or postponed ones.
    assert counts["events"] == 7
    # Ghana, USA, France, Qatar: the countries of those gatherings.
    assert counts["countries"] == 4
    assert "case studies</dt>" not in response.text  # none yet: a zero is not shown
    for pathway in ["Research Pathway", "Programs Pathway", "Advocacy Pathway"]:
        assert pathway in response.text


def test_about_has_mission_pathways_indicators_ell_and_partners(client, history):
    text = client.get(reverse("about")).text
    assert "resilient and future-thriving learning environments" in text  # mission
    assert "Key impact indicators" in text
    assert "Increase in systemic research on school leadership in non-OECD countries" in text
    assert "Empowering Leaders of Learning" in text
    assert "Salzburg Global Seminar" in text
    assert "Shelby Cosner" in text


def test_journey_shows_every_gathering_in_order_with_figures(client, history):
    text = client.get(reverse("journey")).text
    places = [
        "November 2017",
        "9 May 2018",
        "21 September 2018",
        "20 February 2019",
        "November 2019",
    ]
    positions = [text.index(place) for place in places]
    assert positions == sorted(positions)
    for city in ["Accra", "New York", "Paris", "Doha"]:
        assert city in text
    assert "<strong>42</strong> participants" in text
    assert "<strong>14</strong> countries" in text
    assert "over 35" in text
    assert "Postponed" in text  # Bogotá with WISE@Colombia


def test_living_lab_lists_both_panels(client, history):
    text = client.get(reverse("living_lab")).text
    assert "10 December 2020" in text
    assert "16 February 2021" in text
    assert "Designing Vibrant and Purposeful Learning Communities" in text


def test_content_edited_in_back_office_shows_on_site(client, history):
    ContentBlock.objects.filter(key="contact").update(body="Write to secretariat@all-in.example")
    assert "secretariat@all-in.example" in client.get(reverse("contact")).text


def test_markdown_content_is_sanitised(client, history):
    ContentBlock.objects.filter(key="contact").update(
        body="<script>alert(1)</script> [click](javascript:alert(2)) <img src=x onerror=alert(3)>"
    )
    text = client.get(reverse("contact")).text
    assert "<script>alert(1)" not in text
    assert "javascript:" not in text
    assert "onerror" not in text


def test_pages_work_on_an_empty_database(client, db):
    for name, _text in PAGES:
        assert client.get(reverse(name)).status_code == 200


def test_unknown_event_and_resource_are_404(client, history):
    assert client.get(reverse("events:detail", kwargs={"slug": "nowhere"})).status_code == 404
    assert client.get(reverse("resources:detail", kwargs={"slug": "nothing"})).status_code == 404


def test_stylesheet_blocks_are_all_closed():
    # An unclosed @media block silently turns every later rule off.
    css = (Path(settings.BASE_DIR) / "static" / "css" / "site.css").read_text()
    depth = 0
    for line_number, line in enumerate(css.splitlines(), start=1):
        depth += line.count("{") - line.count("}")
        assert depth >= 0, f"stray }} on line {line_number}"
        if line.startswith("/* ") and line.endswith(" */"):
            assert depth == 0, f"section {line} starts inside an open block"
    assert depth == 0


def test_about_has_in_page_navigation_to_every_section(client, history):
    html = client.get(reverse("about")).text
    nav = html.split('<nav class="toc"', 1)[1].split("</nav>", 1)[0]
    targets = re.findall(r'href="#([\w-]+)"', nav)
    assert len(targets) >= 6
    for target in targets:
        assert f'id="{target}"' in html, target


def test_home_lists_the_newest_published_resources_each_reader_may_open(client, db):
    researcher = make_user("r@example.org", "Researchers")
    make_resource("Public report")
    make_resource("Members report", access="members")
    make_case_study(researcher, title="My draft study")
    newest = {r.title for r in client.get(reverse("home")).context["newest_resources"]}
    assert newest == {"Public report"}
    client.force_login(researcher)
    newest = {r.title for r in client.get(reverse("home")).context["newest_resources"]}
    assert newest == {"Public report", "Members report"}  # not their own draft
