"""/healthz: the database, the cache, the storage, and the worker's and scheduler's beats."""

import time

import pytest
from django.core.cache import cache
from django.urls import reverse

from core import health


@pytest.fixture
def alive(db):
    """A scheduler round has run, and the worker has run the heartbeat it queued (the tests'
    task backend runs tasks at once)."""
    health.scheduler_ran()


def test_all_well(client, alive):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert body["database"] is body["cache"] is body["storage"] is True
    assert body["worker"]["ok"] and body["worker"]["age"] is not None
    assert body["scheduler"]["ok"] and body["scheduler"]["age"] is not None
    assert "no-cache" in response["Cache-Control"]


def test_never_seen_worker_and_scheduler_answer_503(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["ok"] is False and body["database"] is True
    assert body["worker"] == {"ok": False, "age": None, "max_age": 300}
    assert body["scheduler"]["ok"] is False


@pytest.mark.parametrize("name", ["worker", "scheduler"])
def test_a_heartbeat_older_than_its_limit_answers_503(client, alive, settings, name):
    settings.HEALTH_WORKER_MAX_AGE = settings.HEALTH_SCHEDULER_MAX_AGE = 60
    cache.set(health.HEARTBEAT.format(name), time.time() - 61, timeout=None)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body[name]["ok"] is False and body[name]["age"] >= 61
    other = {"worker": "scheduler", "scheduler": "worker"}[name]
    assert body[other]["ok"] is True


def test_a_dead_worker_is_asked_once_not_flooded(db, settings, run_queued_tasks):
    """With the real queue and no worker, each scheduler round would otherwise add a task."""
    from django_tasks_db.models import DBTaskResult

    for _ in range(3):
        health.scheduler_ran()
    assert DBTaskResult.objects.filter(task_path__endswith="worker_heartbeat").count() == 1
    assert health.last_beat("worker") is None
    run_queued_tasks()
    assert health.last_beat("worker") is not None
    health.scheduler_ran()  # the next round asks again
    assert DBTaskResult.objects.filter(status="READY").count() == 1


def test_unreachable_storage_answers_503(client, alive, settings, tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "tests.allin_portal.test_healthz.BrokenStorage",
        },
    }
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["storage"] is False and response.json()["database"] is True


def test_broken_cache_answers_503(client, alive, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        },
    }
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["cache"] is False and body["worker"]["ok"] is False


def test_healthz_methods(client, alive):
    assert client.head(reverse("healthz")).status_code == 200
    assert client.post(reverse("healthz")).status_code == 405


class BrokenStorage:
    """A storage whose server cannot be reached."""

    def exists(self, name):
        raise OSError("connection refused")


def test_the_scheduler_command_and_a_worker_leave_their_beats(transactional_db, settings):
    """The real commands, in their own processes, on this test's database and cache."""
    import os
    import subprocess
    import sys

    from tests.allin_portal.test_health_and_settings import BASE_DIR

    database = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "allin_portal.settings",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}"
        f"/{database['NAME']}",
    }
    env.pop("REDIS_URL", None)
    for command in (
        ["mail_scheduler", "--once"],
        ["db_worker", "--batch", "--queue-name", "default"],
    ):
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=BASE_DIR, env=env, check=True, timeout=120
        )
    try:
        assert health.last_beat("scheduler") and health.last_beat("worker")
    finally:  # the cache table outlives this test's flush
        cache.delete_many([health.HEARTBEAT.format("scheduler"), health.HEARTBEAT.format("worker")])
