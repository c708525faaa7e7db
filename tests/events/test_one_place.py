"""One person, one place: a guest registration and an account's never both hold a place.

Decided under the event's lock whichever comes first, whatever the letter case of the
address; the database's `registration_one_active_per_email` is the last word.
"""

import threading

import pytest
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from events import services
from events.models import Event, Registration
from tests.helpers import make_event, make_member_user


@pytest.fixture(autouse=True)
def clear_rate_limits(db):
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def event(db):
    return make_event(capacity=5, registration_policy=Event.RegistrationPolicy.ANYONE)


@pytest.fixture
def member(db):
    return make_member_user(1)  # member1@example.org


def guest(email, name="Someone"):
    return services.Guest(name=name, email=email)


def active(event):
    return list(Registration.objects.filter(event=event).active())


CASES = ["member1@example.org", "MEMBER1@EXAMPLE.ORG", "Member1@Example.Org"]


@pytest.mark.parametrize("address", CASES)
def test_unconfirmed_guest_then_member_one_click_is_one_place(client, event, member, address):
    services.register(event=event, guest=guest(address))
    client.force_login(member)
    response = client.post(reverse("events:register", args=[event.slug]), follow=True)
    assert response.status_code == 200
    (registration,) = active(event)
    assert registration.user == member
    # Signing in proved the address: the held place is the member's now.
    assert registration.status == Registration.Status.CONFIRMED
    assert not registration.holds_place and registration.email_confirmed_at is not None
    assert "You are registered" in response.text


@pytest.mark.parametrize("address", CASES)
def test_guest_registered_by_staff_then_member_is_told_and_keeps_one_place(
    client, event, member, staff_user, address
):
    staff_guest = services.register(event=event, guest=guest(address), by=staff_user)
    assert staff_guest.status == Registration.Status.CONFIRMED and staff_guest.user is None
    client.force_login(member)
    response = client.post(reverse("events:register", args=[event.slug]), follow=True)
    (registration,) = active(event)
    assert registration.pk == staff_guest.pk and registration.user == member
    assert registration.status == Registration.Status.CONFIRMED
    assert "already registered with your address as a guest" in response.text


def test_guest_who_confirmed_then_member_is_refused(event, member):
    # Confirming by the link already gave the registration to the account that owns the
    # address (confirm_guest): the one click meets it.
    pending = services.register(event=event, guest=guest("MEMBER1@example.org"))
    services.confirm_guest(registration=pending, token=pending.token)
    with pytest.raises(services.RegistrationError, match="already registered"):
        services.register(event=event, user=member, by=member)
    (registration,) = active(event)
    assert registration.pk == pending.pk and registration.user == member


def test_waitlisted_guest_then_member_keeps_the_waitlist_place(event, member, staff_user):
    event.capacity = 0
    event.save()
    waiting = services.register(event=event, guest=guest("MEMBER1@example.org"), by=staff_user)
    registration = services.register(event=event, user=member, by=member)
    assert registration.pk == waiting.pk and registration.claimed
    assert registration.status == Registration.Status.WAITLISTED
    assert len(active(event)) == 1


def test_guest_with_a_confirmed_secondary_address_of_the_member(event, member):
    member.emailaddress_set.create(email="amina.work@example.net", verified=True)
    services.register(event=event, user=member, by=member)
    with pytest.raises(services.AlreadyRegistered):
        services.register(event=event, guest=guest("Amina.Work@example.net"))
    assert len(active(event)) == 1


def test_unverified_secondary_address_is_not_the_member(event, member):
    member.emailaddress_set.create(email="not-mine@example.net", verified=False)
    services.register(event=event, user=member, by=member)
    services.register(event=event, guest=guest("not-mine@example.net"))
    assert len(active(event)) == 2  # two people: the address was never proven the member's


@pytest.mark.parametrize("address", CASES)
def test_member_then_guest_form_answers_alike_and_adds_nothing(client, event, member, address):
    services.register(event=event, user=member, by=member)
    response = client.post(
        reverse("events:register", args=[event.slug]),
        {"name": "Impostor", "email": address, "country": "", "role": ""},
        follow=True,
    )
    assert "Almost done" in response.text  # as for anyone: membership is not revealed
    (registration,) = active(event)
    assert registration.user == member


def test_member_after_cancelling_while_a_guest_holds_the_address_is_refused(event, member):
    own = services.register(event=event, user=member, by=member)
    services.cancel(registration=own, by=member)
    services.register(event=event, guest=guest("Member1@example.org"))
    with pytest.raises(services.RegistrationError, match="already registered for this event as"):
        services.register(event=event, user=member, by=member)
    assert len(active(event)) == 1


def test_import_refuses_the_same_person_twice(event, member, staff_user):
    services.register(event=event, guest=guest("MEMBER1@example.org"))
    with pytest.raises(services.RegistrationError, match="Row 2"):
        services.register_many(event=event, people=[(2, member, None, False)], by=staff_user)
    other = make_member_user(2)
    with pytest.raises(services.RegistrationError, match="Row 3"):
        services.register_many(
            event=event,
            people=[(2, other, None, False), (3, None, guest("member2@EXAMPLE.org"), False)],
            by=staff_user,
        )
    assert len(active(event)) == 1


def test_database_refuses_two_active_places_for_one_address(event, member):
    Registration.objects.create(
        event=event, user=member, email="member1@example.org", status="confirmed"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            event=event, name="Twin", email="MEMBER1@example.org", status="confirmed"
        )
    # A cancelled twin is history, not a place.
    Registration.objects.create(
        event=event, name="Twin", email="MEMBER1@example.org", status="cancelled"
    )


def test_raced_guest_and_member_get_exactly_one_place(transactional_db):
    """A guest with the member's address and the member's one click, at the same moment."""
    member = make_member_user(1)
    for attempt in range(5):
        event = make_event(
            slug=f"race-{attempt}",
            capacity=5,
            registration_policy=Event.RegistrationPolicy.ANYONE,
        )
        barrier = threading.Barrier(2)
        errors = []

        def run(job, event=event, barrier=barrier, errors=errors):
            try:
                barrier.wait(timeout=30)
                job(event)
            except services.AlreadyRegistered:
                pass  # the guest met the member's place: answered like any registration
            except Exception as error:  # noqa: BLE001 - every failure is reported by the test
                errors.append(error)
            finally:
                connection.close()

        jobs = [
            lambda e: services.register(event=e, guest=guest("MEMBER1@Example.org")),
            lambda e: services.register(event=e, user=member, by=member),
        ]
        threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert errors == []
        (registration,) = active(event)
        assert registration.user_id == member.pk
