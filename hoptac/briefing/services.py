"""Writes of reports: create a draft, edit it, issue (number, sign, freeze), publish, archive."""

import datetime
import re
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from hoptac.core.audit import log_action
from hoptac.journal.models import Document, DocumentKind

from . import compose, figures, outputs, tasks
from .models import Report, ReportStatus
from .periods import YEAR, Period, make_period
from .selectors import can_write_reports, period_of

MAX_SECTION_CHARS = 20_000


def _require(user) -> None:
    if user is not None and not can_write_reports(user):
        raise PermissionDenied


def default_title(period: Period) -> str:
    if period.kind == YEAR:
        return f"Kết quả hoạt động của Liên minh HTX tỉnh {period.label}"
    return f"Một số kết quả hoạt động của Liên minh HTX tỉnh {period.label}"


def draft_for(period: Period, as_of: datetime.date) -> tuple[list[dict], dict]:
    """The composed sections and the live figures of a report for period as of a date (nothing saved)."""
    figs = figures.compute(period, as_of)
    if period.kind == YEAR:
        figs.update(figures.previous_year(period, as_of))
    return compose.draft_sections(period, as_of, figs), figs


@transaction.atomic
def report_create(*, period: Period, as_of: datetime.date, by=None, title: str = "") -> Report:
    """A new draft for period, its text written from the records as of as_of."""
    _require(by)
    if as_of < period.date_from:
        raise ValidationError({"as_of": "Ngày lấy số liệu phải trong hoặc sau kỳ báo cáo."})
    sections, _figs = draft_for(period, as_of)
    report = Report.objects.create(
        period_kind=period.kind,
        year=period.year,
        period_number=period.number,
        date_from=period.date_from,
        date_to=period.date_to,
        as_of=as_of,
        title=title.strip() or default_title(period),
        sections=sections,
        created_by=by,
        modified_by=by,
    )
    log_action(
        "briefing.report.created",
        user=by,
        instance=report,
        changes={"period": period.label, "as_of": as_of.isoformat()},
    )
    return report


def _require_draft(report: Report) -> None:
    if report.is_issued:
        raise ValidationError("Báo cáo đã ban hành không sửa được; hãy lập báo cáo mới nếu cần điều chỉnh.")
    if report.archived_on:
        raise ValidationError("Báo cáo đã lưu trữ; hãy khôi phục trước khi sửa.")


@transaction.atomic
def report_update(*, report: Report, version: int, texts: dict[str, str], title: str, by=None) -> Report:
    """Save edited section texts; refuses a stale edit (someone saved in between) and unknown figures."""
    _require(by)
    report = Report.objects.select_for_update().get(pk=report.pk)
    _require_draft(report)
    if version != report.version:
        raise ValidationError(
            "Báo cáo vừa được người khác lưu trong lúc bạn sửa. Nội dung bạn gõ vẫn còn dưới đây; hãy mở lại "
            "báo cáo để xem bản mới rồi sửa tiếp."
        )
    figs = figures.compute(period_of(report), report.as_of)
    if report.period_kind == YEAR:
        figs.update(figures.previous_year(period_of(report), report.as_of))
    errors = {}
    changed = {}
    sections = []
    for section in report.sections:
        text = texts.get(section["key"], section["text"]).replace("\r\n", "\n").strip()
        if len(text) > MAX_SECTION_CHARS:
            errors[section["key"]] = f"Quá dài (tối đa {MAX_SECTION_CHARS:,} ký tự).".replace(",", ".")
        unknown = compose.unknown_tokens(text, figs)
        if unknown:
            errors[section["key"]] = "Không có số liệu " + ", ".join(f"[[{u}]]" for u in unknown) + "."
        if text != section["text"]:
            changed[section["key"]] = [section["text"], text]
        sections.append({**section, "text": text})
    if not title.strip():
        errors["title"] = "Cần tiêu đề báo cáo."
    if errors:
        raise ValidationError(errors)
    if title.strip() != report.title:
        changed["title"] = [report.title, title.strip()]
    if not changed:
        return report
    report.sections = sections
    report.title = title.strip()
    report.version += 1
    report.modified_by = by
    report.save()
    log_action("briefing.report.changed", user=by, instance=report, changes=changed)
    return report


