"""Guest links and invitations: only salts and hashes at rest, links that keep working."""

import hashlib
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from events import services
from events.models import Event, Invitation, Registration
from tests.helpers import make_event


@pytest.fixture(autouse=True)
def clear_rate_limits(db):
    cache.clear()


@pytest.fixture
def open_event(db):
    return make_event(registration_policy=Event.RegistrationPolicy.ANYONE, capacity=None)


def guest_data(**extra):
    return {"name": "Layla Haddad", "email": "layla@example.net", "country": "JO", **extra}


def rows_as_text(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT row_to_json(t)::text FROM {table} t")  # noqa: S608 - fixed names
        return " ".join(row[0] for row in cursor.fetchall())


def test_database_holds_no_usable_link_token(
    client, open_event, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "http://testserver"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:register", args=[open_event.slug]), guest_data())
        assert response.status_code == 302
        invitation = Invitation.objects.create(event=open_event, email="omar@example.org")
        services.send_invitation(invitation=invitation)
    link = re.search(r"http://testserver(/events/\S+/registration/(\S+)/)", mail.outbox[0].body)
    path, token = link.group(1), link.group(2)
    invited = re.search(r"invitation=(\S+)", mail.outbox[1].body).group(1)
    everything = " ".join(
        rows_as_text(table)
        for table in ("events_registration", "events_invitation", "events_event")
    )
    for secret in (token, invited, open_event.invitation_token):
        assert secret not in everything
    registration = Registration.objects.get()
    assert registration.token_hash == hashlib.sha256(token.encode()).hexdigest()
    # The salt alone is useless without the secret key.
    original = settings.SECRET_KEY
    settings.SECRET_KEY = "another-key-" + "x" * 50
    assert registration.token is None and open_event.invitation_token != invited
    settings.SECRET_KEY = original
    # The emailed links work.
    assert client.get(path).status_code == 200
    page = client.get(f"{reverse('events:register', args=[open_event.slug])}?invitation={invited}")
    assert 'value="omar@example.org"' in page.text


def test_wrong_or_overlong_tokens_get_the_same_refusal(client, open_event):
    registration = services.register(
        event=open_event, guest=services.Guest(name="G", email="g@example.net"), by=None
    )
    token = registration.token
    assert (
        client.get(reverse("events:guest_manage", args=[open_event.slug, token])).status_code == 200
    )
    for bad in (token[:-1] + ("x" if token[-1] != "x" else "y"), token + "a" * 100, "made-up"):
        url = reverse("events:guest_manage", args=[open_event.slug, bad])
        assert client.get(url).status_code == 404
        assert (
            client.post(reverse("events:guest_confirm", args=[open_event.slug, bad])).status_code
            == 404
        )
        survey = reverse("events:survey", args=[open_event.slug])
        assert client.get(survey, {"r": bad}).status_code == 404
    with pytest.raises(services.RegistrationError, match="This link is not valid."):
        services.confirm_guest(registration=registration, token="made-up")
    with pytest.raises(services.RegistrationError):
        services.cancel(registration=registration, token="made-up")
    registration.refresh_from_db()
    assert registration.status == Registration.Status.PENDING


def test_invitation_tokens_are_checked_against_hashes(client, db):
    event = make_event(registration_policy=Event.RegistrationPolicy.INVITED)
    other = make_event(slug="other", registration_policy=Event.RegistrationPolicy.INVITED)
    invitation = Invitation.objects.create(event=event, email="omar@example.org")
    url = reverse("events:register", args=[event.slug])
    assert client.get(url, {"invitation": event.invitation_token}).status_code == 200
    assert client.get(url, {"invitation": invitation.token}).status_code == 200
    for bad in (other.invitation_token, invitation.token[:-2], "x" * 500, ""):
        assert client.get(url, {"invitation": bad}).status_code == 403
    assert event.invitation_token != other.invitation_token


def test_key_rotation_and_migrated_rows_keep_or_renew_links(
    client, open_event, settings, django_capture_on_commit_callbacks
):
    registration = services.register(
        event=open_event, guest=services.Guest(name="G", email="g@example.net"), by=None
    )
    old = registration.token
    # Rotated with the old key kept as a fallback: the link still works and is re-derived.
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "rotated-" + "k" * 50
    assert (
        client.get(reverse("events:guest_manage", args=[open_event.slug, old])).status_code == 200
    )
    assert registration.ensure_link() == old
    # A row migrated from the days of stored tokens: its old link works until an email
    # needs the link, which then carries a new one.
    Registration.objects.filter(pk=registration.pk).update(
        token_salt="", token_hash=hashlib.sha256(b"legacy-token").hexdigest()
    )
    legacy = reverse("events:guest_manage", args=[open_event.slug, "legacy-token"])
    assert client.get(legacy).status_code == 200
    registration.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_guest(registration=registration, token="legacy-token")
    new = re.search(r"/registration/(\S+)/", mail.outbox[-1].body).group(1)
    assert new != "legacy-token"
    assert client.get(legacy).status_code == 404
    assert (
        client.get(reverse("events:guest_manage", args=[open_event.slug, new])).status_code == 200
    )


def test_an_invitations_url_never_writes_and_sending_renews_a_lost_link(
    client, db, staff_client, django_capture_on_commit_callbacks
):
    """get_absolute_url is a getter: a link lost to a retired key is renewed by
    `ensure_link`, which the staff page and the invitation email call before rendering."""
    event = make_event(registration_policy=Event.RegistrationPolicy.INVITED)
    invitation = Invitation.objects.create(event=event, email="omar@example.org")
    lost = hashlib.sha256(b"legacy-invitation").hexdigest()
    Invitation.objects.filter(pk=invitation.pk).update(token_salt="", token_hash=lost)
    invitation.refresh_from_db()
    url = invitation.get_absolute_url()
    assert "invitation=" not in url
    assert Invitation.objects.get(pk=invitation.pk).token_hash == lost  # nothing written
    with django_capture_on_commit_callbacks(execute=True):
        services.send_invitation(invitation=invitation)
    renewed = Invitation.objects.get(pk=invitation.pk)
    assert renewed.token_hash != lost
    sent = re.search(r"invitation=(\S+)", mail.outbox[-1].body).group(1)
    assert (
        client.get(reverse("events:register", args=[event.slug]), {"invitation": sent}).status_code
        == 200
    )
    # The staff page shows a working link for a lost one too (renewed before rendering).
    Invitation.objects.filter(pk=invitation.pk).update(token_salt="", token_hash=lost)
    response = staff_client.get(reverse("events:invitations", args=[event.slug]))
    assert response.status_code == 200
    shown = Invitation.objects.get(pk=invitation.pk)
    assert shown.token_hash != lost and f"invitation={shown.token}" in response.text
