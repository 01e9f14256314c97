"""Background work of the reports: an issued report's Word and PDF files (issue #9).

Issuing commits the number and the frozen text and figures at once (services.report_issue);
the files take seconds (WeasyPrint), so the worker writes them after the commit. Until then
the report's page says they are being made, and a download builds them from the frozen
content, as it always did for a report without its files.
"""

from django.core.files.base import ContentFile
from django.tasks import task

from . import outputs
from .models import Report


@task
def render_issued_files(report_id: int) -> None:
    """Write an issued report's Word and PDF files once, from its frozen content; nothing if both exist."""
    report = Report.objects.get(pk=report_id)
    if not report.is_issued or (report.docx and report.pdf):
        return
    stem = f"bao-cao-{report.sequence:02d}-{report.sequence_year}"
    if not report.docx:
        report.docx.save(f"{stem}.docx", ContentFile(outputs.docx_bytes(report)), save=False)
    if not report.pdf:
        report.pdf.save(f"{stem}.pdf", ContentFile(outputs.pdf_bytes(report)), save=False)
    # Only the two names: the report may be published meanwhile, and its version is the editors'.
    Report.objects.filter(pk=report.pk).update(docx=report.docx.name, pdf=report.pdf.name)
