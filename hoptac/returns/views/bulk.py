"""Bulk entry from Excel: a form's template for a period, and the upload page with its check and errors.

The form posts through HTMX, which only wants the result fragment (and reports the upload's
progress with the registry's script); without JavaScript the same form posts the whole page.
"Check" runs everything and rolls back, showing what would be submitted; "Check and import"
submits the returns, all or nothing.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from hoptac.core.xlsx import FileProblem, RowError, check_size

from .. import excel, selectors, validation
from ..models import Respondent
from .common import form_and_period, require, xlsx_response


def _org_form(code: str, slug: str):
    form, period = form_and_period(code, slug)
    if form.respondent != Respondent.ORGANIZATION:
        raise Http404
    return form, period


@login_required
@require_GET
def template_download(request, form: str, period: str):
    """The form's template for the period: one row per organisation the user may enter for."""
    require(selectors.can_enter_on_behalf(request.user))
    form_obj, period_obj = _org_form(form, period)
    try:
        content = excel.template(form_obj, period_obj, user=request.user)
    except ValidationError:
        raise Http404 from None
    return xlsx_response(content, excel.template_filename(form_obj, period_obj))


def _run(request, form, period) -> excel.ImportResult:
    upload = request.FILES.get("file")
    dry_run = request.POST.get("action") != "import"
    if upload is None:
        return excel.ImportResult(dry_run=dry_run, errors=[RowError(None, "", "Chưa chọn tệp để nhập.")])
    try:
        check_size(upload.size, settings.IMPORT_MAX_BYTES)
    except FileProblem as problem:
        return excel.ImportResult(filename=upload.name, dry_run=dry_run, errors=[RowError(None, "", str(problem))])
    return excel.import_returns(form, period, upload, by=request.user, filename=upload.name, dry_run=dry_run)


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request, form: str, period: str):
    require(selectors.can_enter_on_behalf(request.user))
    form_obj, period_obj = _org_form(form, period)
    version = form_obj.version_for(period_obj.year)
    if version is None:
        raise Http404
    result = _run(request, form_obj, period_obj) if request.method == "POST" else None
    book = excel.book_for(form_obj, version, period_obj)
    context = {
        "form": form_obj,
        "period": period_obj,
        "due": period_obj.due_on(form_obj),
        "result": result,
        "book": book,
        "specs": {s.code: s for s in validation.specs_for(version)},
        "template_filename": excel.template_filename(form_obj, period_obj),
        "max_mb": settings.IMPORT_MAX_BYTES // (1024 * 1024),
    }
    name = "returns/_import_result.html" if request.headers.get("HX-Request") else "returns/import.html"
    return render(request, name, context)
