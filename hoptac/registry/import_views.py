"""Excel template, import and export pages of the registry."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import excel
from .forms import ListFilterForm
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


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    """Upload an .xlsx; show every error, or what was created and updated.

    The form posts through HTMX, which only wants the result fragment (and reports the
    upload's progress); without JavaScript the same form posts the whole page.
    """
    if not can_manage_registry(request.user):
        raise PermissionDenied
    result = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            result = excel.ImportResult(errors=[excel.RowError(None, "", "Chưa chọn tệp để nhập.")])
        else:
            try:
                excel.check_size(upload.size, settings.IMPORT_MAX_BYTES)
            except excel.FileProblem as exc:
                result = excel.ImportResult(filename=upload.name, errors=[excel.RowError(None, "", str(exc))])
            else:
                result = excel.import_organizations(upload, by=request.user, filename=upload.name)
    context = {
        "result": result,
        "columns": excel.COLUMNS,
        "sectors": excel.SECTOR_VI.values(),
        "kinds": excel.KIND_VI.items(),
        "max_mb": settings.IMPORT_MAX_BYTES // (1024 * 1024),
    }
    name = "registry/import_result.html" if request.headers.get("HX-Request") else "registry/import.html"
    return render(request, name, context)
