"""Member and organization imports too big for one request (see imports.importjobs)."""

from django.utils.translation import gettext as _
from django_tasks import task

from imports import importjobs
from members import csv_io


@task()
def run_member_import(job_id):
    importjobs.run(job_id, _import)


def _import(job, file, progress):
    result = csv_io.import_csv(
        upload=file, kind=job.kind, dry_run=False, by=job.created_by, progress=progress
    )
    if result.errors:
        return _("Nothing was imported: correct these rows and import the file again."), (
            result.errors
        )
    return (
        _("Imported: %(created)d created, %(updated)d updated.")
        % {"created": result.created, "updated": result.updated},
        [],
    )
