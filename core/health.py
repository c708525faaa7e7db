"""`/healthz`: is every part of the portal answering, and are the background processes alive?

The database, the shared cache and the default file storage are asked directly. The task
worker and the scheduler leave heartbeats in the shared cache: the scheduler at each round
(`mail_scheduler`, every minute), and the worker whenever it runs `worker_heartbeat`, a task
the scheduler queues on the default queue once the previous one has run; so the worker's
heartbeat shows that the queue is really being served, not only that a process exists. A
heartbeat older than `HEALTH_WORKER_MAX_AGE` / `HEALTH_SCHEDULER_MAX_AGE` seconds (or none at
all) makes the answer 503, like a failed check.
"""

import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks import task

HEARTBEAT = "allin:heartbeat:{}"
REQUESTED = "allin:heartbeat:worker:requested"


def beat(name):
    cache.set(HEARTBEAT.format(name), time.time(), timeout=None)


def last_beat(name):
    return cache.get(HEARTBEAT.format(name))


@task()
def worker_heartbeat():
    beat("worker")
    cache.delete(REQUESTED)


def scheduler_ran():
    """After each scheduler round: its own beat, and a heartbeat task for the worker."""
    beat("scheduler")
    request_worker_heartbeat()


def request_worker_heartbeat():
    """The scheduler's round: queue one heartbeat task unless one is waiting (a dead worker
    never piles them up; a lost one is replaced after HEALTH_WORKER_MAX_AGE)."""
    if cache.add(REQUESTED, time.time(), timeout=settings.HEALTH_WORKER_MAX_AGE):
        worker_heartbeat.enqueue()


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def _cache():
    key, value = f"allin:healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=30)
    try:
        return cache.get(key) == value
    finally:
        cache.delete(key)


def _storage():
    default_storage.exists("healthz-probe")  # reaches the disk or the bucket
    return True


def _probe(check):
    try:
        return bool(check())
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        return False


def _heartbeat(name, max_age):
    try:
        last = last_beat(name)
    except Exception:  # noqa: BLE001 - the cache is down: reported as such above
        last = None
    age = None if last is None else max(0, round(time.time() - last))
    return {"ok": age is not None and age <= max_age, "age": age, "max_age": max_age}


def report():
    checks = {
        "database": _probe(_database),
        "cache": _probe(_cache),
        "storage": _probe(_storage),
        "worker": _heartbeat("worker", settings.HEALTH_WORKER_MAX_AGE),
        "scheduler": _heartbeat("scheduler", settings.HEALTH_SCHEDULER_MAX_AGE),
    }
    ok = all(v is True or (isinstance(v, dict) and v["ok"]) for v in checks.values())
    return {"ok": ok, **checks}


@require_safe
@never_cache
def healthz(request):
    """For load balancers and monitors: 200 when every check passes, else 503."""
    result = report()
    return JsonResponse(result, status=200 if result["ok"] else 503)
