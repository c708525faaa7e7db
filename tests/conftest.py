"""Personas and shared fixtures: a visitor, a member, an admin, and the network's history."""

import pytest
from django.utils import translation

from members.models import Member
from tests.helpers import make_event, make_member_user, make_user
from tests.snapshot import HistorySnapshot


@pytest.fixture(autouse=True)
def no_language_left_active():
    """A request in Arabic leaves Arabic active in this thread (LocaleMiddleware): reset it,
    so the next test does not format dates or pick translated fields in that language."""
    yield
    translation.deactivate()


@pytest.fixture(scope="session")
def history_snapshot(django_db_setup, django_db_blocker):
    """The history loaded once per test database (tests/snapshot.py)."""
    snapshot = HistorySnapshot()
    with django_db_blocker.unblock():
        snapshot.build()
    return snapshot


@pytest.fixture
def history(history_snapshot, db):
    """The network's history as `make run` loads it (in a transactional test too: it asks
    for `transactional_db` or `live_server`, and the copy is committed and flushed after)."""
    history_snapshot.copy()


@pytest.fixture
def member_user(db):
    user = make_user("amina@example.org", "Members", first_name="Amina")
    Member.objects.create(
        user=user,
        name="Amina Mensah",
        slug="amina-mensah",
        country="GH",
        status=Member.Status.APPROVED,
        visibility=Member.Visibility.MEMBERS,
    )
    return user


@pytest.fixture
def network_admin(db):
    return make_user("admin@example.org", "Network admins", is_staff=True)


@pytest.fixture
def member_client(client, member_user):
    client.force_login(member_user)
    return client


@pytest.fixture
def network_admin_client(client, network_admin):
    client.force_login(network_admin)
    return client


@pytest.fixture
def run_queued_tasks(db, settings):
    """Tasks wait in the production queue (django-tasks' database backend) until `run()`
    runs them as the worker would, inside the test's transaction (the real worker closes
    connections)."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }

    def run():
        done = 0
        while queued := list(DBTaskResult.objects.ready()):
            for db_result in queued:
                result = db_result.task_result
                db_result.set_successful(db_result.task.call(*result.args, **result.kwargs))
                done += 1
        return done

    return run


@pytest.fixture
def event(db):
    return make_event()


@pytest.fixture
def staff_user(db):
    return make_user("staff@example.org", "Event staff", first_name="Sam")


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def members(db):
    return [make_member_user(n) for n in range(1, 4)]
