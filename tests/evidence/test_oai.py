"""OAI-PMH 2.0 at /oai: the protocol's verbs and errors, and a real harvest over HTTP."""

import datetime
import time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone
from lxml import etree
from oaipmh_scythe import Scythe
from oaipmh_scythe.exceptions import BadArgument, BadVerb, IdDoesNotExist

from evidence import oai
from resources.models import CaseStudy, Resource
from tests.evidence.helpers import case_study
from tests.helpers import make_resource

URL = reverse("evidence:oai")
NS = {"o": "http://www.openarchives.org/OAI/2.0/", "dc": "http://purl.org/dc/elements/1.1/"}


def get(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    return etree.fromstring(response.content)


def error_code(tree):
    errors = tree.xpath("//o:error/@code", namespaces=NS)
    return errors[0] if errors else None


@pytest.fixture
def library(db):
    public = make_resource(
        "Leading schools in Ghana",
        abstract="Findings \x01 with a control character & <markup>.",
        authors="Ama Mensah; Kofi Boateng",
        countries=["GH"],
        publication_year=2020,
        topics=["equity"],
    )
    members = make_resource("Members-only toolkit", access=Resource.Access.MEMBERS)
    draft = case_study("Draft study", status=CaseStudy.Status.DRAFT, countries=["KE"])
    published = case_study("Published study", status=CaseStudy.Status.PUBLISHED, countries=["KE"])
    return {"public": public, "members": members, "draft": draft, "published": published}


def test_identify(client, db):
    tree = get(client, verb="Identify")
    assert tree.findtext("o:Identify/o:protocolVersion", namespaces=NS) == "2.0"
    assert tree.findtext("o:Identify/o:baseURL", namespaces=NS).endswith("/oai")
    assert tree.findtext("o:Identify/o:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"


def test_get_record_in_dublin_core(client, library):
    identifier = oai.identifier_for(library["public"])
    tree = get(client, verb="GetRecord", identifier=identifier, metadataPrefix="oai_dc")
    assert tree.xpath("//o:header/o:identifier/text()", namespaces=NS) == [identifier]
    assert tree.xpath("//dc:creator/text()", namespaces=NS) == ["Ama Mensah", "Kofi Boateng"]
    assert tree.xpath("//dc:coverage/text()", namespaces=NS) == ["Ghana"]
    assert tree.xpath("//dc:subject/text()", namespaces=NS) == ["equity"]
    # The control character is dropped (XML 1.0 refuses it); markup is escaped text.
    assert tree.xpath("//dc:description/text()", namespaces=NS) == [
        "Findings  with a control character & <markup>."
    ]


def test_only_public_published_records_are_exposed(client, library):
    tree = get(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    ids = set(tree.xpath("//o:header/o:identifier/text()", namespaces=NS))
    assert ids == {oai.identifier_for(library["public"]), oai.identifier_for(library["published"])}
    for hidden in ("members", "draft"):
        tree = get(
            client,
            verb="GetRecord",
            identifier=oai.identifier_for(library[hidden]),
            metadataPrefix="oai_dc",
        )
        assert error_code(tree) == "idDoesNotExist"


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "DeleteEverything"}, "badVerb"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "Identify", "extra": "1"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "yesterday"}, "badArgument"),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2020-01-01",
                "until": "2019-01-01T00:00:00Z",
            },
            "badArgument",
        ),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2021-01-01",
                "until": "2020-01-01",
            },
            "badArgument",
        ),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "nope"}, "badArgument"),
        ({"verb": "ListRecords", "resumptionToken": "forged"}, "badResumptionToken"),
        (
            {"verb": "ListRecords", "resumptionToken": "x", "metadataPrefix": "oai_dc"},
            "badArgument",
        ),
        (
            {"verb": "GetRecord", "identifier": "oai:elsewhere:1", "metadataPrefix": "oai_dc"},
            "idDoesNotExist",
        ),
        (
            {"verb": "GetRecord", "identifier": "\u212a<'\"", "metadataPrefix": "oai_dc"},
            "idDoesNotExist",
        ),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2999-01-01"},
            "noRecordsMatch",
        ),
    ],
)
def test_errors(client, library, params, code):
    tree = get(client, **params)
    assert error_code(tree) == code
    if code in ("badVerb", "badArgument"):
        assert tree.find("o:request", namespaces=NS).attrib == {}


