"""Full-text search: ranking, web-search syntax, accents, facets, sorting, query counts."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from resources.models import Resource
from tests.helpers import commit_data_cache_bumps, make_resource

pytestmark = pytest.mark.django_db


def titles(response):
    return [r.title for r in response.context["results"]] if "results" in response.context else None


def search(client, **params):
    response = client.get(reverse("resources:list"), params)
    assert response.status_code == 200
    return response


def result_titles(response):
    """Titles of the result list, read from the rendered page (the block may come from cache)."""
    import re

    html = response.content.decode()
    block = html.split('class="resource-list"', 1)[-1] if 'class="resource-list"' in html else ""
    # A title in another language than the page's is wrapped in <span lang>.
    return re.findall(r'<h3><a href="[^"]+">(?:<span[^>]*>)?([^<]+)', block)


def test_a_title_hit_ranks_above_an_abstract_hit(client):
    make_resource("Notes on many things", abstract="Distributed mentoring appears here.")
    make_resource("Mentoring in rural schools", abstract="A study of many things.")
    response = search(client, q="mentoring")
    assert result_titles(response) == ["Mentoring in rural schools", "Notes on many things"]


def test_phrase_and_negation(client):
    make_resource("Teacher coaching at scale", abstract="How coaching grew.")
    make_resource("Scale of teacher pay", abstract="Coaching is not covered.")
    assert result_titles(search(client, q='"teacher coaching"')) == ["Teacher coaching at scale"]
    assert result_titles(search(client, q="coaching -pay")) == ["Teacher coaching at scale"]
    assert set(result_titles(search(client, q="pay or grew"))) == {
        "Teacher coaching at scale",
        "Scale of teacher pay",
    }


def test_accents_are_ignored_both_ways(client):
    make_resource("Evaluación de líderes escolares", language="es")
    assert result_titles(search(client, q="evaluacion")) == ["Evaluación de líderes escolares"]
    assert result_titles(search(client, q="líderes")) == ["Evaluación de líderes escolares"]


def test_authors_topics_and_pdf_text_are_searched(client):
    from tests.helpers import pdf_upload

    make_resource("First", authors="Ngozi Adeyemi")
    make_resource("Second", topics=["instructional leadership"])
    make_resource("Third", upload=pdf_upload("hidden gem inside the file"))
    assert result_titles(search(client, q="adeyemi")) == ["First"]
    assert result_titles(search(client, q="instructional")) == ["Second"]
    assert result_titles(search(client, q="gem")) == ["Third"]


def test_snippets_highlight_the_match_and_escape_html(client):
    make_resource("Plain", abstract="<b>bold</b> claims about equity in schools")
    html = search(client, q="equity").content.decode()
    assert "<mark>equity</mark>" in html
    assert "<b>bold</b>" not in html


def test_every_row_of_a_later_page_has_its_own_highlighted_snippet(client):
    """Headlines are computed for the page's rows only (not for those the offset skips):
    each shown row still gets the snippet of its own text."""
    for n in range(25):
        make_resource(f"Record {n:02}", slug=f"record-{n}", abstract=f"Marker{n:02} on equity.")
    with CaptureQueriesContext(connection) as queries:
        response = search(client, q="equity", sort="date", page=2)
    shown = response.context["results"]
    assert len(shown) == 5
    for resource in shown:
        number = resource.title.split()[-1]
        assert f"marker{number} on <mark>equity</mark>" in str(resource.snippet).lower()
    headline_queries = [q for q in queries.captured_queries if "ts_headline" in q["sql"]]
    assert len(headline_queries) == 1
    assert "OFFSET" not in headline_queries[0]["sql"]


def test_facet_counts_match_the_results(client):
    for n in range(3):
        make_resource(f"Report {n} on equity", type=Resource.Type.REPORT, countries=["GH"])
    make_resource("Toolkit on equity", type=Resource.Type.TOOLKIT, countries=["FR", "GH"])
    make_resource("Unrelated toolkit", type=Resource.Type.TOOLKIT, countries=["FR"])
    response = search(client, q="equity")
    facets = {
        g["key"]: {o["value"]: o["count"] for o in g["options"]} for g in response.context["facets"]
    }
    assert response.context["total"] == 4
    assert facets["type"] == {"report": 3, "toolkit": 1}
    assert facets["country"] == {"GH": 4, "FR": 1}
    assert facets["oecd"] == {"non_oecd": 3, "both": 1}
    assert facets["region"] == {"sub_saharan_africa": 4, "europe_central_asia": 1}

    narrowed = search(client, q="equity", type="toolkit", country="FR")
    assert result_titles(narrowed) == ["Toolkit on equity"]
    assert narrowed.context["total"] == 1


def test_no_hits_say_so_and_suggest_removing_filters(client):
    make_resource("Something", type=Resource.Type.REPORT)
    html = search(client, q="nothingmatches", type="toolkit").content.decode()
    assert "Nothing matches this search." in html
    assert "search without filters" in html


def test_sort_by_date(client):
    make_resource("Equity old", publication_year=2001)
    make_resource("Equity equity new", publication_year=2024, abstract="equity")
    assert result_titles(search(client, q="equity", sort="date")) == [
        "Equity equity new",
        "Equity old",
    ]


def test_pagination_keeps_the_query(client):
    for n in range(23):
        make_resource(f"Paged equity {n}", slug=f"paged-{n}")
    response = search(client, q="equity")
    assert len(result_titles(response)) == 20
    assert "q=equity" in response.content.decode().split('rel="next"')[0].rsplit("href", 1)[-1]
    assert len(result_titles(search(client, q="equity", page=2))) == 3
    assert search(client, q="equity", page="999").status_code == 200


def test_every_facet_value_stays_reachable_beyond_the_first_twelve(client):
    for year in range(2000, 2015):
        make_resource(f"Report of {year}", publication_year=year)
    response = search(client)
    (years,) = [g for g in response.context["facets"] if g["key"] == "year"]
    assert [o["value"] for o in years["options"]] == [str(y) for y in range(2014, 2002, -1)]
    assert years["more"] == 3
    html = response.content.decode()
    shown, more = html.split('<details class="facet-more">', 1)[1].split("</details>", 1)
    assert "3 more" in shown and "year=2000" in shown and "year=2002" in shown
    assert "year=2003" not in shown and "year=2003" in html


@pytest.mark.parametrize("rows", [5, 40])
def test_a_search_with_two_facets_runs_few_queries(member_client, rows):
    """The count does not grow with the rows; the facet counts come from the data cache the
    second time (no facet query), the page's rows are always read afresh."""
    visitor = Client()
    for n in range(rows):
        make_resource(
            f"Equity {n}",
            slug=f"equity-{n}",
            type=Resource.Type.REPORT,
            pathway="research",
            topics=["equity", f"t{n % 4}"],
            countries=["GH", "FR"],
        )
    commit_data_cache_bumps()  # the library as committed, read through the shared cache
    for client, params in [
        (visitor, {"q": "equity", "type": "report", "pathway": "research"}),
        (member_client, {"q": "equity", "type": "report", "country": "GH", "page": 2}),
    ]:
        with CaptureQueriesContext(connection) as first:
            assert search(client, **params).status_code == 200
        with CaptureQueriesContext(connection) as again:
            response = search(client, **params)
            assert response.status_code == 200
        assert len(first) <= 10
        assert len(again) <= len(first) - 2  # no facet query, no cache write
        assert not [q for q in again.captured_queries if "WITH hits" in q["sql"]]
        assert response.context["total"] == rows


