"""No back-office list is filtered or searched on a field its viewer may not read.

A change list used to accept `?body__regex=password/reset/key/<prefix>` on the outbox: the
rows it still listed told a network admin a member's reset key, one character at a time.
The walk below visits every model registered on the admin site, as a network admin and as a
superuser, and asks its list for lookups on each of its fields that no filter offers (with
`__regex` and `__contains` variants, and through its relations): each is refused with 400.
The lookups the list's own filters offer still answer 200.
"""

import pytest
from django.contrib import admin
from django.db import models
from django.urls import reverse

from allin_portal.backoffice import ListedLookupsOnly, hidden_names
from mail.models import Message
from members.models import User
from tests.helpers import make_member, make_user


@pytest.fixture
def reset_email(client, db):
    member = make_member("ama@example.org", "Ama").user
    client.post(reverse("account_reset_password"), {"email": "ama@example.org"})
    return member, Message.objects.get(to="ama@example.org")


def changelist(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def offered_paths(model_admin, request):
    paths, names = model_admin.filterable_paths(request)
    return {p.split("__")[0] for p in paths} | names


def forbidden_lookups(model, model_admin, request):
    """Lookups on every field of `model` that none of its list's filters offers, and on the
    text fields of the models its relations reach."""
    offered = offered_paths(model_admin, request)
    for field in model._meta.get_fields():
        if field.name in offered or not getattr(field, "concrete", False):
            continue
        if field.is_relation:
            if field.related_model is None:
                continue
            for target in field.related_model._meta.get_fields():
                if isinstance(target, (models.CharField, models.TextField)):
                    yield f"{field.name}__{target.name}__regex", "."
            continue
        yield f"{field.name}__regex", "."
        yield f"{field.name}__contains", "a"


def test_every_registered_admin_is_guarded(db):
    for model, model_admin in admin.site._registry.items():
        assert isinstance(model_admin, ListedLookupsOnly), model


@pytest.fixture
def superuser(db):
    return make_user("root@example.org", is_staff=True, is_superuser=True)


def test_no_list_filters_on_a_field_its_filters_do_not_offer(
    client, network_admin, superuser, reset_email, rf
):
    """As a network admin, every list it may open; as a superuser, the others."""
    request = rf.get("/")
    walked, accepted = [], []
    opened = set()
    for viewer in (network_admin, superuser):
        client.force_login(viewer)
        for model, model_admin in admin.site._registry.items():
            url = changelist(model)
            if model in opened or client.get(url).status_code != 200:
                continue  # walked already, or a list this viewer may not open at all
            opened.add(model)
            walked.append((viewer.email, model._meta.label))
            request.user = viewer
            lookups = list(forbidden_lookups(model, model_admin, request))
            for lookup, value in lookups:
                if model_admin.lookup_allowed(lookup, value, request):
                    accepted.append(f"{model._meta.label} ?{lookup}={value}")
            # The page itself, for a few of them (the rule above is its only gate).
            for lookup, value in lookups[:3]:
                status = client.get(url, {lookup: value}).status_code
                if status != 400:
                    accepted.append(f"{model._meta.label} ?{lookup}={value}: {status}")
    assert accepted == []
    assert len(walked) == len(admin.site._registry)
    assert ("admin@example.org", "mail.Message") in walked
    assert ("admin@example.org", "members.Member") in walked


def test_the_reset_key_cannot_be_read_through_the_outbox_list(client, network_admin, reset_email):
    _member, message = reset_email
    client.force_login(network_admin)
    url = changelist(Message)
    for lookup in [
        {"body__contains": "password/reset/key/"},
        {"body__regex": "password/reset/key/[0-9a-z]"},
        {"html__contains": "reset"},
        {"to": "ama@example.org", "body__icontains": "key"},
        {"user__password__startswith": "md5"},
    ]:
        assert client.get(url, lookup).status_code == 400, lookup
    # The member's email is still in the list, found by its address.
    listing = client.get(url, {"q": "ama@example.org"})
    assert listing.status_code == 200 and message.subject in listing.text
    assert client.get(url, {"state__exact": Message.State.QUEUED}).status_code == 200


def test_the_filters_a_list_offers_still_work(client, superuser, reset_email):
    client.force_login(superuser)
    tried = 0
    for model in admin.site._registry:
        url = changelist(model)
        page = client.get(url)
        assert page.status_code == 200
        cl = page.context["cl"]
        for spec in cl.filter_specs:
            # "All", then the first values and "(None)" where offered.
            for choice in list(spec.choices(cl))[1:4]:
                response = client.get(url + choice["query_string"])
                assert response.status_code == 200, (model, choice["query_string"])
                assert "e=1" not in response.get("Location", ""), (model, choice)
                tried += 1
        if cl.date_hierarchy:
            field = cl.date_hierarchy
            assert client.get(url, {f"{field}__year": "2026"}).status_code == 200
    assert tried > 40


def test_searches_reach_no_hidden_field(db, rf):
    """Search fields (list search and autocomplete) leave out every hidden field."""
    request = rf.get("/")
    request.user = make_user("root@example.org", is_staff=True, is_superuser=True)
    for model, model_admin in admin.site._registry.items():
        for name in model_admin.get_search_fields(request):
            first = name.lstrip("^=@").split("__")[0]
            assert first not in hidden_names(model, admin.site), (model, name)
    assert "password" in hidden_names(User, admin.site)
    assert {"body", "html"} <= hidden_names(Message, admin.site)


def test_search_over_a_hidden_field_is_dropped(client, network_admin, reset_email, monkeypatch):
    """Were someone to add the email text to the outbox's search, it would not search it."""
    _member, message = reset_email
    model_admin = admin.site._registry[Message]
    monkeypatch.setattr(model_admin, "search_fields", ["to", "subject", "body", "user__password"])
    client.force_login(network_admin)
    url = changelist(Message)
    assert message.subject in client.get(url, {"q": "ama@example"}).text
    assert message.subject not in client.get(url, {"q": "password/reset/key"}).text
