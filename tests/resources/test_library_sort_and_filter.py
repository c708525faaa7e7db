"""The library's sorting (relevance while searching, newest, title; a whitelisted GET
parameter) and its facets behind a "Filter" control placed before the results."""

import pytest
from django.test import Client
from django.urls import reverse

from resources.models import Resource
from tests.helpers import make_resource
from tests.resources.test_search import result_titles

LIST = reverse("resources:list")


@pytest.fixture
def shelf(db):
    Resource.objects.all().delete()  # only these three
    make_resource("Beta study of equity", publication_year=2019, slug="beta")
    make_resource("Alpha notes", abstract="equity equity equity", publication_year=2024, slug="a")
    make_resource("Gamma equity equity report", publication_year=2021, slug="gamma")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["Alpha notes", "Gamma equity equity report", "Beta study of equity"]),
        ({"sort": "date"}, ["Alpha notes", "Gamma equity equity report", "Beta study of equity"]),
        ({"sort": "title"}, ["Alpha notes", "Beta study of equity", "Gamma equity equity report"]),
        ({"sort": "bogus"}, ["Alpha notes", "Gamma equity equity report", "Beta study of equity"]),
        (
            {"sort": "relevance"},
            ["Alpha notes", "Gamma equity equity report", "Beta study of equity"],
        ),
        (
            {"q": "equity", "sort": "title"},
            ["Alpha notes", "Beta study of equity", "Gamma equity equity report"],
        ),
    ],
)
def test_library_sorts(client, shelf, params, expected):
    response = client.get(LIST, params)
    assert response.status_code == 200
    assert result_titles(response) == expected


def test_sort_links_name_the_orders(client, shelf):
    html = client.get(LIST).text
    assert '<strong aria-current="true">newest</strong>' in html
    assert "sort=title" in html
    assert "relevance" not in html.split('class="sort-links"')[1].split("</p>")[0]
    html = client.get(LIST, {"q": "equity"}).text
    assert '<strong aria-current="true">relevance</strong>' in html


def test_facets_come_first_behind_filter(client, shelf):
    html = client.get(LIST, {"type": "report"}).text
    assert html.index('<details class="filter-panel">') < html.index('class="results"')
    assert "Filter (1)" in html


def test_title_sort_keeps_few_queries(db, shelf, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = Client().get(LIST, {"sort": "title", "type": "report"})
    assert response.status_code == 200
