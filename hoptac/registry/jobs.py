"""The record of an Excel import that runs in the background worker (issue #9).

The upload page creates an ``ImportJob`` and enqueues ``hoptac.registry.tasks.run_import``;
any web server then reads the job's row to draw the progress bar and, when it is done, the
same result the page used to show at once. The row is the shared state: no server keeps
anything of an import in memory.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hoptac.core.exports import ExportStatus
from hoptac.core.xlsx import RowError

# The same statuses as the file exports' (hoptac/core/exports.py).
JobStatus = ExportStatus


class JobPhase(models.TextChoices):
    READING = "reading", _("Reading the file")
    CHECKING = "checking", _("Checking every row")
    WRITING = "writing", _("Saving")


class ImportJob(models.Model):
    """One uploaded organisation file and what importing it did."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="import_jobs", verbose_name=_("by")
    )
    created_on = models.DateTimeField(_("created on"), auto_now_add=True)
    started_on = models.DateTimeField(_("started on"), null=True, blank=True)
    finished_on = models.DateTimeField(_("finished on"), null=True, blank=True)
    filename = models.CharField(_("file name"), max_length=255)
    # Where the upload waits in the default storage (imports/, never served); emptied once read.
    stored_as = models.CharField(max_length=255, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus, default=JobStatus.QUEUED)
    phase = models.CharField(max_length=10, choices=JobPhase, default=JobPhase.READING)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    # {"rows", "created", "updated", "unchanged", "errors": [[row, column, message], ...]}
    result = models.JSONField(default=dict, blank=True)
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("organisation import")
        verbose_name_plural = _("organisation imports")
        ordering = ["-created_on"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def percent(self) -> int:
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 0

    def import_result(self):
        """The importer's ImportResult again, for the result template the page always used."""
        from hoptac.registry.excel import ImportResult

        if not self.finished:
            return None
        data = self.result or {}
        return ImportResult(
            filename=self.filename,
            rows=data.get("rows", 0),
            created=data.get("created", 0),
            updated=data.get("updated", 0),
            unchanged=data.get("unchanged", 0),
            errors=[RowError(*error) for error in data.get("errors", [])],
        )
