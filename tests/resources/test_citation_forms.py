"""Citations well formed for every combination of missing fields: on the record page, in
BibTeX and in RIS (a resource without authors used to read "Cite . Title .")."""

import itertools
import re

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from resources.citations import bibtex, reference, ris
from resources.models import Resource

FIELDS = {
    "authors": "Amina Mensah; Kofi Boateng",
    "publisher": "WISE.",
    "publication_year": 2021,
    "doi": "10.1234/abc.5",
    "url": "https://example.org/report",
}
COMBINATIONS = [
    dict(zip(FIELDS, present, strict=True))
    for present in itertools.product([True, False], repeat=len(FIELDS))
]


def resource_with(present, title="Leading learning: a review"):
    values = {name: (FIELDS[name] if on else None) for name, on in present.items()}
    return Resource(
        title=title,
        slug="leading-learning",
        type=Resource.Type.REPORT,
        authors=values["authors"] or "",
        publisher=values["publisher"] or "",
        publication_year=values["publication_year"],
        doi=values["doi"] or "",
        url=values["url"] or "",
        language="en",
    )


def label(present):
    return "+".join(name for name, on in present.items() if on) or "title-only"


@pytest.mark.parametrize("present", COMBINATIONS, ids=label)
def test_the_record_citation_is_well_formed(present):
    html = str(reference(resource_with(present), "https://all-in.example.org"))
    text = strip_tags(html)
    for broken in [" .", "..", "()", "( )", ". .", " ,", ",.", ";.", "  "]:
        assert broken not in text, (broken, text)
    assert text[0].isalnum(), text
    assert "<cite>Leading learning: a review</cite>" in html
    assert ("(2021)" if present["publication_year"] else "(n.d.)") in text
    if present["authors"]:
        assert text.startswith("Amina Mensah; Kofi Boateng (")
        assert ("WISE." in text) is present["publisher"]
    elif present["publisher"]:
        assert text.startswith("WISE (")
    else:
        assert text.startswith("Leading learning: a review (")
    # It always ends with where to find the resource.
    link = (
        "https://doi.org/10.1234/abc.5"
        if present["doi"]
        else "https://example.org/report"
        if present["url"]
        else "https://all-in.example.org/resources/leading-learning/"
    )
    assert text.endswith(f". {link}") or text.endswith(f"WISE. {link}"), text
    assert f'<a href="{link}">' in html


@pytest.mark.parametrize("present", COMBINATIONS, ids=label)
def test_bibtex_and_ris_are_well_formed(present):
    resource = resource_with(present)
    entry = bibtex(resource, "https://all-in.example.org")
    assert re.fullmatch(r"@\w+\{\w+,\n(  \w+ = \{[^\n]+\},?\n)+\}\n", entry), entry
    assert "= {}" not in entry
    assert "title = {Leading learning: a review}" in entry
    assert "url = {" in entry
    record = ris(resource, "https://all-in.example.org")
    lines = record.split("\r\n")
    assert lines[0].startswith("TY  - ") and lines[-2] == "ER  - " and lines[-1] == ""
    for line in lines[1:-2]:
        assert re.fullmatch(r"[A-Z][A-Z0-9]  - \S.*", line), line
    assert ("PY  - 2021" in record) is present["publication_year"]


def test_a_title_ending_in_a_question_mark_gets_no_extra_stop():
    resource = resource_with(dict.fromkeys(FIELDS, False), title="What works?")
    assert strip_tags(str(reference(resource))).startswith("What works? (n.d.).")
    resource.authors = "Amina Mensah"
    assert "<cite>What works?</cite> " in str(reference(resource))


def test_markup_in_fields_is_escaped():
    resource = resource_with(dict.fromkeys(FIELDS, True), title="<script>alert(1)</script>")
    resource.authors = "<b>Eve</b>"
    html = str(reference(resource))
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.django_db
def test_the_record_page_shows_the_citation_without_authors(client):
    from tests.helpers import make_resource

    resource = make_resource("Untitled practices of leadership")
    page = client.get(reverse("resources:detail", kwargs={"slug": resource.slug})).text
    citation = re.search(r'<p class="citation" dir="auto">(.*?)</p>', page).group(1)
    assert strip_tags(citation) == (
        "Untitled practices of leadership (n.d.). "
        "http://testserver/resources/untitled-practices-of-leadership/"
    )
