"""Files made by the background worker: the record of one export and the builders that make them (issue #9).

A page whose file takes seconds or more (a report's Word or PDF, the national statistics) posts
a kind and its parameters to ``exports:create``. ``export_create`` asks the kind's own ``check``
whether the user may have that file, records an ``ExportJob`` and enqueues
``hoptac.core.tasks.run_export``; the worker calls the kind's builder and keeps the file in the
default storage under ``exports/`` (never served: only Wagtail's image folders of MEDIA_ROOT
are, hoptac/portal/views.py). The job's page polls the row like the import's, and the download
checks again before sending the file to the account that asked for it, and to no one else.

Apps register their kinds when they are ready (their AppConfig), with ``register``:
``builder(params, user) -> (filename, content_type, bytes)`` and ``check(user, params)``, which
raises PermissionDenied or Http404 when the user may not have the file, ValidationError (in
Vietnamese) for parameters that make no file, and returns the parameters to keep.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# The stored files, in the default storage: a private folder, as the import's uploads.
EXPORT_FOLDER = "exports/"


class ExportStatus(models.TextChoices):
    # Also the registry import's (hoptac/registry/jobs.py JobStatus).
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed")


@dataclass(frozen=True)
class Builder:
    kind: str
    build: Callable[[dict, object], tuple[str, str, bytes]]
    label: str
    check: Callable[[object, dict], dict | None]
    back: Callable[[dict], str] | None = None  # the page the file was asked from


BUILDERS: dict[str, Builder] = {}


def register(kind: str, builder: Callable, label: str, check: Callable, back: Callable | None = None) -> None:
    """Make files of one kind through export jobs: ``kind`` is what a page posts ("app.what").

    back(params) gives the address of the page the file was asked from, for the job page's link.
    """
    BUILDERS[kind] = Builder(kind=kind, build=builder, label=label, check=check, back=back)


def builder_for(kind: str) -> Builder:
    if kind not in BUILDERS:
        raise ValidationError("Không có loại tệp này.")
    return BUILDERS[kind]


def _upload_to(job: "ExportJob", filename: str) -> str:
    return f"{EXPORT_FOLDER}{job.created_on:%Y/%m}/{filename}"


class ExportJob(models.Model):
    """One file asked for, made by the worker, downloaded by the account that asked for it."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="export_jobs", verbose_name=_("by")
    )
    created_on = models.DateTimeField(_("created on"), auto_now_add=True)
    started_on = models.DateTimeField(_("started on"), null=True, blank=True)
    finished_on = models.DateTimeField(_("finished on"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=64)
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ExportStatus, default=ExportStatus.QUEUED)
    file = models.FileField(_("file"), upload_to=_upload_to, max_length=255, blank=True)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    # Why no file was made, for the person who asked (Vietnamese).
    error = models.TextField(_("error"), blank=True)
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("file export")
        verbose_name_plural = _("file exports")
        ordering = ["-created_on"]

    def __str__(self) -> str:
        return f"{self.kind} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED)

    @property
    def back_url(self) -> str:
        builder = BUILDERS.get(self.kind)
        return builder.back(self.params) if builder and builder.back else ""

    @property
    def label(self) -> str:
        builder = BUILDERS.get(self.kind)
        return str(builder.label) if builder else self.kind


def export_create(*, kind: str, params: dict, by) -> ExportJob:
    """Check that ``by`` may have this file, record the job and have the worker make it.

    Raises what the kind's check raises (PermissionDenied, Http404, ValidationError): then no
    job is recorded.
    """
    from .tasks import run_export

    builder = builder_for(kind)
    params = builder.check(by, params) or params
    job = ExportJob.objects.create(created_by=by, kind=kind, params=params)
    queued = run_export.enqueue(job.pk)
    ExportJob.objects.filter(pk=job.pk, task_id="").update(task_id=str(queued.id))
    job.refresh_from_db()
    return job
