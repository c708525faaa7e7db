"""sitemap.xml, robots.txt, OpenGraph/Twitter tags, JSON-LD and citation_* tags."""

import json
import re

import pytest
from django.urls import reverse
from lxml import etree

from events.models import Event
from members.models import Member, Organization
from resources.models import CaseStudy, Resource
from tests.evidence.helpers import case_study
from tests.helpers import make_resource, make_user, pdf_upload

SM = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_locations(client):
    index = etree.fromstring(client.get("/sitemap.xml").content)
    locations = []
    for section in index.xpath("//s:sitemap/s:loc/text()", namespaces=SM):
        path = section.split("://", 1)[1].split("/", 1)[1]
        response = client.get("/" + path)
        assert response.status_code == 200
        locations += etree.fromstring(response.content).xpath("//s:url/s:loc/text()", namespaces=SM)
    return {"/" + loc.split("://", 1)[1].split("/", 1)[1] for loc in locations}


def test_sitemap_lists_every_public_page_and_nothing_private(client, history):
    public = make_resource("Open report", countries=["GH"])
    hidden = make_resource("Members report", access=Resource.Access.MEMBERS)
    published = case_study("Open study", status=CaseStudy.Status.PUBLISHED, countries=["KE"])
    draft = case_study("Draft study", status=CaseStudy.Status.DRAFT, countries=["KE"])
    shown = Member.objects.create(
        user=make_user("p@example.org"),
        name="Pat",
        slug="pat",
        status="approved",
        visibility="public",
    )
    secret = Member.objects.create(
        user=make_user("s@example.org"),
        name="Sam",
        slug="sam",
        status="approved",
        visibility="members",
    )
    locations = sitemap_locations(client)
    for name in (
        "home",
        "about",
        "journey",
        "living_lab",
        "evidence:evidence",
        "evidence:impact",
        "resources:list",
        "events:list",
    ):
        assert reverse(name) in locations
    assert public.get_absolute_url() in locations
    assert published.get_absolute_url() in locations
    assert shown.get_absolute_url() in locations
    for event in Event.objects.all():
        assert event.get_absolute_url() in locations
    for organization in Organization.objects.all():
        assert organization.get_absolute_url() in locations
    for private in (hidden, draft, secret):
        assert private.get_absolute_url() not in locations
    for path in list(locations)[:40]:
        assert client.get(path).status_code == 200, path


def test_robots_points_to_the_sitemap(client, settings):
    settings.SITE_URL = "https://all-in.example.org"
    body = client.get("/robots.txt").content.decode()
    assert "Sitemap: https://all-in.example.org/sitemap.xml" in body


