"""The recipients of a decision from Excel: the template, and the upload page with its check and its errors.

The form posts through HTMX, which only wants the result fragment (and reports the upload's
progress with the registry's script); without JavaScript the same form posts the whole page.
"Check" runs everything and rolls back, showing the rows that would be added; "Check and
import" writes them, all or nothing.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_http_methods

from hoptac.core.xlsx import FileProblem, RowError, check_size

from .. import importer, selectors
from .common import require_manage, xlsx_response


@login_required
@require_GET
def recipient_template(request):
    """The blank template of a decision's recipients, with its "Hướng dẫn" sheet."""
    require_manage(request.user)
    return xlsx_response(importer.template(), importer.TEMPLATE_FILENAME)


def _run(request, decision) -> importer.RecipientImportResult:
    upload = request.FILES.get("file")
    dry_run = request.POST.get("action") != "import"
    if upload is None:
        return importer.RecipientImportResult(dry_run=dry_run, errors=[RowError(None, "", "Chưa chọn tệp để nhập.")])
    try:
        check_size(upload.size, settings.IMPORT_MAX_BYTES)
    except FileProblem as exc:
        return importer.RecipientImportResult(
            filename=upload.name, dry_run=dry_run, errors=[RowError(None, "", str(exc))]
        )
    return importer.import_recipients(decision, upload, by=request.user, filename=upload.name, dry_run=dry_run)


@login_required
@require_http_methods(["GET", "POST"])
def recipient_import(request, pk: int):
    decision = get_object_or_404(selectors.decisions_for(request.user), pk=pk)
    require_manage(request.user)
    result = _run(request, decision) if request.method == "POST" else None
    context = {
        "decision": decision,
        "result": result,
        "book": importer.RECIPIENTS,
        "template_filename": importer.TEMPLATE_FILENAME,
        "max_mb": settings.IMPORT_MAX_BYTES // (1024 * 1024),
    }
    name = "awards/_import_result.html" if request.headers.get("HX-Request") else "awards/recipient_import.html"
    return render(request, name, context)
