"""Many members register for a small event at the same moment, against real PostgreSQL."""

import threading

from django.db import connection

from events import services
from events.models import Registration
from tests.events.conftest import make_event, make_member

THREADS = 40
CAPACITY = 10


def test_concurrent_registrations_never_exceed_capacity(transactional_db):
    event = make_event(capacity=CAPACITY)
    users = [make_member(n) for n in range(1, THREADS + 1)]
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