def test_repeated_argument_is_bad(client, db):
    response = client.get(URL + "?verb=Identify&verb=Identify")
    assert error_code(etree.fromstring(response.content)) == "badArgument"


def test_post_is_allowed_and_other_methods_refused(client, db):
    response = client.post(URL, {"verb": "Identify"})
    assert error_code(etree.fromstring(response.content)) is None
    assert client.put(URL).status_code == 405


def test_sets_and_selective_harvest(client, library):
    tree = get(client, verb="ListSets")
    assert "type:case_study" in tree.xpath("//o:setSpec/text()", namespaces=NS)
    tree = get(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="type:case_study")
    assert tree.xpath("//o:header/o:identifier/text()", namespaces=NS) == [
        oai.identifier_for(library["published"])
    ]
    today = timezone.now().strftime("%Y-%m-%d")
    tree = get(client, verb="ListIdentifiers", metadataPrefix="oai_dc", until=today)
    assert len(tree.xpath("//o:header", namespaces=NS)) == 2
    tree = get(client, verb="ListMetadataFormats")
    assert tree.xpath("//o:metadataPrefix/text()", namespaces=NS) == ["oai_dc"]


def bulk_library(count):
    """`count` public records; a third share one timestamp (the token must still move on)."""
    start = timezone.now() - datetime.timedelta(days=30)
    Resource.objects.bulk_create(
        [
            Resource(
                title=f"Harvested record {n}",
                slug=f"harvested-{n}",
                type=Resource.Type.REPORT,
                authors="Demo Author",
                publication_year=2000 + n % 25,
                country_codes=["GH"] if n % 2 else ["FR"],
                created_at=start,
                updated_at=start if n % 3 == 0 else start + datetime.timedelta(seconds=n),
            )
            for n in range(count)
        ],
        batch_size=5000,
    )
    # bulk_create fills auto_now itself: put the chosen timestamps back.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE resources_resource SET updated_at = %s + make_interval(secs => "
            "CASE WHEN split_part(slug, '-', 2)::int %% 3 = 0 THEN 0 "
            "ELSE split_part(slug, '-', 2)::int END)",
            [start],
        )


@pytest.mark.django_db(transaction=True)
def test_harvest_over_http_with_resumption_tokens(live_server):
    """A real OAI-PMH client harvests a library of four pages over HTTP, by resumption
    tokens, through a run of records that share one timestamp across a page boundary (the
    harvest of 50,000 records is timed by `make bench`, tests/bench_oai.py)."""
    total = 3 * oai.PAGE_SIZE + 200
    assert total // 3 > oai.PAGE_SIZE  # the records sharing a timestamp fill more than a page
    bulk_library(total)
    assert Resource.objects.visible_to(AnonymousUser()).count() == total
    started = time.monotonic()
    with Scythe(live_server.url + URL) as scythe:
        assert scythe.identify().protocolVersion == "2.0"
        seen = set()
        for record in scythe.list_records(metadata_prefix="oai_dc"):
            seen.add(record.header.identifier)
        assert len(seen) == total
        record = scythe.get_record(sorted(seen)[0])
        assert record.metadata["creator"] == ["Demo Author"]
        with pytest.raises(BadVerb):
            scythe.harvest({"verb": "Nope"})
        with pytest.raises(BadArgument):
            scythe.harvest({"verb": "ListRecords"})
        with pytest.raises(IdDoesNotExist):
            scythe.get_record("oai:nowhere:resource/0")
    print(f"harvested {total} records in {time.monotonic() - started:.1f} s")