@transaction.atomic
def report_recompose(*, report: Report, by=None) -> Report:
    """Write the draft's text again from the records (the staff's edits are replaced; audited with the old text)."""
    _require(by)
    report = Report.objects.select_for_update().get(pk=report.pk)
    _require_draft(report)
    old = report.sections
    report.sections, _figs = draft_for(period_of(report), report.as_of)
    report.version += 1
    report.modified_by = by
    report.save()
    log_action("briefing.report.recomposed", user=by, instance=report, changes={"old_sections": old})
    return report


_BC_NUMBER = re.compile(r"^\s*(\d+)\s*/\s*BC", re.IGNORECASE)


def next_sequence(year: int) -> int:
    """The next report number of the year: after the reports issued here and the reports the journal records."""
    issued = Report.objects.filter(sequence_year=year).aggregate(n=Max("sequence"))["n"] or 0
    recorded = [
        int(m.group(1))
        for number in Document.objects.filter(kind=DocumentKind.REPORT, issued_on__year=year).values_list(
            "number", flat=True
        )
        if (m := _BC_NUMBER.match(number or ""))
    ]
    return max([issued, *recorded]) + 1


def report_issue(
    *,
    report: Report,
    issued_on: datetime.date,
    signer_name: str,
    signer_title: str,
    signing_authority: str = "",
    recipients: str = "",
    place: str = "",
    by=None,
) -> Report:
    """Number, date and sign the report and freeze its text and figures; its Word and PDF files follow.

    The issue commits here; the files take seconds (WeasyPrint), so the worker writes them from
    the frozen content once it has committed (tasks.render_issued_files).
    """
    with transaction.atomic():
        _require(by)
        report = Report.objects.select_for_update().get(pk=report.pk)
        _require_draft(report)
        errors = {}
        if issued_on < report.as_of:
            errors["issued_on"] = "Ngày ban hành không được trước ngày lấy số liệu."
        if issued_on > timezone.localdate() + datetime.timedelta(days=31):
            errors["issued_on"] = "Ngày ban hành quá xa trong tương lai."
        if not signer_name.strip():
            errors["signer_name"] = "Cần họ tên người ký."
        if not signer_title.strip():
            errors["signer_title"] = "Cần chức vụ người ký."
        if errors:
            raise ValidationError(errors)
        figs = figures.compute(period_of(report), report.as_of)
        if report.period_kind == YEAR:
            figs.update(figures.previous_year(period_of(report), report.as_of))
        for section in report.sections:
            if compose.unknown_tokens(section["text"], figs):
                raise ValidationError("Báo cáo còn số liệu không xác định; hãy sửa trước khi ban hành.")
        report.sequence_year = issued_on.year
        report.sequence = next_sequence(issued_on.year)
        report.number = f"{report.sequence:02d}/{settings.REPORT_NUMBER_SUFFIX}"
        report.issued_on = issued_on
        report.signer_name = signer_name.strip()
        report.signer_title = signer_title.strip()
        report.signing_authority = signing_authority.strip()
        report.recipients = "\n".join(line.strip() for line in recipients.splitlines() if line.strip())
        report.place = place.strip() or settings.ALLIANCE_PLACE
        report.figures = {key: f.as_dict() for key, f in figs.items()}
        report.status = ReportStatus.ISSUED
        report.version += 1
        report.modified_by = by
        report.save()
        log_action(
            "briefing.report.issued",
            user=by,
            instance=report,
            changes={"number": report.number, "issued_on": issued_on.isoformat(), "signer": report.signer_name},
        )
        # After the commit: the worker must find the report issued, and never a rolled-back issue.
        transaction.on_commit(partial(tasks.render_issued_files.enqueue, report.pk))
    # Written already if the task ran at the commit (the immediate backend: tests, a laptop).
    report.refresh_from_db(fields=["docx", "pdf"])
    return report


