import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hoptac.briefing import services
from hoptac.briefing.models import Report
from hoptac.briefing.outputs import document_context, report_figures
from hoptac.briefing.periods import QUARTER, YEAR, make_period
from hoptac.core.models import AuditEntry
from hoptac.journal import services as journal_services
from hoptac.journal.models import DocumentKind
from hoptac.registry import services as registry_services

D = datetime.date
Q1 = make_period(QUARTER, 2021, 1)


ISSUE_DAY = D(2021, 3, 16)


def _issue(report, by, on=ISSUE_DAY):
    return services.report_issue(
        report=report, issued_on=on, signer_name="Nguyễn Văn Tùng", signer_title="Phó Chánh Văn phòng", by=by
    )


def _text(report) -> str:
    return " ".join(p for s in document_context(report)["sections"] for p in s["paragraphs"])


def test_the_draft_counts_the_cooperatives_founded_in_the_quarter_and_active_on_the_day(q1_orgs, office):
    report = services.report_create(period=Q1, as_of=D(2021, 3, 15), by=office)
    figures = report_figures(report)
    assert (figures["htx_founded"].value, figures["htx_active"].value, figures["qtdnd_active"].value) == (2, 3, 1)
    assert (
        "trong quý đã có 2 HTX thành lập mới, nâng tổng số HTX đang hoạt động: 3 HTX; Quỹ tín dụng nhân dân 1 quỹ"
        in _text(report)
    )
    # The figure links to exactly those records.
    assert "measure=founded" in figures["htx_founded"].url and "kind=HTX" in figures["htx_founded"].url
    assert AuditEntry.objects.filter(action="briefing.report.created").count() == 1


def test_only_the_office_and_administrators_write_reports(q1_orgs, awards_officer, admin):
    with pytest.raises(PermissionDenied):
        services.report_create(period=Q1, as_of=D(2021, 3, 15), by=awards_officer)
    assert services.report_create(period=Q1, as_of=D(2021, 3, 15), by=admin).pk


def test_figures_before_the_period_are_refused(office):
    with pytest.raises(ValidationError):
        services.report_create(period=Q1, as_of=D(2020, 12, 31), by=office)


def test_a_stale_edit_is_refused_and_an_unknown_figure_too(q1_orgs, office):
    report = services.report_create(period=Q1, as_of=D(2021, 3, 15), by=office)
    version = report.version
    services.report_update(
        report=report, version=version, texts={"advising": "Tham mưu."}, title=report.title, by=office
    )
    with pytest.raises(ValidationError, match="người khác lưu"):
        services.report_update(
            report=report, version=version, texts={"advising": "Khác."}, title=report.title, by=office
        )
    report.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.report_update(
            report=report, version=report.version, texts={"advising": "Có [[khong_co]] HTX."}, title="T", by=office
        )
    assert "[[khong_co]]" in str(error.value)
    report.refresh_from_db()
    assert report.sections[0]["text"] == "Tham mưu."


def test_issuing_numbers_per_year_after_the_reports_the_journal_records(q1_orgs, office):
    doc = journal_services.document_create(kind=DocumentKind.REPORT, title="Báo cáo HTX", drafted_on=D(2021, 1, 8))
    doc = journal_services.document_submit(document=doc, on=D(2021, 1, 10))
    journal_services.document_approve(document=doc, on=D(2021, 1, 14), number="03/BC-LMHTX")
    first = _issue(services.report_create(period=Q1, as_of=D(2021, 3, 15), by=office), office)
    second = _issue(services.report_create(period=Q1, as_of=D(2021, 3, 20), by=office), office, on=D(2021, 3, 25))
    next_year = _issue(
        services.report_create(period=make_period(QUARTER, 2021, 4), as_of=D(2021, 12, 31), by=office),
        office,
        on=D(2022, 1, 5),
    )
    assert (first.number, second.number, next_year.number) == ("04/BC-LMHTX", "05/BC-LMHTX", "01/BC-LMHTX")
    assert first.docx and first.pdf


def test_an_issued_report_never_changes_when_the_records_are_corrected(q1_orgs, office, admin):
    report = _issue(services.report_create(period=Q1, as_of=D(2021, 3, 15), by=office), office)
    before = _text(report)
    # The founding date of "HTX Cũ" was mistyped: it was founded in the quarter.
    registry_services.organization_update(organization=q1_orgs[2], data={"founded_on": D(2021, 2, 10)}, by=admin)
    report.refresh_from_db()
    assert _text(report) == before and report_figures(report)["htx_founded"].value == 2
    with pytest.raises(ValidationError, match="đã ban hành"):
        services.report_update(report=report, version=report.version, texts={}, title="X", by=office)
    # The next report shows the corrected figure.
    later = services.report_create(period=Q1, as_of=D(2021, 3, 15), by=office)
    assert report_figures(later)["htx_founded"].value == 3


def test_issue_needs_a_signer_and_a_date_after_the_figures(q1_orgs, office):
    report = services.report_create(period=Q1, as_of=D(2021, 3, 15), by=office)
    with pytest.raises(ValidationError) as error:
        services.report_issue(report=report, issued_on=D(2021, 3, 1), signer_name="", signer_title="", by=office)
    assert set(error.value.message_dict) == {"issued_on", "signer_name", "signer_title"}
    report.refresh_from_db()
    assert not report.is_issued and not report.number


def test_publish_only_issued_reports_and_archive_only_drafts(q1_orgs, office):
    draft = services.report_create(period=Q1, as_of=D(2021, 3, 15), by=office)
    with pytest.raises(ValidationError):
        services.report_publish(report=draft, by=office)
    with pytest.raises(ValidationError):
        services.report_archive(report=draft, reason="  ", by=office)
    services.report_archive(report=draft, reason="Lập nhầm", by=office)
    draft.refresh_from_db()
    assert draft.archive_reason == "Lập nhầm"
    services.report_restore(report=draft, by=office)
    issued = _issue(draft, office)
    assert services.report_publish(report=issued, by=office).is_published
    with pytest.raises(ValidationError):
        services.report_archive(report=issued, reason="x", by=office)


def test_the_annual_report_compares_with_the_year_before(q1_orgs, office):
    report = services.report_create(period=make_period(YEAR, 2021), as_of=D(2021, 12, 31), by=office)
    figures = report_figures(report)
    assert figures["prev_htx_active"].value == 1 and figures["htx_active"].value == 3
    comparison = next(s for s in report.sections if s["key"] == "comparison")
    assert "tăng từ [[prev_htx_active]] lên [[htx_active]]" in comparison["text"]
    assert "HTX đang hoạt động: tăng từ 1 lên 3" in _text(report)
    quarter = services.report_create(period=Q1, as_of=D(2021, 3, 15), by=office)
    assert "comparison" not in [s["key"] for s in quarter.sections]


def test_recompose_rewrites_from_the_records_and_keeps_the_old_text_in_the_history(q1_orgs, office):
    report = services.report_create(period=Q1, as_of=D(2021, 3, 15), by=office)
    services.report_update(
        report=report, version=report.version, texts={"promotion": "Sửa tay."}, title=report.title, by=office
    )
    report = services.report_recompose(report=Report.objects.get(pk=report.pk), by=office)
    assert "[[htx_founded]]" in next(s for s in report.sections if s["key"] == "promotion")["text"]
    entry = AuditEntry.objects.get(action="briefing.report.recomposed")
    assert "Sửa tay." in str(entry.changes)
