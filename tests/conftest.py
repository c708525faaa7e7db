"""Personas and shared fixtures: a visitor, a member, an admin, and the network's history."""

import pytest
from django.utils import translation

from members.models import Member
from tests.helpers import make_event, make_member_user, make_user
from tests.snapshot import HistorySnapshot


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "multi_instance: nginx, two gunicorn instances, a worker, S3 and Redis (tests/deploy/)",
    )


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
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "bulk"]}
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


@pytest.fixture(scope="session")
def s3_server():
    """A real S3 HTTP API (moto's standalone server) on a free local port: boto3 and
    django-storages talk to it over HTTP, nothing is patched. Its endpoint URL."""
    import logging

    from moto.server import ThreadedMotoServer

    from tests.helpers import free_port

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per S3 request
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_bucket(s3_server):
    """A new bucket on the S3 server; a factory for more (a restore's new location)."""
    import uuid

    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )

    def make():
        name = f"allin-{uuid.uuid4().hex[:12]}"
        client.create_bucket(Bucket=name)
        return name

    make.client = client
    return make


@pytest.fixture
def s3_storage(settings, s3_server, s3_bucket):
    """Public and private files in a new bucket, as S3_BUCKET configures them. The bucket."""
    from allin_portal.settings import s3_storages
    from tests.helpers import S3_CREDENTIALS

    bucket = s3_bucket()
    settings.STORAGES = {
        **settings.STORAGES,
        **s3_storages(bucket=bucket, endpoint_url=s3_server, **S3_CREDENTIALS),
    }
    return bucket
