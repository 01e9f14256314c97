"""A draft report's Word and PDF files, made by the background worker (hoptac/core/exports.py, issue #9).

The report page's Word and PDF buttons of a draft post to ``exports:create`` with the kind and
``report``; the job's page then offers the file. The files are those of ``briefing:download``
(which still answers at once, for scripts), with the same names.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hoptac.core import exports

from . import outputs, selectors
from .models import Report
from .views import DOCX_CONTENT_TYPE, _filename


def _report(user, params: dict) -> Report:
    """The report of the parameters, if the user may read reports (as the report's page)."""
    if not selectors.can_read_reports(user):
        raise PermissionDenied
    pk = str(params.get("report", ""))
    report = Report.objects.filter(pk=pk).first() if pk.isdigit() else None
    if report is None:
        raise Http404
    return report


def check(user, params: dict) -> dict:
    return {"report": _report(user, params).pk}


def build_docx(params: dict, user) -> tuple[str, str, bytes]:
    report = _report(user, params)
    return _filename(report, "docx"), DOCX_CONTENT_TYPE, outputs.docx_bytes(report)


def build_pdf(params: dict, user) -> tuple[str, str, bytes]:
    report = _report(user, params)
    return _filename(report, "pdf"), "application/pdf", outputs.pdf_bytes(report)


def back(params: dict) -> str:
    return reverse("briefing:detail", args=[params["report"]])


exports.register("briefing.report_docx", build_docx, _("Report as a Word file"), check, back)
exports.register("briefing.report_pdf", build_pdf, _("Report as a PDF file"), check, back)