@transaction.atomic
def report_publish(*, report: Report, by=None) -> Report:
    """Show an issued report on the public portal."""
    _require(by)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if not report.is_issued:
        raise ValidationError("Chỉ công bố được báo cáo đã ban hành.")
    if report.published_on is None:
        report.published_on = timezone.now()
        report.save(update_fields=["published_on"])
        log_action("briefing.report.published", user=by, instance=report, changes={})
    return report


@transaction.atomic
def report_unpublish(*, report: Report, by=None) -> Report:
    _require(by)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.published_on is not None:
        report.published_on = None
        report.save(update_fields=["published_on"])
        log_action("briefing.report.unpublished", user=by, instance=report, changes={})
    return report


@transaction.atomic
def report_archive(*, report: Report, reason: str, by=None) -> Report:
    """Put a draft away with a reason (an issued report stays: it was sent)."""
    _require(by)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.is_issued:
        raise ValidationError("Báo cáo đã ban hành không lưu trữ được.")
    if not reason.strip():
        raise ValidationError({"reason": "Cần lý do lưu trữ."})
    report.archived_on = timezone.now()
    report.archive_reason = reason.strip()
    report.save(update_fields=["archived_on", "archive_reason"])
    log_action("briefing.report.archived", user=by, instance=report, changes={"reason": reason.strip()})
    return report


@transaction.atomic
def report_restore(*, report: Report, by=None) -> Report:
    _require(by)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.archived_on:
        old = report.archive_reason
        report.archived_on = None
        report.archive_reason = ""
        report.save(update_fields=["archived_on", "archive_reason"])
        log_action("briefing.report.restored", user=by, instance=report, changes={"reason": old})
    return report


__all__ = ["make_period"]


DOCX_MAX_BYTES = 10 * 1024 * 1024


@transaction.atomic
def word_template_upload(*, file, note: str = "", by=None):
    """Use an administrator's Word template from now on, if it renders a report; ValidationError otherwise."""
    from .models import WordTemplate

    if by is not None and not getattr(by, "is_admin", False):
        raise PermissionDenied
    if file.size > DOCX_MAX_BYTES:
        raise ValidationError({"file": "Tệp quá lớn (tối đa 10 MB)."})
    head = file.read(4)
    file.seek(0)
    if head != b"PK\x03\x04":
        raise ValidationError(
            {"file": "Tệp không phải tệp Word .docx. Hãy mở bằng Word và lưu dạng “Word Document (.docx)”."}
        )
    content = file.read()
    file.seek(0)
    sample = Report(
        period_kind="quarter",
        year=2021,
        period_number=1,
        date_from=datetime.date(2021, 1, 1),
        date_to=datetime.date(2021, 3, 31),
        as_of=datetime.date(2021, 3, 15),
        title="Mẫu",
        sections=[{"key": "advising", "heading": "Công tác tham mưu", "text": "Nội dung."}],
    )
    try:
        import io

        outputs.docx_bytes(sample, figures={}, template=io.BytesIO(content))
    except Exception as exc:  # docxtpl and Jinja report a broken template in many ways
        raise ValidationError(
            {
                "file": "Mẫu Word không dùng được. Hãy giữ nguyên các thẻ {{ }} và {% %} của mẫu gốc "
                f"(chi tiết kỹ thuật: {exc})."
            }
        ) from exc
    WordTemplate.objects.filter(active=True).update(active=False)
    template = WordTemplate(note=note.strip(), created_by=by, modified_by=by)
    template.file.save(file.name.rsplit("/", 1)[-1], ContentFile(content), save=False)
    template.save()
    log_action("briefing.word_template.uploaded", user=by, instance=template, changes={"note": note})
    return template


@transaction.atomic
def word_template_reset(*, by=None) -> None:
    """Go back to the product's own template (the uploaded ones stay, unused)."""
    from .models import WordTemplate

    if by is not None and not getattr(by, "is_admin", False):
        raise PermissionDenied
    for template in WordTemplate.objects.filter(active=True):
        template.active = False
        template.save(update_fields=["active"])
        log_action("briefing.word_template.retired", user=by, instance=template, changes={})
