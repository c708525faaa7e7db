"""Walk every URL pattern of the project: each one is classified here, and every
page that is not public refuses visitors and the wrong users.

A new URL without a classification fails `test_every_url_is_classified`.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from members.models import Member
from resources.models import Resource
from tests.conftest import make_user


def walk(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


# Open to everyone (objects in the sample data below are public ones).
PUBLIC = {
    "home",
    "about",
    "journey",
    "living_lab",
    "contact",
    "healthz",
    "robots_txt",
    "events:list",
    "events:detail",
    "resources:list",
    "resources:detail",
    "resources:case_studies",
    "members:list",
    "members:organizations",
    "members:organization",
}
# Back office and allauth's own views protect themselves (tested in tests/members).
SELF_PROTECTED_PREFIXES = ("admin:", "account_")

# Pages that exist for some people only: name -> (kwargs, who else must be refused).
# "signed_in" is any signed-in user who is not an approved member; "member" is an
# approved member without staff or owner rights.
RESTRICTED = {
    "members:detail": ({"slug": "hidden-profile"}, ["signed_in", "member"]),
}


def all_names():
    return sorted(set(walk(get_resolver().url_patterns)))


def test_every_url_is_classified():
    unclassified = [
        name
        for name in all_names()
        if name not in PUBLIC
        and name not in RESTRICTED
        and not name.startswith(SELF_PROTECTED_PREFIXES)
    ]
    assert unclassified == [], "classify these URLs in tests/allin_portal/test_url_access.py"


@pytest.fixture
def sample_data(history):
    user = make_user("hidden@example.org", "Members")
    Member.objects.create(
        user=user,
        name="Hidden Person",
        slug="hidden-profile",
        status=Member.Status.APPROVED,
        visibility=Member.Visibility.HIDDEN,
    )
    Resource.objects.filter(slug="global-school-leaders-report").update(access="public")


@pytest.fixture
def personas(db, member_user):
    return {
        "visitor": None,
        "signed_in": make_user("applicant@example.org"),
        "member": member_user,
    }


def refused(response):
    if response.status_code in (403, 404, 405):
        return True
    return response.status_code == 302 and reverse("account_login") in response["Location"]


@pytest.mark.parametrize("name", sorted(RESTRICTED))
def test_restricted_pages_refuse_visitors_and_the_wrong_users(client, sample_data, personas, name):
    kwargs, others = RESTRICTED[name]
    url = reverse(name, kwargs=kwargs)
    for persona in ["visitor", *others]:
        client.logout()
        if personas[persona]:
            client.force_login(personas[persona])
        response = client.get(url)
        assert refused(response), f"{persona} got {response.status_code} from {url}"
