"""Background imports: a confirmed CSV import too big for one request."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    """A confirmed CSV import too big for one request, run by the task queue.

    The uploaded file waits in the private storage (under `imports/`) until a
    worker has run it, then is deleted. Only the person who started it sees its page.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for the worker")
        CHECKING = "checking", _("Checking the rows")
        SAVING = "saving", _("Saving")
        DONE = "done", _("Done")
        FAILED = "failed", _("Nothing was imported")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("what is imported"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    target_id = models.BigIntegerField(_("target"), null=True, blank=True)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    checked_rows = models.PositiveIntegerField(_("rows checked"), default=0)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    message = models.TextField(_("result"), blank=True)
    # [[row, column, message], ...]: the first MAX_ERRORS problems found.
    errors = models.JSONField(_("errors"), default=list, blank=True)
    next_url = models.CharField(_("see the result at"), max_length=300, blank=True)

    MAX_ERRORS = 500

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return self.title

    @property
    def finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self):
        if self.status == self.Status.DONE:
            return 100
        if not self.total_rows:
            return 0
        # Checking is most of the work; saving (one transaction) shows as 90%.
        if self.status == self.Status.SAVING:
            return 90
        return min(89, self.checked_rows * 90 // self.total_rows)
