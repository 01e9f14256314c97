"""Pages of the export jobs: ask for a file, watch the worker make it, download it (issue #9)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from .exports import ExportJob, ExportStatus, builder_for, export_create

# Form fields that are not the builder's parameters.
NOT_PARAMS = ("kind", "csrfmiddlewaretoken")


def _own_job(request: HttpRequest, pk: int) -> ExportJob:
    """A job, for the account that asked for it only: its file may hold what others may not see."""
    job = get_object_or_404(ExportJob, pk=pk)
    if job.created_by_id != request.user.pk:
        raise PermissionDenied
    return job


@login_required
@require_POST
def create(request: HttpRequest) -> HttpResponse:
    """Record the job a page's button asks for (its kind and parameters) and go to its page."""
    params = {name: value for name, value in request.POST.items() if name not in NOT_PARAMS}
    try:
        job = export_create(kind=request.POST.get("kind", ""), params=params, by=request.user)
    except ValidationError as error:
        return HttpResponseBadRequest(" ".join(error.messages), content_type="text/plain; charset=utf-8")
    return redirect("exports:job", pk=job.pk)


@login_required
@require_GET
def job(request: HttpRequest, pk: int) -> HttpResponse:
    """Waiting, being made, then the download link (or why there is none); only the fragment for HTMX."""
    job = _own_job(request, pk)
    name = "core/_export_job.html" if request.headers.get("HX-Request") else "core/export_job.html"
    return render(request, name, {"job": job})


@login_required
@require_GET
def download(request: HttpRequest, pk: int) -> FileResponse:
    """The stored file, if its creator may still have it (the kind's check, again)."""
    job = _own_job(request, pk)
    try:
        builder_for(job.kind).check(request.user, job.params)
    except ValidationError:
        raise Http404 from None
    # The folder may be emptied to save space (docs/deployment.md): the button makes a new file.
    if job.status != ExportStatus.DONE or not job.file or not job.file.storage.exists(job.file.name):
        raise Http404
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename, content_type=job.content_type)
