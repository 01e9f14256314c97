"""Background work of the registry: the Excel import, run by `manage.py db_worker` (issue #9).

The upload page stores the file (default storage, ``imports/``, never served) and an
``ImportJob``, and enqueues ``run_import``; any worker on any machine sharing the database
takes it. The import itself is the same all-or-nothing ``import_organizations`` the page used
to call; this module only feeds it the stored file and records its progress and result.

Progress while the import's transaction is open: the rows it writes are not visible to others
until it commits, and neither would a progress update made on the same connection. On
PostgreSQL the updates go through a second connection of their own, committed at once. On
SQLite a second writer would wait for the import's write lock, so the bar stays on "saving"
until the end (the checking, the long part, is reported row by row on both engines: no
transaction is open then).
"""

import io
import logging

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.tasks import task
from django.utils import timezone

from hoptac.registry import excel
from hoptac.registry.jobs import ImportJob, JobPhase, JobStatus

logger = logging.getLogger(__name__)

# Uploads waiting for the worker, in the default storage: a private folder (only Wagtail's image
# folders of MEDIA_ROOT are served, hoptac/portal/views.py).
UPLOAD_FOLDER = "imports/"


class _Progress:
    """The progress callback of one import: updates the job's row, outside the import's transaction."""

    def __init__(self, job: ImportJob):
        self.job_id = job.pk
        self.side = None  # the second connection (PostgreSQL only), opened on first need

    def __call__(self, phase: str, done: int, total: int) -> None:
        fields = {"phase": phase, "rows_done": done, "rows_total": total}
        if not (phase == JobPhase.WRITING and connection.in_atomic_block and done):
            ImportJob.objects.filter(pk=self.job_id).update(**fields)
        elif connection.vendor == "postgresql":
            self._side_update(fields)

    def _side_update(self, fields: dict) -> None:
        if self.side is None:
            self.side = connections.create_connection(DEFAULT_DB_ALIAS)
        table = self.side.ops.quote_name(ImportJob._meta.db_table)
        names = ", ".join(f"{self.side.ops.quote_name(name)} = %s" for name in fields)
        with self.side.cursor() as cursor:  # autocommit: visible to every server at once
            cursor.execute(f"UPDATE {table} SET {names} WHERE id = %s", [*fields.values(), self.job_id])

    def close(self) -> None:
        if self.side is not None:
            self.side.close()


def store_upload(upload) -> str:
    """Save an uploaded file where the worker finds it; returns its name in the storage."""
    return default_storage.save(f"{UPLOAD_FOLDER}{timezone.now():%Y%m%d-%H%M%S}.xlsx", upload)


def result_json(result: excel.ImportResult) -> dict:
    return {
        "rows": result.rows,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "errors": [[e.row, e.column, e.message] for e in result.errors],
    }


@task
def run_import(job_id: int) -> None:
    """Import one stored file for its job; the job says how far it is and, at the end, what it did."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status != JobStatus.QUEUED:
        return  # taken already (a task is run once; this guards a replay)
    ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, started_on=timezone.now(), phase=JobPhase.READING
    )
    progress = _Progress(job)
    try:
        with default_storage.open(job.stored_as, "rb") as handle:
            content = io.BytesIO(handle.read())
        result = excel.import_organizations(
            content,
            by=job.created_by,
            filename=job.filename,
            progress=progress,
            every=settings.IMPORT_PROGRESS_EVERY,
        )
    except Exception:
        logger.exception("import job %s failed", job.pk)
        message = "Lỗi hệ thống khi nhập tệp; không có dữ liệu nào được nhập. Hãy thử lại hoặc báo quản trị."
        ImportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED,
            finished_on=timezone.now(),
            result={"rows": 0, "created": 0, "updated": 0, "unchanged": 0, "errors": [[None, "", message]]},
        )
        raise
    else:
        ImportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.DONE,
            finished_on=timezone.now(),
            rows_done=result.rows,
            rows_total=result.rows,
            result=result_json(result),
        )
    finally:
        progress.close()
        default_storage.delete(job.stored_as)  # the file holds people's phone numbers: not kept
