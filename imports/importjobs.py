"""Big confirmed imports run by the task queue (django-tasks), with their progress.

An app's import view calls `start()` when a checked file has more rows than
`IMPORT_BACKGROUND_ROWS`: the file is kept in private storage, an `ImportJob` row
records who started what, and the app's task is queued once the request commits. The
person is sent to the job's page (`allin_portal:import_job`), which reloads itself
until the job has finished. The app's task calls `run()` with the work to do; the work
checks the rows again (the data may have changed meanwhile), reporting its progress,
then saves all rows in one transaction, or none.
"""

import logging
import uuid

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import media
from imports.models import ImportJob

logger = logging.getLogger(__name__)


def storage():
    """Where files wait for their job: the private storage (a folder or a bucket shared by
    every instance and worker), never served."""
    return media.private_storage


def needs_background(row_count):
    return row_count > settings.IMPORT_BACKGROUND_ROWS


def start(*, upload, task, kind, title, by, total_rows, next_url="", target_id=None):
    """Keep the file, record the job, queue `task(job_id)` after the commit; the job."""
    upload.seek(0)
    file_name = storage().save(f"imports/{uuid.uuid4().hex}.csv", upload)
    job = ImportJob.objects.create(
        kind=kind,
        title=title[:300],
        created_by=by,
        file_name=file_name,
        total_rows=total_rows,
        next_url=next_url,
        target_id=target_id,
    )
    transaction.on_commit(lambda: task.enqueue(str(job.pk)))
    return job


class Progress:
    """Passed to the work: `checked(n)` saves how many rows are checked, now and then."""

    EVERY = 500

    def __init__(self, job):
        self.job = job

    def checked(self, n):
        if n == self.job.total_rows or n % self.EVERY == 0:
            ImportJob.objects.filter(pk=self.job.pk).update(checked_rows=n)

    def saving(self):
        ImportJob.objects.filter(pk=self.job.pk).update(
            status=ImportJob.Status.SAVING, checked_rows=self.job.total_rows
        )


def run(job_id, work):
    """Run one job: `work(job, file, progress)` returns (message, errors).

    errors: [(row, column, message)], empty when the rows were saved. Any exception
    leaves the job failed with nothing saved (the work saves in one transaction).
    """
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None or job.finished:
        return
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.CHECKING)
    job.status = ImportJob.Status.CHECKING
    files = storage()
    # Jobs queued before the files moved to storages["private"] kept names without imports/.
    name = job.file_name if "/" in job.file_name else f"imports/{job.file_name}"
    try:
        with files.open(name, "rb") as file, translation.override(job.created_by.language):
            message, errors = work(job, file, Progress(job))
    except Exception:
        logger.exception("Import %s failed", job.pk)
        message, errors = _("The import stopped on an unexpected error: nothing was saved."), []
        status = ImportJob.Status.FAILED
    else:
        status = ImportJob.Status.FAILED if errors else ImportJob.Status.DONE
    finally:
        if job.file_name:
            files.delete(name)
    ImportJob.objects.filter(pk=job.pk).update(
        status=status,
        message=message,
        errors=[list(e) for e in errors[: ImportJob.MAX_ERRORS]],
        finished_at=timezone.now(),
        file_name="",
    )
