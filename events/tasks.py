"""Attendee imports too big for one request (see imports.importjobs)."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from events.imports import ImportFileError, import_rows, read_rows, row_errors
from events.models import Event
from events.services import RegistrationError
from imports import importjobs


@task()
def run_attendee_import(job_id):
    importjobs.run(job_id, _import)


def _import(job, file, progress):
    event = Event.objects.filter(pk=job.target_id).first()
    if event is None:
        message = _("The event no longer exists: nothing was imported.")
        return message, [(0, "", message)]
    try:
        rows = read_rows(event, file, progress=progress)
    except ImportFileError as error:
        return str(error), [(1, "", str(error))]
    errors = row_errors(rows)
    if errors:
        return _("Nothing was imported: correct these rows and import the file again."), errors
    progress.saving()
    try:
        created = import_rows(event, rows, by=job.created_by)
    except RegistrationError as error:
        return _("Nothing was imported."), [(0, "", str(error))]
    return ngettext("%(n)d attendee imported.", "%(n)d attendees imported.", len(created)) % {
        "n": len(created)
    }, []
