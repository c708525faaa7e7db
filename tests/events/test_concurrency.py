"""Many members register for a small event at the same moment, against real PostgreSQL."""

import threading

from django.db import connection

from events import services
from events.models import Registration
from tests.helpers import make_event, make_member_user

THREADS = 40
CAPACITY = 10


def test_concurrent_registrations_never_exceed_capacity(transactional_db):
    event = make_event(capacity=CAPACITY)
    users = [make_member_user(n) for n in range(1, THREADS + 1)]
    barrier = threading.Barrier(THREADS)
    errors, results = [], []

    def attempt(user):
        try:
            barrier.wait(timeout=30)
            results.append(services.register(event=event, user=user))
        except Exception as error:  # noqa: BLE001 - every failure is reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert len(results) == THREADS
    confirmed = Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED)
    waitlist = list(Registration.objects.filter(event=event).waitlisted())
    assert confirmed.count() == CAPACITY
    assert len(waitlist) == THREADS - CAPACITY
    # In order: every waitlisted joined after every confirmed one, each at its own position.
    times = [r.waitlisted_at for r in waitlist]
    assert times == sorted(times)
    assert [services.waitlist_position(r) for r in waitlist] == list(range(1, len(waitlist) + 1))
    latest_confirmed = max(confirmed.values_list("created_at", flat=True))
    assert all(r.created_at >= latest_confirmed for r in waitlist)


def test_guests_members_and_expiring_holds_mixed_never_exceed_capacity(transactional_db):
    """Members, guests who hold places, expired holds and confirmations race together."""
    import datetime

    from django.utils import timezone

    from events.models import Event

    event = make_event(capacity=CAPACITY, registration_policy=Event.RegistrationPolicy.ANYONE)
    # Four stale holds: they must free their places whoever comes first.
    stale = [
        services.register(
            event=event,
            guest=services.Guest(name=f"Stale {n}", email=f"stale{n}@example.net"),
            now=timezone.now() - datetime.timedelta(days=1),
        )
        for n in range(4)
    ]
    users = [make_member_user(n) for n in range(1, 16)]
    jobs = [("member", user) for user in users]
    jobs += [("guest", n) for n in range(15)]
    # Two of the stale guests confirm late, while the others race.
    jobs += [("confirm", registration) for registration in stale[:2]]
    barrier = threading.Barrier(len(jobs))
    errors, results = [], []

    def attempt(kind, who):
        try:
            barrier.wait(timeout=30)
            if kind == "member":
                results.append(services.register(event=event, user=who))
            elif kind == "guest":
                guest = services.Guest(name=f"Guest {who}", email=f"guest{who}@example.net")
                registration = services.register(event=event, guest=guest)
                results.append(
                    services.confirm_guest(registration=registration, token=registration.token)
                )
            else:
                results.append(services.confirm_guest(registration=who, token=who.token))
        except Exception as error:  # noqa: BLE001 - every failure is reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert len(results) == len(jobs)
    registrations = Registration.objects.filter(event=event)
    assert registrations.confirmed().count() == CAPACITY
    assert not registrations.filter(status=Registration.Status.PENDING).exists()
    assert registrations.filter(status=Registration.Status.EXPIRED).count() == 2
    waitlist = list(registrations.waitlisted())
    assert len(waitlist) == len(jobs) - CAPACITY
    assert [services.waitlist_position(r) for r in waitlist] == list(range(1, len(waitlist) + 1))
    # Cancelling a confirmed place promotes the first in line, whoever they are.
    first = waitlist[0]
    victim = registrations.confirmed().first()
    services.cancel(registration=victim, by=victim.user, token=victim.token)
    first.refresh_from_db()
    assert first.status == Registration.Status.CONFIRMED


def test_one_address_invited_twice_at_once_answers_clearly(transactional_db):
    """Two staff pages send one address (in other letter cases) at the same moment: one
    invitation, and the other request says the address is already invited (no 500)."""
    from django.test import Client
    from django.urls import reverse

    from events.models import Event, Invitation
    from tests.helpers import make_user

    event = make_event(registration_policy=Event.RegistrationPolicy.INVITED)
    staff = make_user("staff@example.org", "Event staff")
    url = reverse("events:invitations", args=[event.slug])
    for attempt_number in range(3):
        Invitation.objects.all().delete()
        addresses = [f"Kim{attempt_number}@Example.org", f"kim{attempt_number}@example.ORG"]
        barrier = threading.Barrier(len(addresses))
        errors, statuses = [], []

        def post(address, barrier=barrier, errors=errors, statuses=statuses):
            client = Client(raise_request_exception=True)
            client.force_login(staff)
            try:
                barrier.wait(timeout=30)
                response = client.post(url, {"name": "Kim", "email": address})
                statuses.append((response.status_code, "already invited" in response.text))
            except Exception as error:  # noqa: BLE001 - every failure is reported by the test
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=post, args=(address,)) for address in addresses]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert errors == []
        assert sorted(statuses) == [(302, False), (400, True)]
        assert Invitation.objects.filter(event=event).count() == 1
