"""Bulk entry: the template read back, and the import all or nothing with every error by row and column."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from hoptac.core.audit import entries_for
from hoptac.returns import excel, validation
from hoptac.returns.models import Return, ReturnRevision, Status
from hoptac.returns.periods import Period

from .conftest import VALID, approve, submit

D = datetime.date
P2020 = Period(2020)


def filled(form, rows: dict[str, dict], *, user=None) -> io.BytesIO:
    """The template of form for 2020 with rows (code -> values by indicator code) filled in."""
    wb = load_workbook(io.BytesIO(excel.template(form, P2020, user=user)))
    ws = wb["Báo cáo"]
    headers = [c.value for c in ws[1]]
    book = excel.book_for(form, form.version_for(2020), P2020)
    column = {c.key: headers.index(c.header) + 1 for c in book.columns}
    for row in ws.iter_rows(min_row=2):
        values = rows.get(row[0].value)
        for code, value in (values or {}).items():
            ws.cell(row=row[0].row, column=column[code], value=value)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def row_of(form, code: str, user=None) -> int:
    wb = load_workbook(io.BytesIO(excel.template(form, P2020, user=user)))
    return next(r[0].row for r in wb["Báo cáo"].iter_rows(min_row=2) if r[0].value == code)


# ---------------------------------------------------------------- the template


def test_the_template_has_one_row_per_organisation_in_scope_and_one_column_per_indicator(
    annual, org_tan_yen, org_hiep_hoa
):
    wb = load_workbook(io.BytesIO(excel.template(annual, P2020)))
    assert wb.sheetnames == ["Báo cáo", "Hướng dẫn"]
    ws = wb["Báo cáo"]
    headers = [c.value for c in ws[1]]
    names = [s.indicator.name_vi for s in validation.specs_for(annual.version_for(2020))]
    assert headers == ["Mã số", "Tên", *names]
    rows = [(r[0].value, r[1].value) for r in ws.iter_rows(min_row=2, max_col=2)]
    assert rows == [(org_tan_yen.code, org_tan_yen.name), (org_hiep_hoa.code, org_hiep_hoa.name)]  # by name
    assert ws["A2"].number_format == "@"  # codes stay text


def test_the_guide_sheet_says_how_to_write_each_indicator_and_the_rules(annual, org_tan_yen):
    wb = load_workbook(io.BytesIO(excel.template(annual, P2020)))
    guide = "\n".join(str(c) for row in wb["Hướng dẫn"].iter_rows(values_only=True) for c in row if c)
    assert "Lợi nhuận không được lớn hơn doanh thu." in guide
    assert "Có thể âm" in guide  # profit
    assert "ghi 12,5 cho 12,5%" in guide
    assert "hạn nộp 15/12/2020" in guide


def test_an_officers_template_lists_only_the_area(annual, org_tan_yen, org_hiep_hoa, officer):
    wb = load_workbook(io.BytesIO(excel.template(annual, P2020, user=officer)))
    assert [r[0] for r in wb["Báo cáo"].iter_rows(min_row=2, max_col=1, values_only=True)] == [org_tan_yen.code]


def test_the_template_is_read_back_by_the_import(annual, org_tan_yen, org_hiep_hoa, staff):
    result = excel.import_returns(annual, P2020, filled(annual, {org_tan_yen.code: VALID}), by=staff, dry_run=True)
    assert result.ok and result.submitted == 1 and result.blank == 1
    assert result.planned[0].values["member_services"] == validation.read_percent("75,5")


# ---------------------------------------------------------------- the import


def test_an_import_submits_the_returns_on_behalf_of_the_organisations(annual, org_tan_yen, org_hiep_hoa, staff):
    rows = {org_tan_yen.code: VALID, org_hiep_hoa.code: {**VALID, "profit": -50_000_000, "revenue": 900_000_000}}
    result = excel.import_returns(annual, P2020, filled(annual, rows), by=staff, filename="bao-cao.xlsx")
    assert result.ok, result.errors
    assert result.submitted == 2
    returns = Return.objects.filter(form=annual, year=2020)
    assert {r.status for r in returns} == {Status.SUBMITTED} and all(r.entered_on_behalf for r in returns)
    hiep_hoa = returns.get(organization=org_hiep_hoa)
    assert validation.values_of(hiep_hoa)["profit"] == -50_000_000
    assert entries_for(hiep_hoa).filter(action="returns.return.submitted", user=staff).exists()


def test_one_bad_cell_saves_nothing_and_names_the_row_and_column(annual, org_tan_yen, org_hiep_hoa, staff):
    rows = {org_tan_yen.code: VALID, org_hiep_hoa.code: {**VALID, "employees": "tám"}}
    result = excel.import_returns(annual, P2020, filled(annual, rows), by=staff)
    assert not result.ok
    assert [(e.row, e.column) for e in result.errors] == [
        (row_of(annual, org_hiep_hoa.code), "Số lao động thường xuyên")
    ]
    assert str(result.errors[0]).startswith(f"Dòng {row_of(annual, org_hiep_hoa.code)}, cột Số lao động thường xuyên:")
    assert not Return.objects.exists() and not ReturnRevision.objects.exists()
    assert result.summary() == "1 lỗi. Không có dữ liệu nào được nhập."


def test_a_broken_rule_is_an_error_on_its_row_and_column(annual, org_tan_yen, staff):
    rows = {org_tan_yen.code: {**VALID, "profit": "3.000.000.000"}}
    result = excel.import_returns(annual, P2020, filled(annual, rows), by=staff)
    assert [(e.column, e.message) for e in result.errors] == [
        ("Lợi nhuận trước thuế (đồng)", "Lợi nhuận không được lớn hơn doanh thu")
    ]


def test_every_error_of_every_row_is_listed(annual, org_tan_yen, org_hiep_hoa, staff):
    rows = {
        org_tan_yen.code: {**VALID, "revenue": None, "member_services": "120"},
        org_hiep_hoa.code: {**VALID, "model": "hợp tác"},
    }
    result = excel.import_returns(annual, P2020, filled(annual, rows), by=staff)
    columns = {(e.row, e.column) for e in result.errors}
    assert columns == {
        (row_of(annual, org_tan_yen.code), "Doanh thu (đồng)"),
        (row_of(annual, org_tan_yen.code), "Tỷ lệ giá trị sản phẩm, dịch vụ cung ứng cho thành viên (%)"),
        (row_of(annual, org_hiep_hoa.code), "Mô hình hoạt động"),
    }


def test_rows_left_blank_are_not_submissions(annual, org_tan_yen, org_hiep_hoa, staff):
    result = excel.import_returns(annual, P2020, filled(annual, {}), by=staff)
    assert result.ok and result.submitted == 0 and result.blank == 2
    assert not Return.objects.exists()


def test_an_unknown_code_is_an_error(annual, org_tan_yen, staff):
    source = filled(annual, {org_tan_yen.code: VALID})
    wb = load_workbook(source)
    wb["Báo cáo"]["A2"] = "2499999999"
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    result = excel.import_returns(annual, P2020, out, by=staff)
    assert result.errors[0].column == "Mã số" and "2499999999" in result.errors[0].message


def test_an_officer_cannot_import_for_another_area(annual, org_tan_yen, org_hiep_hoa, officer, staff):
    source = filled(annual, {org_hiep_hoa.code: VALID})  # the full template, made by staff
    result = excel.import_returns(annual, P2020, source, by=officer)
    assert "mà bạn được nhập" in result.errors[0].message and not Return.objects.exists()


def test_a_code_twice_is_an_error(annual, org_tan_yen, org_hiep_hoa, staff):
    source = filled(annual, {org_tan_yen.code: VALID, org_hiep_hoa.code: VALID})
    wb = load_workbook(source)
    wb["Báo cáo"]["A3"] = org_tan_yen.code  # Hiệp Hòa's row now says Tân Yên
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    result = excel.import_returns(annual, P2020, out, by=staff)
    assert "đã có ở dòng" in result.errors[0].message


def test_an_approved_return_is_not_overwritten_but_an_identical_row_is_unchanged(annual, org_tan_yen, staff):
    approve(submit(annual, org_tan_yen, 2020))
    result = excel.import_returns(
        annual, P2020, filled(annual, {org_tan_yen.code: {**VALID, "employees": 9}}), by=staff
    )
    assert "đã duyệt" in result.errors[0].message and "mở lại" in result.errors[0].message
    result = excel.import_returns(annual, P2020, filled(annual, {org_tan_yen.code: VALID}), by=staff)
    assert result.ok and result.unchanged == 1 and result.submitted == 0


def test_a_draft_is_completed_and_submitted(annual, org_tan_yen, staff, coop_user):
    from hoptac.returns import services

    draft = services.return_open(form=annual, organization=org_tan_yen, year=2020, by=coop_user)
    result = excel.import_returns(annual, P2020, filled(annual, {org_tan_yen.code: VALID}), by=staff)
    assert result.ok and result.planned[0].existing == draft
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED and draft.entered_on_behalf


def test_a_dry_run_writes_nothing_and_shows_the_flags(annual, org_tan_yen, staff):
    submit(annual, org_tan_yen, 2019)
    result = excel.import_returns(
        annual, P2020, filled(annual, {org_tan_yen.code: {**VALID, "revenue": "9.000.000.000"}}), by=staff, dry_run=True
    )
    assert result.ok and result.submitted == 1 and result.flagged == 1
    assert result.summary().startswith("Kiểm tra xong, chưa ghi gì")
    assert not Return.objects.filter(year=2020).exists()


def test_not_an_excel_file_is_refused(annual, staff):
    result = excel.import_returns(annual, P2020, io.BytesIO(b"Ma so,Ten\n"), by=staff, filename="a.csv")
    assert "không phải tệp Excel" in result.errors[0].message


# ---------------------------------------------------------------- commands


def test_the_commands_write_the_template_and_import_it(annual, org_tan_yen, tmp_path, staff):
    path = tmp_path / "mau.xlsx"
    call_command("returns_template", "annual_htx", "2020", "--output", str(path), stdout=io.StringIO())
    path.write_bytes(filled(annual, {org_tan_yen.code: VALID}).getvalue())
    out = io.StringIO()
    call_command("returns_import", "annual_htx", "2020", str(path), "--dry-run", stdout=out)
    assert "sẽ được nộp" in out.getvalue() and not Return.objects.exists()
    call_command("returns_import", "annual_htx", "2020", str(path), "--user", "staff", stdout=out)
    assert Return.objects.get().created_by == staff


def test_the_import_command_fails_with_every_error(annual, org_tan_yen, tmp_path):
    path = tmp_path / "mau.xlsx"
    path.write_bytes(filled(annual, {org_tan_yen.code: {**VALID, "employees": "x"}}).getvalue())
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 lỗi"):
        call_command("returns_import", "annual_htx", "2020", str(path), stderr=err)
    assert "cột Số lao động thường xuyên" in err.getvalue()
