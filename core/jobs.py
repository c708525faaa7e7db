"""Periodic work: each app declares its own jobs beside the data they touch, in its
`jobs.py`, with `@periodic("name")`; `manage.py mail_scheduler` runs every registered job
once a minute (`run_once()`). This module knows no app: it finds the `jobs` modules of the
installed apps (`CoreConfig.ready`), in INSTALLED_APPS order.

A job takes `now` (None: the current time) and returns what it did (a count), and must be
safe to run twice or on several machines at once (row locks, unique keys).
"""

from django.utils.module_loading import autodiscover_modules

JOBS = {}


def periodic(name):
    """Register the decorated function as the periodic job `name` (unique)."""

    def register(job):
        if JOBS.get(name, job) is not job:
            raise ValueError(f"two periodic jobs are named {name!r}")
        JOBS[name] = job
        return job

    return register


def discover():
    autodiscover_modules("jobs")


def run_once(now=None):
    """One round of every registered job: {name: what it returned}."""
    return {name: job(now) for name, job in JOBS.items()}
