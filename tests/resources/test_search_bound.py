"""A search's bounded work: matches counted up to LIBRARY_COUNT_BOUND ("1,000+" beyond it),
ranking by the index's order of relevance whatever the number of matches."""

import pytest
from django.urls import reverse

from resources.models import Resource
from tests.helpers import make_resource
from tests.resources.test_search import result_titles, search

pytestmark = pytest.mark.django_db


def facet_figures(response):
    return {
        g["key"]: {o["value"]: o["count"] for o in g["all"]} for g in response.context["facets"]
    }


def test_more_matches_than_the_bound_show_the_bound_and_a_plus(client, settings):
    settings.LIBRARY_COUNT_BOUND = 3
    for n in range(5):
        make_resource(f"Equity report {n}", slug=f"equity-{n}", type=Resource.Type.REPORT)
    response = search(client, q="equity")
    html = response.content.decode()
    assert response.context["capped"] is True
    assert response.context["total"] == 3
    assert "3+ results for" in html
    # Figures count the rows read (the bound and one more), shown as "at least".
    assert facet_figures(response)["type"] == {"report": 4}
    assert '<span class="count">(4+)</span>' in html
    # Pages reach the bound's rows, no further.
    assert len(result_titles(response)) == 3


def test_the_bound_is_shown_with_the_languages_digit_grouping(client, settings):
    settings.LIBRARY_COUNT_BOUND = 1000
    from resources import search as library

    assert library.count_bound(library.Search(q="equity")) == 1000
    html = client.get(reverse("resources:list"), {"q": "equity"}).content.decode()
    assert "+ results" not in html  # nothing matches: no capped figure


def test_as_many_matches_as_the_bound_are_counted_exactly(client, settings):
    settings.LIBRARY_COUNT_BOUND = 3
    for n in range(3):
        make_resource(f"Equity report {n}", slug=f"equity-{n}", type=Resource.Type.REPORT)
    make_resource("Unrelated toolkit", type=Resource.Type.TOOLKIT)
    response = search(client, q="equity")
    assert response.context["capped"] is False
    assert response.context["total"] == 3
    assert "3 results for" in response.content.decode()
    assert facet_figures(response)["type"] == {"report": 3}
    # A filter is a search too: capped beyond the bound.
    assert search(client, type="report").context["total"] == 3
    assert search(client, type="report").context["capped"] is False


def test_a_filtered_library_is_capped_but_the_whole_library_is_counted(client, settings):
    settings.LIBRARY_COUNT_BOUND = 2
    for n in range(4):
        make_resource(f"Report {n}", slug=f"report-{n}", type=Resource.Type.REPORT)
    filtered = search(client, type="report")
    assert (filtered.context["total"], filtered.context["capped"]) == (2, True)
    assert "2+ resources" in filtered.content.decode()
    whole = search(client)
    assert (whole.context["total"], whole.context["capped"]) == (4, False)
    assert "4 resources" in whole.content.decode()
    assert facet_figures(whole)["type"] == {"report": 4}


def test_a_title_hit_ranks_first_among_more_body_hits_than_the_bound(client, settings):
    """Ranking is not limited to the rows counted: the best match comes first even when
    many weaker ones were found before it."""
    settings.LIBRARY_COUNT_BOUND = 2
    for n in range(6):
        make_resource(f"Notes {n} on many things", slug=f"notes-{n}", abstract="Some mentoring.")
    make_resource("Mentoring in rural schools", abstract="A study of many things.")
    titles = result_titles(search(client, q="mentoring"))
    assert titles[0] == "Mentoring in rural schools"
    # Phrase and exclusion searches keep working under the bound.
    assert result_titles(search(client, q='"rural schools"')) == ["Mentoring in rural schools"]
    assert "Mentoring in rural schools" not in result_titles(search(client, q="mentoring -rural"))


def test_ranking_orders_title_then_abstract_then_file_text(client):
    make_resource("Other", slug="in-file", abstract="Nothing here.")
    Resource.objects.filter(slug="in-file").update(file_text="coaching " * 5)
    from resources.services import update_search_vectors

    update_search_vectors()
    make_resource("Notes", slug="in-abstract", abstract="About coaching.")
    make_resource("Coaching", slug="in-title", abstract="Nothing.")
    assert result_titles(search(client, q="coaching")) == ["Coaching", "Notes", "Other"]
