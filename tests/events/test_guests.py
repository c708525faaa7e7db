"""Guests register themselves: policy, invitations, confirmation by link, expiring holds."""

import datetime
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import Event, Invitation, Registration
from tests.helpers import make_event, make_member_user, make_user


@pytest.fixture(autouse=True)
def clear_rate_limits(db):
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def open_event(db):
    return make_event(registration_policy=Event.RegistrationPolicy.ANYONE)


def guest_data(**extra):
    return {
        "name": "Layla Haddad",
        "email": "layla@example.net",
        "organization": "Ministry of Education",
        "country": "JO",
        "role": "policymaker",
        **extra,
    }


def register_url(event, **query):
    url = reverse("events:register", kwargs={"slug": event.slug})
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def manage_link(message):
    return re.search(r"http://\S+/registration/\S+/", message.body).group(0)


def test_guest_registers_confirms_by_link_and_gets_ics(
    client, open_event, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "http://testserver"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(register_url(open_event), guest_data(), follow=True)
    assert "we have emailed you a link" in response.text
    registration = Registration.objects.get()
    assert registration.status == Registration.Status.PENDING and registration.holds_place
    assert registration.role == "policymaker" and registration.user is None
    (message,) = mail.outbox
    assert message.to == ["layla@example.net"] and "Confirm" in message.subject
    link = manage_link(message).removeprefix("http://testserver")
    page = client.get(link)
    assert page.status_code == 200 and "Confirm my registration" in page.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link + "confirm/", follow=True)
    assert "Your registration is confirmed" in response.text
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.email_confirmed_at is not None
    confirmed = mail.outbox[1]
    assert confirmed.attachments[0][0] == f"{open_event.slug}.ics"
    assert link in confirmed.body  # the manage link is in every email to a guest
    ics = client.get(link + "event.ics")
    assert ics.status_code == 200 and b"meet.example.org" in ics.content


@pytest.mark.parametrize(
    ("minutes", "said"),
    [(120, "within 2 hours to"), (60, "within 1 hour to"), (90, "within 90 minutes to")],
)
def test_guest_is_told_the_time_limit_in_words(client, open_event, settings, minutes, said):
    settings.REGISTRATION_HOLD_MINUTES = minutes
    text = client.post(register_url(open_event), guest_data(), follow=True).text
    assert said in text and ".0 hours" not in text
    link = Registration.objects.get().get_manage_url()
    text = client.get(link).text
    assert "Confirm your address by " in text and "to keep your registration." in text
    assert "(by " not in text and "))" not in text


def test_members_only_event_sends_visitors_to_sign_in(client, event):
    url = register_url(event)
    for response in (client.get(url), client.post(url, guest_data())):
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Registration.objects.exists()


def test_invited_event_needs_a_valid_invitation(client, db):
    event = make_event(registration_policy=Event.RegistrationPolicy.INVITED)
    assert client.get(register_url(event)).status_code == 403
    assert client.get(register_url(event, invitation="guess")).status_code == 403
    response = client.post(register_url(event), {**guest_data(), "invitation": "guess"})
    assert response.status_code == 403 and not Registration.objects.exists()
    other = make_event(slug="other", registration_policy=Event.RegistrationPolicy.INVITED)
    # Another event's link does not open this one.
    assert client.get(register_url(event, invitation=other.invitation_token)).status_code == 403
    response = client.get(register_url(event, invitation=event.invitation_token))
    assert response.status_code == 200 and 'name="invitation"' in response.text
    client.post(register_url(event), {**guest_data(), "invitation": event.invitation_token})
    assert Registration.objects.get().status == Registration.Status.PENDING


def test_personal_invitation_prefills_the_email(client, db):
    event = make_event(registration_policy=Event.RegistrationPolicy.INVITED)
    invitation = Invitation.objects.create(event=event, email="Omar@Example.org", name="Omar")
    response = client.get(invitation.get_absolute_url())
    assert 'value="Omar@Example.org"' in response.text and 'value="Omar"' in response.text


def test_double_registration_by_the_same_email_is_refused(
    client, open_event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(register_url(open_event), guest_data(), follow=True)
        second = client.post(
            register_url(open_event), guest_data(email="LAYLA@example.NET"), follow=True
        )
    assert Registration.objects.count() == 1
    # The link is sent again, to the registered address only, and the page says what it
    # says to anyone: the form does not tell who is registered.
    assert [m.to for m in mail.outbox] == [["layla@example.net"], ["layla@example.net"]]
    assert "already registered" in mail.outbox[1].body
    assert "we have emailed you a link" in second.text
    assert first.text.count("we have emailed you a link") == second.text.count(
        "we have emailed you a link"
    )


def test_a_personal_invitation_registers_its_invitee_only_and_once(
    client, db, django_capture_on_commit_callbacks
):
    event = make_event(registration_policy=Event.RegistrationPolicy.INVITED)
    invitation = Invitation.objects.create(event=event, email="omar@example.org", name="Omar")
    url = invitation.get_absolute_url()
    token = re.search(r"invitation=([^&]+)", url).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            register_url(event), {**guest_data(email="stranger@example.net"), "invitation": token}
        )
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.email == "omar@example.org"  # the posted address was ignored
    assert [m.to for m in mail.outbox] == [["omar@example.org"]]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            register_url(event), {**guest_data(email="second@example.net"), "invitation": token}
        )
    assert Registration.objects.count() == 1
    assert [m.to for m in mail.outbox] == [["omar@example.org"], ["omar@example.org"]]


