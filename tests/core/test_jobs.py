"""The periodic-job registry: each app brings its own jobs; the scheduler knows no app."""

import pytest

from core import jobs


def test_every_app_registers_its_jobs_beside_its_data():
    owners = {name: job.__module__ for name, job in jobs.JOBS.items()}
    assert owners == {
        "requeued": "mail.jobs",
        "expired_secrets": "mail.jobs",
        "expired_holds": "events.jobs",
        "reminders": "events.jobs",
        "follow_ups": "events.jobs",
        "pending_uploads_discarded": "resources.jobs",
        "digest": "communications.jobs",
        "announcements": "communications.jobs",
        "group_digests": "groups.jobs",
    }


def test_two_jobs_cannot_share_a_name():
    with pytest.raises(ValueError, match="reminders"):
        jobs.periodic("reminders")(lambda now=None: 0)
    assert jobs.JOBS["reminders"].__module__ == "events.jobs"


def test_registering_the_same_job_again_is_harmless():
    job = jobs.JOBS["digest"]
    assert jobs.periodic("digest")(job) is job


@pytest.mark.django_db
def test_one_round_runs_every_job_and_reports_each():
    assert set(jobs.run_once()) == set(jobs.JOBS)