def test_saving_through_the_service_refreshes_the_vector(client):
    from resources import services

    resource = make_resource("Quiet record")
    assert result_titles(search(client, q="mentorship")) == []
    resource.abstract = "Now about mentorship."
    services.save_resource(resource=resource, topics=["peer networks"])
    assert result_titles(search(client, q="mentorship")) == ["Quiet record"]
    assert result_titles(search(client, q="peer")) == ["Quiet record"]


def test_library_wrong_method_and_odd_parameters(client):
    make_resource("Anything")
    assert client.post(reverse("resources:list")).status_code == 405
    response = search(client, q="x" * 500, year="20x1", page="abc", sort="bogus")
    assert response.status_code == 200


def test_an_empty_library_says_what_will_appear_and_shows_no_zero(client, db):
    html = client.get(reverse("resources:list")).text
    assert "The library is empty for now." in html
    assert "0 resources" not in html


def toasted_chunks():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.relname FROM pg_class c JOIN pg_class t ON t.oid = c.reltoastrelid "
            "WHERE c.relname = 'resources_resource'"
        )
        cursor.execute(f"SELECT count(*) FROM pg_toast.{cursor.fetchone()[0]}")  # noqa: S608
        return cursor.fetchone()[0]


def test_search_vectors_stay_in_their_row_and_long_pdf_text_moves_out(db):
    """Ranking reads every matching vector: kept in the row it costs no TOAST lookup
    (resources migration 0008). A vector this size was toasted before."""
    words = " ".join(f"{a}{b}lexeme" for a in "bcdfghjklm" for b in "aeiouy")  # 60 words
    make_resource("Leadership in rural Ghana: coaching principals", abstract=words * 3)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_column_size(search_vector) FROM resources_resource")
        assert cursor.fetchone()[0] > 2100
    assert toasted_chunks() == 0
    make_resource("A long report", abstract="Short.", file_text="lexeme " * 100_000)
    assert toasted_chunks() > 0  # a PDF's long text still moves out of the row
