"""Running the real database task worker inside a test."""

import threading

from django.db import connection
from django_tasks_db.management.commands.db_worker import Worker


def run_worker(name="worker-1", queues=("default", "bulk"), max_tasks=None):
    """`manage.py db_worker --batch`: runs every ready task, then returns."""
    Worker(
        queue_names=list(queues),
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id=name,
        excluded_queue_names=[],
    ).run()


def run_workers(count=2):
    """Several workers at once, each in its own thread and database connection."""
    errors = []

    def work(n):
        try:
            run_worker(f"worker-{n}")
        except Exception as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
