"""The directory's sorting (a whitelisted GET parameter) and its filters behind "Filter"."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from members.models import Member
from tests.helpers import make_member

LIST = reverse("members:list")


@pytest.fixture
def three(db):
    today = datetime.date(2026, 1, 1)
    for email, name, country, days in [
        ("c@example.org", "Carla Zapata", "AR", 100),
        ("a@example.org", "Ama Owusu", "GH", 10),
        ("b@example.org", "Bilal Haddad", "JO", 500),
    ]:
        member = make_member(email, name, country=country)
        Member.objects.filter(pk=member.pk).update(
            member_since=today - datetime.timedelta(days=days)
        )


def order(response):
    return [m.name for m in response.context["object_list"]]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Ama Owusu", "Bilal Haddad", "Carla Zapata"]),
        ("newest", ["Ama Owusu", "Carla Zapata", "Bilal Haddad"]),
        ("country", ["Carla Zapata", "Ama Owusu", "Bilal Haddad"]),
        # Bad values fall back to the default (name), never a 500.
        ("bogus", ["Ama Owusu", "Bilal Haddad", "Carla Zapata"]),
        ("'; drop table members_member; --", ["Ama Owusu", "Bilal Haddad", "Carla Zapata"]),
        ("relevance", ["Ama Owusu", "Bilal Haddad", "Carla Zapata"]),
        ("", ["Ama Owusu", "Bilal Haddad", "Carla Zapata"]),
    ],
)
def test_directory_sorts(client, three, sort, expected):
    response = client.get(LIST, {"sort": sort})
    assert response.status_code == 200
    assert order(response) == expected


def test_sort_is_offered_and_kept(client, three):
    html = client.get(LIST, {"sort": "newest"}).text
    assert '<select name="sort" id="id_sort">' in html
    assert '<option value="newest" selected>Newest members</option>' in html
    assert 'value="relevance"' not in html  # only while searching
    html = client.get(LIST, {"q": "haddad"}).text
    assert '<option value="relevance" selected>Best match</option>' in html


def test_sort_combines_with_a_filter(client, three):
    response = client.get(LIST, {"sort": "newest", "country": "GH"})
    assert order(response) == ["Ama Owusu"]


def test_filters_sit_behind_a_filter_control(client, three):
    html = client.get(LIST, {"country": "GH", "region": "sub_saharan_africa"}).text
    panel = html.index('<details class="filter-panel">')
    assert panel < html.index('class="member-list"')
    assert '<summary class="filter-toggle">Filter (2)</summary>' in html
    # Every facet is inside the details; the search box stays outside, always visible.
    assert html.index('id="id_country"') > panel
    assert html.index('id="id_q"') < panel


def test_sorted_directory_keeps_its_query_count(client, db, django_assert_max_num_queries):
    for n in range(25):
        make_member(f"m{n}@example.org", f"Member {n:02d}", country="GH")
    visitor = Client()
    for sort in ("name", "newest", "country"):
        with django_assert_max_num_queries(10):
            response = visitor.get(LIST, {"sort": sort, "page": "1"})
        assert response.status_code == 200
