"""Public pages are cached for anonymous visitors only, and never personal content."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import reverse

from allin_portal.caching import public_page_cache
from events.models import Event


@pytest.fixture
def page_cache(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    caches["pages"].clear()
    yield
    caches["pages"].clear()


def test_visitors_share_a_cached_page(client, history, page_cache):
    url = reverse("journey")
    assert "Working Session in Paris" in client.get(url).text
    Event.objects.filter(slug="paris-2019").update(title="Renamed meanwhile")
    assert "Working Session in Paris" in client.get(url).text


def test_signed_in_members_always_get_a_fresh_page(member_client, history, page_cache):
    url = reverse("events:detail", kwargs={"slug": "paris-2019"})
    member_client.get(url)
    Event.objects.filter(slug="paris-2019").update(title="Renamed meanwhile")
    assert "Renamed meanwhile" in member_client.get(url).text


def test_member_pages_never_reach_visitors(client, member_client, history, page_cache):
    url = reverse("home")
    assert "Sign out" in member_client.get(url).text
    client.logout()
    assert "Sign out" not in client.get(url).text


def test_pages_with_a_csrf_token_are_not_cached(rf, page_cache):
    calls = []

    def form_view(request):
        calls.append(1)
        return HttpResponse(f"<form>{get_token(request)}</form>")

    view = public_page_cache(form_view)
    for _ in range(2):
        request = rf.get("/form/")
        request.user = AnonymousUser()
        view(request)
    assert len(calls) == 2


def test_plain_public_pages_are_rendered_once(rf, page_cache):
    calls = []

    def plain_view(request):
        calls.append(1)
        return HttpResponse("public")

    view = public_page_cache(plain_view)
    for _ in range(3):
        request = rf.get("/plain/")
        request.user = AnonymousUser()
        assert view(request).content == b"public"
    assert len(calls) == 1
