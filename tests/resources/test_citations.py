"""BibTeX and RIS for one resource and for a result list; the Atom feed; the record page."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from resources.models import Resource
from tests.helpers import make_resource

pytestmark = pytest.mark.django_db


def parse_bibtex(text):
    """A tiny BibTeX reader: entries of `@type{key, name = {value}, ...}`."""
    entries = []
    for kind, key, body in re.findall(r"@(\w+)\{([^,]+),\n(.*?)\n\}", text, re.S):
        fields = dict(re.findall(r"^\s+(\w+) = \{(.*)\},?$", body, re.M))
        entries.append({"type": kind, "key": key, **fields})
    return entries


def parse_ris(text):
    """A tiny RIS reader: `TAG  - value` lines, records ending with ER."""
    records, current = [], {}
    for line in text.splitlines():
        tag, _, value = line.partition("  - ")
        if tag == "ER":
            records.append(current)
            current = {}
        elif tag:
            current.setdefault(tag, []).append(value)
    return records


@pytest.fixture
def article(db):
    return make_resource(
        "Leading schools & learning: 100% evidence",
        type=Resource.Type.JOURNAL_ARTICLE,
        authors="Ama Mensah; Luis Pérez",
        publisher="Journal of School Leadership",
        publication_year=2021,
        abstract="Leadership {matters} for learning.",
        doi="10.1234/jsl.2021.1",
        topics=["evidence"],
    )


def test_bibtex_of_one_resource_parses_back(client, article):
    response = client.get(reverse("resources:cite", kwargs={"slug": article.slug, "fmt": "bib"}))
    assert response["Content-Type"].startswith("application/x-bibtex")
    [entry] = parse_bibtex(response.content.decode())
    assert entry["type"] == "article"
    assert entry["title"] == r"Leading schools \& learning: 100\% evidence"
    assert entry["author"] == "Ama Mensah and Luis Pérez"
    assert entry["year"] == "2021"
    assert entry["doi"] == "10.1234/jsl.2021.1"
    assert entry["abstract"] == r"Leadership \{matters\} for learning."


def test_ris_of_one_resource_parses_back(client, article):
    response = client.get(reverse("resources:cite", kwargs={"slug": article.slug, "fmt": "ris"}))
    [record] = parse_ris(response.content.decode())
    assert record["TY"] == ["JOUR"]
    assert record["TI"] == [article.title]
    assert record["AU"] == ["Ama Mensah", "Luis Pérez"]
    assert record["PY"] == ["2021"]
    assert record["KW"] == ["evidence"]


def test_result_list_exports(client, article):
    make_resource("Another evidence review", type=Resource.Type.REPORT)
    make_resource("Secret evidence", access=Resource.Access.MEMBERS)
    bib = client.get(reverse("resources:export", kwargs={"fmt": "bib"}), {"q": "evidence"})
    assert len(parse_bibtex(bib.content.decode())) == 2
    ris = client.get(
        reverse("resources:export", kwargs={"fmt": "ris"}), {"q": "evidence", "type": "report"}
    )
    assert [r["TI"] for r in parse_ris(ris.content.decode())] == [["Another evidence review"]]
    assert client.get(reverse("resources:export", kwargs={"fmt": "xml"})).status_code == 404


def test_members_only_citation_is_for_members(client, members_resource, member_user):
    url = reverse("resources:cite", kwargs={"slug": members_resource.slug, "fmt": "bib"})
    response = client.get(url)
    assert response.status_code == 302  # a visitor signs in first
    assert response["Location"].startswith(reverse("account_login"))
    client.force_login(member_user)
    response = client.get(url)
    assert response.status_code == 200
    assert members_resource.title in response.content.decode()


def test_atom_feed_lists_new_public_resources(client, article, members_resource):
    response = client.get(reverse("resources:feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.findtext("a:title", namespaces=ns) for e in root.findall("a:entry", ns)]
    assert titles == [article.title]


def test_record_page_shows_citation_related_and_event(
    client, article, django_assert_max_num_queries
):
    related = make_resource("More evidence", topics=["evidence"])
    with django_assert_max_num_queries(6):
        response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert "Ama Mensah; Luis Pérez (2021)" in html
    assert related.title in html
    assert reverse("resources:cite", kwargs={"slug": article.slug, "fmt": "ris"}) in html


def test_history_resources_are_searchable_with_their_event(client, history):
    resource = Resource.objects.exclude(related_event=None).select_related("related_event").first()
    assert resource.search_vector
    html = client.get(resource.get_absolute_url()).content.decode()
    assert resource.related_event.get_absolute_url() in html
    response = client.get(reverse("resources:list"), {"q": resource.title.split()[0]})
    assert resource.title in response.content.decode()
