"""Background work shared by the apps: files made for export jobs, run by `manage.py db_worker` (issue #9).

The job's row is the shared state (hoptac/core/exports.py): any web server reads it to show
how far the file is, and the file itself is in the default storage, where every server finds it.
"""

import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.tasks import task
from django.utils import timezone

from .exports import ExportJob, ExportStatus, builder_for

logger = logging.getLogger(__name__)

FAILED_MESSAGE = "Lỗi hệ thống khi tạo tệp; chưa có tệp nào được tạo. Hãy thử lại hoặc báo quản trị."


@task
def run_export(job_id: int) -> None:
    """Make one job's file with its kind's builder and keep it; on any error, say so on the job."""
    job = ExportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status != ExportStatus.QUEUED:
        return  # taken already (a task is run once; this guards a replay)
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING, started_on=timezone.now())
    try:
        filename, content_type, content = builder_for(job.kind).build(job.params, job.created_by)
        job.file.save(filename, ContentFile(content), save=False)
    except Exception as error:
        logger.exception("export job %s (%s) failed", job.pk, job.kind)
        # A builder's own ValidationError is meant for the user (Vietnamese); anything else is ours.
        message = " ".join(error.messages) if isinstance(error, ValidationError) else FAILED_MESSAGE
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportStatus.FAILED, finished_on=timezone.now(), error=message
        )
        raise
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.DONE,
        finished_on=timezone.now(),
        file=job.file.name,
        filename=filename,
        content_type=content_type,
    )