def test_addresses_are_compared_as_the_database_compares_them(client, open_event):
    """The Kelvin sign K lower-cases to k: the same address for the unique constraint."""
    first = client.post(register_url(open_event), guest_data(email="\u212aim@example.org"))
    assert first.status_code == 302
    second = client.post(register_url(open_event), guest_data(email="kim@example.org"))
    assert second.status_code == 302  # no IntegrityError: the same address, its link resent
    assert Registration.objects.count() == 1


def test_a_guest_cannot_register_a_registered_members_address_again(
    client, open_event, django_capture_on_commit_callbacks
):
    member = make_member_user(7)
    services.register(event=open_event, user=member)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            register_url(open_event), guest_data(email="MEMBER7@example.ORG"), follow=True
        )
    # Told as anyone is (whether a member is registered is theirs to share); the member
    # is emailed to sign in.
    assert "we have emailed you a link" in response.text
    assert list(Registration.objects.values_list("user", flat=True)) == [member.pk]
    (message,) = mail.outbox
    assert message.to == ["member7@example.org"] and "sign in" in message.body


def test_expired_hold_frees_its_place_at_once(open_event):
    open_event.capacity = 1
    open_event.save()
    earlier = timezone.now() - datetime.timedelta(hours=3)
    held = services.register(
        event=open_event, guest=services.Guest(name="Early", email="early@example.net"), now=earlier
    )
    assert held.status == Registration.Status.PENDING and held.holds_place
    # No periodic job has run: the next registration sees the place as free.
    later = services.register(
        event=open_event, guest=services.Guest(name="Late", email="late@example.net")
    )
    assert later.holds_place
    held.refresh_from_db()
    assert held.status == Registration.Status.EXPIRED
    assert Event.objects.with_attendance().get(pk=open_event.pk).places_left == 0


def test_live_hold_takes_the_place_and_the_next_guest_waits(open_event):
    open_event.capacity = 1
    open_event.save()
    first = services.register(event=open_event, guest=services.Guest(name="A", email="a@x.org"))
    second = services.register(event=open_event, guest=services.Guest(name="B", email="b@x.org"))
    assert first.holds_place and not second.holds_place
    second = services.confirm_guest(registration=second, token=second.token)
    assert second.status == Registration.Status.WAITLISTED
    first = services.confirm_guest(registration=first, token=first.token)
    assert first.status == Registration.Status.CONFIRMED
    services.cancel(registration=first, token=first.token)
    second.refresh_from_db()
    assert second.status == Registration.Status.CONFIRMED


