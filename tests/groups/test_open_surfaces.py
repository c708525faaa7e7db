"""Members-only discussions never reach a visitor through the open surfaces: feeds, the
sitemap, OAI-PMH, the JSON exports, the pages' metadata."""

import pytest
from django.urls import reverse

from evidence.export import KINDS
from groups.services import start_thread
from tests.helpers import make_event, make_resource

SECRET = "Zanzibar fieldwork budget"


@pytest.fixture
def discussion(group, member):
    make_event()
    make_resource("A public report", access="public")
    return start_thread(group=group, author=member, title=SECRET, body=f"{SECRET} body")


def visitor_surfaces(client):
    urls = [
        reverse("sitemap"),
        reverse("evidence:oai") + "?verb=ListRecords&metadataPrefix=oai_dc",
        reverse("evidence:oai") + "?verb=ListIdentifiers&metadataPrefix=oai_dc",
        reverse("resources:feed"),
        reverse("events:feed"),
        reverse("home"),
        reverse("groups:list"),
        *[reverse("evidence:export", args=[kind]) for kind in KINDS],
    ]
    index = client.get(reverse("sitemap")).content.decode()
    urls += [
        "/" + part.split("/", 3)[3]
        for part in index.split("<loc>")[1:]
        for part in [part.split("<")[0]]
    ]
    return urls


def test_no_thread_title_on_any_open_surface(client, discussion):
    for url in visitor_surfaces(client):
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code == 200, url
        assert SECRET not in body.decode(), url
    assert client.get(discussion.get_absolute_url()).status_code == 404
    page = client.get(reverse("groups:detail", args=[discussion.group.slug])).content.decode()
    assert SECRET not in page


def test_thread_page_carries_no_social_metadata_of_its_own(client, discussion, member):
    client.force_login(member)
    html = client.get(discussion.get_absolute_url()).content.decode()
    assert 'property="og:title"' not in html and "ld+json" not in html


def test_the_surfaces_checked_include_every_sitemap_section(client, discussion):
    urls = visitor_surfaces(client)
    assert any(url.startswith("/sitemap-resources.xml") for url in urls)
    assert any(url.startswith("/sitemap-events.xml") for url in urls)
