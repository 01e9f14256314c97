"""Pages of the quarterly and annual reports: list, new draft, edit, issue, download, publish.

Alliance staff read every report; the office and administrators write and issue them.
A published report is public (``public_list``, ``public_detail``).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hoptac.core.audit import entries_for
from hoptac.core.xlsx import XLSX_CONTENT_TYPE

from . import compose, outputs, selectors, services
from .forms import IssueForm, NewReportForm, ReasonForm, WordTemplateForm
from .models import Report, ReportStatus

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DEFAULT_RECIPIENTS = "Liên minh HTX Việt Nam;\nThường trực Tỉnh ủy, UBND tỉnh;\nSở Kế hoạch và Đầu tư;\nLưu: VT."


def _require_read(user) -> None:
    if not selectors.can_read_reports(user):
        raise PermissionDenied


def _require_write(user) -> None:
    if not selectors.can_write_reports(user):
        raise PermissionDenied


def _service_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
@require_GET
def index(request):
    _require_read(request.user)
    archived = request.GET.get("archived") == "1"
    year = request.GET.get("year")
    year = int(year) if year and year.isdigit() else None
    reports = selectors.reports_for(request.user, year=year, archived=archived)
    years = sorted(set(Report.objects.values_list("year", flat=True)), reverse=True)
    return render(
        request,
        "briefing/index.html",
        {
            "reports": reports,
            "archived": archived,
            "year": year,
            "years": years,
            "can_write": selectors.can_write_reports(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    _require_write(request.user)
    form = NewReportForm(request.POST or None, initial=NewReportForm.initial_for(timezone.localdate()))
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            report = services.report_create(period=c["period"], as_of=c["as_of"], title=c["title"], by=request.user)
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, _("The draft is written from the records. Edit it, then issue it."))
            return redirect("briefing:detail", pk=report.pk)
    return render(request, "briefing/create.html", {"form": form})


def _linked(text: str, figures: dict) -> str:
    """A paragraph with each figure a link to the records behind it (escaped text, safe links)."""
    out, last = [], 0
    for m in compose.TOKEN.finditer(text):
        out.append(escape(text[last : m.start()]))
        figure = figures.get(m.group(1))
        if figure is None:
            out.append(format_html('<mark class="fig-missing">{}</mark>', m.group(0)))
        elif figure.url:
            out.append(format_html('<a class="fig" href="{}" title="{}">{}</a>', figure.url, figure.label, figure.text))
        else:
            out.append(format_html('<span class="fig" title="{}">{}</span>', figure.label, figure.text))
        last = m.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 (every piece escaped above)


def _preview(report: Report, figures: dict) -> list[dict]:
    preview = []
    for section in report.sections:
        paragraphs = [_linked(p.strip(), figures) for p in section["text"].split("\n") if p.strip()]
        if paragraphs:
            preview.append({"key": section["key"], "heading": section["heading"], "paragraphs": paragraphs})
    return preview


def _report_or_404(user, pk: int) -> Report:
    _require_read(user)
    return get_object_or_404(Report, pk=pk)


def _issue_initial(report: Report) -> dict:
    last = Report.objects.filter(status=ReportStatus.ISSUED).order_by("-issued_on", "-id").first()
    initial = {"issued_on": max(timezone.localdate(), report.as_of), "recipients": DEFAULT_RECIPIENTS}
    if last:
        initial.update(
            {
                "signer_name": last.signer_name,
                "signer_title": last.signer_title,
                "signing_authority": last.signing_authority,
                "recipients": last.recipients,
            }
        )
    return initial


def _render_detail(request, report: Report, *, texts=None, title=None, edit_error=None, issue_form=None, status=200):
    figures = outputs.report_figures(report)
    can_write = selectors.can_write_reports(request.user)
    sections = [
        {
            **s,
            "text": (texts or {}).get(s["key"], s["text"]),
            "legend": [(t, figures.get(t)) for t in compose.tokens_in(s["text"])],
        }
        for s in report.sections
    ]
    context = {
        "report": report,
        "sections": sections,
        "title_value": title if title is not None else report.title,
        "figures": figures,
        "preview": _preview(report, figures),
        "paper": outputs.document_context(report, figures),
        "can_write": can_write and not report.archived_on,
        "edit_error": edit_error,
        "issue_form": issue_form or IssueForm(initial=_issue_initial(report)),
        "reason_form": ReasonForm(),
        "history": entries_for(report)[:30],
        # --- export jobs (issue #9): a draft's Word and PDF buttons ask the worker for the file
        "draft_files": [("briefing.report_docx", "docx", "Word"), ("briefing.report_pdf", "pdf", "PDF")],
        # --- end export jobs
    }
    return render(request, "briefing/detail.html", context, status=status)


@login_required
@require_GET
def detail(request, pk: int):
    return _render_detail(request, _report_or_404(request.user, pk))


@login_required
@require_POST
def edit(request, pk: int):
    report = _report_or_404(request.user, pk)
    _require_write(request.user)
    texts = {s["key"]: request.POST.get(f"text_{s['key']}", s["text"]) for s in report.sections}
    title = request.POST.get("title", report.title)
    try:
        version = int(request.POST.get("version", "0"))
        services.report_update(report=report, version=version, texts=texts, title=title, by=request.user)
    except (ValueError, ValidationError) as error:
        message = error.messages if isinstance(error, ValidationError) else [_("The form was incomplete.")]
        if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            message = [f"{k}: {'; '.join(v)}" for k, v in error.message_dict.items()]
        return _render_detail(request, report, texts=texts, title=title, edit_error=message, status=400)
    messages.success(request, _("Saved."))
    return redirect("briefing:detail", pk=report.pk)


@login_required
@require_POST
def recompose(request, pk: int):
    report = _report_or_404(request.user, pk)
    _require_write(request.user)
    try:
        services.report_recompose(report=report, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The text was written again from the records; the old text is kept in the history.")
        )
    return redirect("briefing:detail", pk=report.pk)


@login_required
@require_POST
def issue(request, pk: int):
    report = _report_or_404(request.user, pk)
    _require_write(request.user)
    form = IssueForm(request.POST)
    if form.is_valid():
        try:
            report = services.report_issue(report=report, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(
                request, _("Issued as no. %(number)s. Its text and figures are now frozen.") % {"number": report.number}
            )
            return redirect("briefing:detail", pk=report.pk)
    return _render_detail(request, report, issue_form=form, status=400)


@login_required
@require_POST
def publish(request, pk: int):
    report = _report_or_404(request.user, pk)
    _require_write(request.user)
    try:
        if request.POST.get("action") == "unpublish":
            services.report_unpublish(report=report, by=request.user)
            messages.success(request, _("Removed from the portal."))
        else:
            services.report_publish(report=report, by=request.user)
            messages.success(request, _("Published on the portal."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("briefing:detail", pk=report.pk)


@login_required
@require_POST
def archive(request, pk: int):
    report = _report_or_404(request.user, pk)
    _require_write(request.user)
    try:
        if request.POST.get("action") == "restore":
            services.report_restore(report=report, by=request.user)
            messages.success(request, _("Restored."))
        else:
            form = ReasonForm(request.POST)
            services.report_archive(report=report, reason=form.data.get("reason", ""), by=request.user)
            messages.success(request, _("Archived."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("briefing:detail", pk=report.pk)


def _filename(report: Report, ext: str) -> str:
    if report.sequence:
        return f"bao-cao-{report.sequence:02d}-{report.sequence_year}.{ext}"
    return f"du-thao-bao-cao-{report.pk}.{ext}"


def _download(report: Report, fmt: str, *, site: str = "") -> HttpResponse:
    if fmt == "docx":
        if report.is_issued and report.docx:
            return FileResponse(
                report.docx.open("rb"),
                as_attachment=True,
                filename=_filename(report, "docx"),
                content_type=DOCX_CONTENT_TYPE,
            )
        content, kind = outputs.docx_bytes(report), DOCX_CONTENT_TYPE
    elif fmt == "pdf":
        if report.is_issued and report.pdf:
            return FileResponse(
                report.pdf.open("rb"),
                as_attachment=True,
                filename=_filename(report, "pdf"),
                content_type="application/pdf",
            )
        content, kind = outputs.pdf_bytes(report), "application/pdf"
    elif fmt == "xlsx":
        content, kind = outputs.xlsx_bytes(report, site=site), XLSX_CONTENT_TYPE
    elif fmt == "html":
        response = HttpResponse(outputs.html_string(report), content_type="text/html; charset=utf-8")
        return response
    else:
        raise Http404
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, fmt)}"'
    return response


@login_required
@require_GET
def download(request, pk: int, fmt: str):
    report = _report_or_404(request.user, pk)
    return _download(report, fmt, site=request.build_absolute_uri("/")[:-1])


@login_required
@require_http_methods(["GET", "POST"])
def word_template(request):
    """Administrators replace the Word template (download the one in use, edit it in Word, upload it)."""
    if not getattr(request.user, "is_admin", False):
        raise PermissionDenied
    if request.GET.get("download"):
        return FileResponse(
            outputs.template_file(), as_attachment=True, filename="mau-bao-cao.docx", content_type=DOCX_CONTENT_TYPE
        )
    form = WordTemplateForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if request.POST.get("action") == "default":
            services.word_template_reset(by=request.user)
            messages.success(request, _("The product's own template is in use again."))
            return redirect("briefing:word_template")
        if form.is_valid():
            try:
                services.word_template_upload(
                    file=form.cleaned_data["file"], note=form.cleaned_data["note"], by=request.user
                )
            except ValidationError as error:
                _service_errors(form, error)
            else:
                messages.success(request, _("The new template is in use for reports issued from now on."))
                return redirect("briefing:word_template")
    from .models import WordTemplate

    return render(
        request,
        "briefing/word_template.html",
        {
            "form": form,
            "templates": WordTemplate.objects.all()[:20],
            "custom": WordTemplate.objects.filter(active=True).first(),
        },
    )


# ---------------------------------------------------------------- public


@require_GET
def public_list(request):
    year = request.GET.get("year")
    year = int(year) if year and year.isdigit() else None
    reports = selectors.published_reports(year)
    years = sorted(set(selectors.published_reports().values_list("year", flat=True)), reverse=True)
    return render(
        request,
        "briefing/public_list.html",
        {"reports": reports, "years": years, "year": year, "alliance": settings.ALLIANCE_NAME},
    )


def _published_or_404(pk: int) -> Report:
    report = selectors.published_reports().filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


@require_GET
def public_detail(request, pk: int):
    report = _published_or_404(pk)
    from .selectors import period_of

    return render(
        request,
        "briefing/public_detail.html",
        {"report": report, "paper": outputs.document_context(report), "period": period_of(report)},
    )


@require_GET
def public_file(request, pk: int, fmt: str):
    report = _published_or_404(pk)
    if fmt not in ("pdf", "docx"):
        raise Http404
    return _download(report, fmt)