def test_expired_hold_gives_its_place_to_the_waitlist_first(open_event, members):
    open_event.capacity = 1
    open_event.save()
    held = services.register(
        event=open_event,
        guest=services.Guest(name="A", email="a@x.org"),
        now=timezone.now() - datetime.timedelta(minutes=services.hold_minutes() - 1),
    )
    waiting = services.register(event=open_event, user=members[0])
    assert waiting.status == Registration.Status.WAITLISTED
    services.expire_holds()  # nothing expired yet
    held.refresh_from_db()
    assert held.status == Registration.Status.PENDING
    Registration.objects.filter(pk=held.pk).update(
        hold_expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    late = services.register(event=open_event, user=members[1])
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED  # FIFO: the waitlist first
    assert late.status == Registration.Status.WAITLISTED


def test_confirming_after_expiry_places_anew(client, open_event):
    registration = services.register(
        event=open_event,
        guest=services.Guest(name="A", email="a@x.org"),
        now=timezone.now() - datetime.timedelta(days=1),
    )
    url = reverse(
        "events:guest_confirm", kwargs={"slug": open_event.slug, "token": registration.token}
    )
    client.post(url)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


def test_guest_link_with_wrong_token_is_404_and_methods_are_enforced(client, open_event):
    registration = services.register(
        event=open_event, guest=services.Guest(name="A", email="a@x.org")
    )
    kwargs = {"slug": open_event.slug, "token": registration.token}
    bad = {"slug": open_event.slug, "token": registration.token[:-1] + "x"}
    assert client.get(reverse("events:guest_manage", kwargs=bad)).status_code == 404
    assert client.post(reverse("events:guest_cancel", kwargs=bad)).status_code == 404
    assert client.post(reverse("events:guest_confirm", kwargs=bad)).status_code == 404
    assert client.get(reverse("events:guest_confirm", kwargs=kwargs)).status_code == 405
    assert client.get(reverse("events:guest_cancel", kwargs=kwargs)).status_code == 405
    assert (
        client.put(reverse("events:register", kwargs={"slug": open_event.slug})).status_code == 405
    )
    # Not confirmed yet: no calendar with the online link.
    assert client.get(reverse("events:guest_ics", kwargs=kwargs)).status_code == 404
    other = make_event(slug="other", registration_policy=Event.RegistrationPolicy.ANYONE)
    wrong_event = {"slug": other.slug, "token": registration.token}
    assert client.get(reverse("events:guest_manage", kwargs=wrong_event)).status_code == 404
    client.post(reverse("events:guest_cancel", kwargs=kwargs))
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_honeypot_keeps_nothing(client, open_event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(register_url(open_event), guest_data(website="http://spam"))
    assert response.status_code == 302
    assert not Registration.objects.exists() and not mail.outbox


def test_rate_limit_per_ip_and_per_email(client, open_event, settings):
    settings.GUEST_REGISTRATIONS_PER_EMAIL_HOUR = 2
    settings.GUEST_REGISTRATIONS_PER_IP_HOUR = 4
    for _ in range(2):
        client.post(register_url(open_event), guest_data(email="same@example.net"))
    response = client.post(register_url(open_event), guest_data(email="Same@Example.net"))
    assert (
        response.status_code == 429 and "Too many registrations for this address" in response.text
    )
    client.post(register_url(open_event), guest_data(email="new@example.net"))
    response = client.post(register_url(open_event), guest_data(email="newer@example.net"))
    assert response.status_code == 429 and "from your network" in response.text
    assert not Registration.objects.filter(email="newer@example.net").exists()


@pytest.mark.parametrize(
    "bad",
    [
        {"name": ""},
        {"name": "   "},
        {"email": "not-an-email"},
        {"name": "x" * 201},
        {"organization": "o" * 201},
        {"country": "XX"},
        {"role": "king"},
        {"name": "Null\x00byte"},
    ],
)
def test_bad_guest_input_is_refused_with_a_message(client, open_event, bad):
    response = client.post(register_url(open_event), guest_data(**bad))
    assert response.status_code == 400
    assert 'class="errorlist"' in response.text
    assert not Registration.objects.exists()


def test_member_still_registers_in_one_click_on_open_events(client, open_event, members):
    client.force_login(members[0])
    client.post(register_url(open_event))
    assert Registration.objects.get().user == members[0]
    assert client.get(register_url(open_event)).status_code == 302


def test_new_account_finds_past_guest_registrations(client, open_event):
    registration = services.register(
        event=open_event, guest=services.Guest(name="Layla", email="Layla@Example.net")
    )
    services.confirm_guest(registration=registration, token=registration.token)
    user = make_user("other@example.org")
    from allauth.account.models import EmailAddress
    from allauth.account.signals import email_confirmed

    address = EmailAddress.objects.create(user=user, email="layla@example.NET", verified=True)
    email_confirmed.send(sender=EmailAddress, request=None, email_address=address)
    registration.refresh_from_db()
    assert registration.user == user


def test_confirming_with_an_existing_account_attaches_it(open_event):
    user = make_member_user(9)
    registration = services.register(
        event=open_event, guest=services.Guest(name="M", email="MEMBER9@example.org")
    )
    registration = services.confirm_guest(registration=registration, token=registration.token)
    assert registration.user == user


def test_staff_invite_each_address_once_as_the_constraint_counts_and_only_while_open(
    staff_client, db
):
    event = make_event(registration_policy=Event.RegistrationPolicy.INVITED)
    url = reverse("events:invitations", args=[event.slug])
    assert (
        staff_client.post(url, {"name": "Kim", "email": "\u212aim@example.org"}).status_code == 302
    )
    again = staff_client.post(url, {"name": "Kim", "email": "kim@example.org"})
    assert again.status_code == 400 and "already invited" in again.text  # not an IntegrityError
    past = make_event(
        slug="over",
        registration_policy=Event.RegistrationPolicy.INVITED,
        starts_at=timezone.now() - datetime.timedelta(days=3),
    )
    response = staff_client.post(
        reverse("events:invitations", args=[past.slug]), {"name": "Late", "email": "l@x.org"}
    )
    assert response.status_code == 400 and "This event is over." in response.text
    assert Invitation.objects.count() == 1
