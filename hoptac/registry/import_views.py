"""Excel template, import and export pages of the registry."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import excel, tasks
from .forms import ListFilterForm
from .jobs import ImportJob
from .selectors import ListFilters, can_manage_registry, organization_list

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def list_filters_from_request(request: HttpRequest) -> ListFilters:
    """The registry list's filters from GET, read by the list page's own form.

    The export links carry the list's query string; parsing it with the same form (and
    its defaults: active organisations, as of today) makes the file exactly the list.
    """
    return ListFilterForm(request.GET, province_code=settings.ALLIANCE_PROVINCE_CODE).filters()


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def template(request: HttpRequest) -> HttpResponse:
    """The blank .xlsx template with its "Hướng dẫn" sheet."""
    return _attachment(excel.template_bytes(), XLSX, "mau-nhap-to-chuc.xlsx")


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The filtered list the user sees, in the template's columns, as xlsx or csv."""
    fmt = request.GET.get("format", "xlsx")
    if fmt not in ("xlsx", "csv"):
        return HttpResponseBadRequest(_("Unknown export format."))
    rows = excel.export_rows(organization_list(request.user, list_filters_from_request(request)))
    name = f"to-chuc-{timezone.localdate():%Y-%m-%d}.{fmt}"
    if fmt == "csv":
        return _attachment(excel.csv_bytes(rows), "text/csv; charset=utf-8", name)
    return _attachment(excel.workbook_bytes(rows), XLSX, name)


def _render_import(request: HttpRequest, *, result=None, job: ImportJob | None = None) -> HttpResponse:
    """The import page, or only its result fragment for HTMX (the form's post and the polling)."""
    context = {
        "result": result if result is not None else (job.import_result() if job else None),
        "job": job,
        "columns": excel.COLUMNS,
        "sectors": excel.SECTOR_VI.values(),
        "kinds": excel.KIND_VI.items(),
        "max_mb": settings.IMPORT_MAX_BYTES // (1024 * 1024),
    }
    name = "registry/import_result.html" if request.headers.get("HX-Request") else "registry/import.html"
    return render(request, name, context)


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    """Upload an .xlsx: stored, then imported by the background worker (hoptac/registry/tasks.py).

    The form posts through HTMX, which only wants the result fragment (and reports the
    upload's progress); the fragment then polls the job until it shows every error, or what
    was created and updated. Without JavaScript the form posts the whole page and is sent to
    the job's page, which a refresh brings up to date. A file that cannot be stored (none, too
    big) is answered at once, as before.
    """
    if not can_manage_registry(request.user):
        raise PermissionDenied
    if request.method == "GET":
        return _render_import(request)
    upload = request.FILES.get("file")
    if upload is None:
        return _render_import(
            request, result=excel.ImportResult(errors=[excel.RowError(None, "", "Chưa chọn tệp để nhập.")])
        )
    try:
        excel.check_size(upload.size, settings.IMPORT_MAX_BYTES)
    except excel.FileProblem as exc:
        return _render_import(
            request, result=excel.ImportResult(filename=upload.name, errors=[excel.RowError(None, "", str(exc))])
        )
    job = ImportJob.objects.create(
        created_by=request.user, filename=upload.name[:255], stored_as=tasks.store_upload(upload)
    )
    queued = tasks.run_import.enqueue(job.pk)
    ImportJob.objects.filter(pk=job.pk, task_id="").update(task_id=str(queued.id))
    job.refresh_from_db()
    if job.finished or request.headers.get("HX-Request"):
        return _render_import(request, job=job)
    return redirect("registry:import_job", pk=job.pk)


@login_required
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """How far one's import is, then its result; only the account that uploaded it sees it."""
    if not can_manage_registry(request.user):
        raise PermissionDenied
    job = get_object_or_404(ImportJob, pk=pk, created_by=request.user)
    return _render_import(request, job=job)