def json_ld(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def meta(html, attribute, name):
    found = re.findall(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', html)
    return found


def test_event_json_ld(client, history):
    event = Event.objects.get(slug="paris-2019")
    html = client.get(event.get_absolute_url()).content.decode()
    (data,) = json_ld(html)
    assert data["@type"] == "Event"
    assert data["name"] == event.title
    assert data["startDate"] == "2019-02-20"
    assert data["location"]["address"]["addressLocality"] == "Paris"
    assert data["location"]["address"]["addressCountry"] == "FR"
    assert data["url"].endswith(event.get_absolute_url())


@pytest.mark.parametrize(
    ("kind", "schema"),
    [
        (Resource.Type.JOURNAL_ARTICLE, "ScholarlyArticle"),
        (Resource.Type.REPORT, "Report"),
        (Resource.Type.TOOLKIT, "CreativeWork"),
    ],
)
def test_resource_json_ld_and_citation_tags(client, db, kind, schema):
    resource = make_resource(
        'Leading "schools" </script><script>alert(1)</script>',
        type=kind,
        authors="Ama Mensah; Kofi Boateng",
        publication_year=2021,
        publisher="WISE",
        topics=["equity"],
        upload=pdf_upload(),
    )
    html = client.get(resource.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    (data,) = json_ld(html)
    assert data["@type"] == schema
    assert data["name"] == resource.title  # the closing tag was escaped, the text kept
    assert [a["name"] for a in data["author"]] == ["Ama Mensah", "Kofi Boateng"]
    assert data["datePublished"] == "2021"
    assert meta(html, "name", "citation_title") == [
        "Leading &quot;schools&quot; &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
    ]
    assert meta(html, "name", "citation_author") == ["Ama Mensah", "Kofi Boateng"]
    assert meta(html, "name", "citation_publication_date") == ["2021"]
    assert meta(html, "name", "citation_pdf_url")[0].endswith(resource.get_download_url())


def test_members_only_record_has_no_scholarly_metadata_for_visitors(client, db):
    """A visitor's library, the sitemap and OAI-PMH leave the record out: its page does not
    offer it to crawlers either (its title and abstract stay readable as a preview)."""
    resource = make_resource(
        "Members file",
        access=Resource.Access.MEMBERS,
        authors="Ama Mensah",
        publication_year=2021,
        upload=pdf_upload(),
    )
    response = client.get(resource.get_absolute_url())
    assert response.status_code == 200 and "Members file" in response.text
    assert not re.search(r'name="citation_', response.text)
    assert json_ld(response.text) == []


def test_members_only_record_keeps_its_metadata_for_members(member_client, db):
    """Members may read the record in the library, so its page keeps its tags for them
    (never the file's address: citation_pdf_url points only at public files)."""
    resource = make_resource("Members file", access=Resource.Access.MEMBERS, upload=pdf_upload())
    html = member_client.get(resource.get_absolute_url()).content.decode()
    assert meta(html, "name", "citation_title") == ["Members file"]
    assert meta(html, "name", "citation_pdf_url") == []
    assert json_ld(html)[0]["name"] == "Members file"


def test_members_only_case_study_has_no_scholarly_metadata_for_visitors(client, db):
    study = case_study(
        "Closed study",
        status=CaseStudy.Status.PUBLISHED,
        countries=["KE"],
        access=Resource.Access.MEMBERS,
    )
    html = client.get(study.get_absolute_url()).content.decode()
    assert "Closed study" in html
    assert not re.search(r'name="citation_', html) and json_ld(html) == []


def test_case_study_has_citation_tags(client, db):
    study = case_study("Open study", status=CaseStudy.Status.PUBLISHED, countries=["KE"])
    response = client.get(study.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert meta(html, "name", "citation_title") == ["Open study"]
    assert json_ld(html)[0]["@type"] == "Report"


def test_organization_and_network_json_ld(client, history):
    organization = Organization.objects.get(slug="wise")
    (data,) = json_ld(client.get(organization.get_absolute_url()).content.decode())
    assert data["@type"] == "Organization" and data["name"] == organization.name
    (network,) = json_ld(client.get(reverse("home")).content.decode())
    assert network["@type"] == "Organization" and network["alternateName"] == "ALL-IN"


@pytest.mark.parametrize(
    "name",
    [
        "home",
        "about",
        "journey",
        "living_lab",
        "evidence:evidence",
        "evidence:impact",
        "resources:list",
        "events:list",
        "members:list",
        "contact",
    ],
)
def test_open_graph_and_twitter_tags_on_public_pages(client, history, name):
    html = client.get(reverse(name)).content.decode()
    for prop in ("og:title", "og:description", "og:url", "og:type", "og:site_name"):
        assert len(meta(html, "property", prop)) == 1, prop
    assert meta(html, "name", "twitter:card") == ["summary"]
    assert meta(html, "property", "og:url")[0].endswith(reverse(name))


def test_detail_pages_carry_their_own_title(client, history):
    event = Event.objects.get(slug="paris-2019")
    html = client.get(event.get_absolute_url()).content.decode()
    assert meta(html, "property", "og:title") == [event.title]
