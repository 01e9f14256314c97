import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from conftest import make_org
from hoptac.core.models import AuditEntry
from hoptac.fund import excel, selectors, services
from hoptac.fund.models import CapitalMovement, CapitalSource, Loan, LoanStatus, Repayment, SourceKind
from hoptac.registry.models import EventKind
from hoptac.registry.services import event_record

from .conftest import D, disbursed_loan

pytestmark = pytest.mark.django_db

CAPITAL = ["Ngày", "Nguồn vốn", "Số tiền (đồng)"]
LOANS = [
    "Mã khoản vay",
    "Mã số bên vay",
    "Ngày giải ngân",
    "Số tiền giải ngân (đồng)",
    "Lãi suất (%/năm)",
    "Thời hạn (tháng)",
    "Kỳ trả gốc (tháng)",
    "Mục đích",
]
REPAYMENTS = ["Mã khoản vay", "Ngày trả", "Tiền gốc (đồng)", "Tiền lãi (đồng)"]


def xlsx(headers: list[str], rows: list[list], formats: dict[int, str] | None = None) -> io.BytesIO:
    """A real .xlsx file written by openpyxl: headers in row 1, rows from row 2 (formats: column index -> format)."""
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for values in rows:
        ws.append(values)
        for index, fmt in (formats or {}).items():
            ws.cell(row=ws.max_row, column=index + 1).number_format = fmt
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer


def run(book: str, headers, rows, *, by=None, formats=None, **kwargs) -> excel.FundImportResult:
    return excel.import_book(book, xlsx(headers, rows, formats), by=by, filename=f"{book}.xlsx", **kwargs)


def cells(result) -> set[tuple]:
    return {(e.row, e.column) for e in result.errors}


def loan_row(code="QHT-01", borrower="2400000001", on="15/01/2020", amount="500.000.000", rate="7,2", term=36, every=3):
    return [code, borrower, on, amount, rate, term, every, "Mở rộng vùng trồng vải"]


# ---------------------------------------------------------------- templates


@pytest.mark.parametrize(
    "book,sheet,headers",
    [("capital", "Vốn", CAPITAL), ("loans", "Khoản vay", LOANS), ("repayments", "Trả nợ", REPAYMENTS)],
)
def test_template_has_bold_frozen_vietnamese_headers_and_a_guide(book, sheet, headers):
    wb = load_workbook(io.BytesIO(excel.template_bytes(book)))
    assert wb.sheetnames == [sheet, "Hướng dẫn"]
    ws = wb[sheet]
    written = [c.value for c in ws[1]]
    assert [h for h in written if h in headers] == headers
    assert ws["A1"].font.b and ws.freeze_panes == "A2" and ws.max_row == 1
    guide = " ".join(str(c.value) for r in wb["Hướng dẫn"].iter_rows() for c in r if c.value)
    assert "Ví dụ" in guide and all(h in guide for h in headers)


def test_loan_template_guide_explains_how_historic_loans_are_recorded():
    wb = load_workbook(io.BytesIO(excel.template_bytes("loans")))
    guide = " ".join(str(c.value) for r in wb["Hướng dẫn"].iter_rows() for c in r if c.value)
    assert "Nhập từ sổ cũ" in guide and "30/360" in guide and "lãi" in guide and "Kỳ trả gốc" in guide


def test_blank_template_is_an_empty_file_error():
    result = excel.import_book("capital", io.BytesIO(excel.template_bytes("capital")), filename="mau.xlsx")
    assert [e.row for e in result.errors] == [None] and "không có dòng dữ liệu" in result.errors[0].message


def test_a_file_that_is_not_xlsx_is_one_clear_error():
    result = excel.import_book("loans", io.BytesIO(b"Ma khoan vay;Ngay\n"), filename="so.csv")
    assert len(result.errors) == 1 and ".xlsx" in result.errors[0].message


def test_missing_column_is_a_file_error_naming_it():
    result = run("capital", ["Ngày", "Nguồn vốn"], [["01/01/2020", "Ngân sách tỉnh"]])
    assert "thiếu cột bắt buộc “Số tiền (đồng)”" in result.errors[0].message


def test_cooperative_accounts_cannot_import(coop_user):
    with pytest.raises(PermissionDenied):
        run("capital", CAPITAL, [["01/01/2020", "Ngân sách tỉnh", 1]], by=coop_user)


# ---------------------------------------------------------------- capital


def test_capital_matches_the_source_ignoring_case_and_diacritics_and_records_withdrawals(source, fund_staff):
    result = run(
        "capital",
        CAPITAL + ["Số chứng từ"],
        [
            ["01/01/2020", "ngan sach tinh", "3.000.000.000", "12/QĐ"],
            [datetime.datetime(2020, 6, 30), "NGÂN SÁCH TỈNH", "-500.000.000", ""],
            [44000, "Ngân sách tỉnh", 1_000_000, ""],  # an Excel serial: 18/06/2020
        ],
        by=fund_staff,
    )
    assert result.ok, result.errors
    assert (result.created, result.unchanged) == (3, 0)
    assert selectors.capital_on(D(2020, 12, 31)) == 2_501_000_000
    assert CapitalMovement.objects.get(amount=-500_000_000).on == D(2020, 6, 30)
    assert CapitalMovement.objects.get(amount=1_000_000).on == D(2020, 6, 18)
    assert CapitalMovement.objects.get(document="12/QĐ").created_by == fund_staff
    assert AuditEntry.objects.filter(action="fund.import.done").exists()


def test_unknown_source_is_a_row_error_listing_the_known_sources(source):
    CapitalSource.objects.create(name="Liên minh HTX Việt Nam cấp", kind=SourceKind.VCA_ALLOCATION)
    result = run("capital", CAPITAL, [["01/01/2020", "Ngân hàng", "1.000.000"]])
    assert cells(result) == {(2, "Nguồn vốn")}
    message = result.errors[0].message
    assert "“Ngân hàng”" in message and "Ngân sách tỉnh" in message and "Liên minh HTX Việt Nam cấp" in message
    assert not CapitalSource.objects.filter(name="Ngân hàng").exists()


def test_the_same_capital_file_twice_does_not_double_the_capital(source):
    rows = [["01/01/2020", "Ngân sách tỉnh", "3.000.000.000"], ["01/01/2020", "Ngân sách tỉnh", "3.000.000.000"]]
    first = run("capital", CAPITAL, rows)
    assert (first.created, first.unchanged) == (2, 0)
    again = run("capital", CAPITAL, rows + [["02/01/2020", "Ngân sách tỉnh", "1.000"]])
    assert (again.created, again.unchanged) == (1, 2)
    assert selectors.capital_on(D(2020, 12, 31)) == 6_000_001_000


def test_capital_rows_with_bad_cells_save_nothing_and_name_row_and_column(source):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    result = run(
        "capital",
        CAPITAL,
        [
            ["01/01/2020", "Ngân sách tỉnh", "3.000.000.000"],  # row 2: fine
            ["31/02/2020", "Ngân sách tỉnh", "1.000"],  # row 3
            ["01/03/2020", "Ngân sách tỉnh", "1,5"],  # row 4
            [tomorrow, "Ngân sách tỉnh", 0],  # row 5
            ["", "", ""],  # blank: skipped
            ["01/04/2020", "", "1.000"],  # row 7
        ],
    )
    assert cells(result) == {(3, "Ngày"), (4, "Số tiền (đồng)"), (5, "Ngày"), (5, "Số tiền (đồng)"), (7, "Nguồn vốn")}
    assert str(result.errors[0]).startswith("Dòng 3, cột Ngày:")
    assert not CapitalMovement.objects.exists()
    assert "Không có dữ liệu nào được nhập" in result.summary()


def test_a_withdrawal_larger_than_the_capital_that_day_is_an_error(source):
    result = run(
        "capital",
        CAPITAL,
        [["30/06/2020", "Ngân sách tỉnh", "-2.000.000.000"], ["01/01/2020", "Ngân sách tỉnh", "1.000.000.000"]],
    )
    assert cells(result) == {(2, "Số tiền (đồng)")}
    assert "1.000.000.000đ" in result.errors[0].message
    assert not CapitalMovement.objects.exists()


# ---------------------------------------------------------------- loans


def test_a_historic_loan_is_applied_approved_contracted_and_disbursed_on_its_day(org_tan_yen, fund_staff):
    result = run("loans", LOANS, [loan_row()], by=fund_staff)
    assert result.ok, result.errors
    assert (result.created, result.unchanged) == (1, 0)
    loan = Loan.objects.get(code="QHT-01")
    assert loan.status == LoanStatus.ACTIVE and loan.product is None and loan.borrower == org_tan_yen
    assert loan.decision_number == "Nhập từ sổ cũ" and loan.decision_on == loan.contract_on == D(2020, 1, 15)
    assert loan.annual_rate == Decimal("7.2") and loan.term_months == 36
    assert (loan.principal_every_months, loan.interest_every_months, loan.grace_months) == (3, 3, 0)
    assert (loan.method, loan.day_count) == ("equal_principal", "30_360")
    assert loan.purpose == "Mở rộng vùng trồng vải"
    lines = selectors.lines_in_force(loan, D(2020, 1, 15))
    assert len(lines) == 12 and lines[0].due_on == D(2020, 4, 15)
    assert (lines[0].principal, lines[0].interest) == (41_666_666, 9_000_000)
    assert sum(line.principal for line in lines) == 500_000_000
    assert selectors.position(loan, D(2021, 3, 15)).disbursed == 500_000_000


def test_a_book_with_a_title_row_its_own_column_order_and_unaccented_headers_imports(org_tan_yen):
    wb = Workbook()
    ws = wb.active
    ws.title = "So cho vay 2020"
    ws.append(["SỔ CHO VAY CỦA QUỸ NĂM 2020"])
    ws.append(["ten ben vay", "ma so ben vay", "MA KHOAN VAY", "ngay giai ngan", "so tien giai ngan", "lai suat",
               "thoi han", "ky tra goc"])  # fmt: skip
    ws.append([org_tan_yen.name, 2400000001, "QHT-01", "15/01/2020", 500_000_000, 7.2, 36, 3])
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    result = excel.import_book("loans", buffer, filename="so.xlsx")
    assert result.ok, result.errors
    assert Loan.objects.get().borrower == org_tan_yen  # the tax code typed as a number still matches


@pytest.mark.parametrize("rate,fmt", [("7,2", None), (7.2, None), ("7.2", None), ("7,2%", None), (0.072, "0.0%")])
def test_the_rate_is_read_as_written_in_vietnamese_books(org_tan_yen, rate, fmt):
    result = run("loans", LOANS, [loan_row(rate=rate)], formats={4: fmt} if fmt else None)
    assert result.ok, result.errors
    assert Loan.objects.get().annual_rate == Decimal("7.2")


def test_a_loan_disbursed_before_its_borrower_was_founded_is_an_error_naming_both_dates(org_tan_yen):
    result = run("loans", LOANS, [loan_row(on="01/01/2015")])
    assert cells(result) == {(2, "Ngày giải ngân")}
    message = result.errors[0].message
    assert "01/01/2015" in message and "04/05/2015" in message and org_tan_yen.name in message
    assert not Loan.objects.exists()


def test_a_loan_to_a_borrower_not_operating_that_day_is_an_error(org_tan_yen):
    event_record(organization=org_tan_yen, kind=EventKind.DISSOLVED, on=D(2019, 6, 1))
    result = run("loans", LOANS, [loan_row(on="15/01/2020")])
    assert cells(result) == {(2, "Ngày giải ngân")} and "không hoạt động" in result.errors[0].message


def test_loan_rows_are_checked_cell_by_cell_and_nothing_is_saved(org_tan_yen):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    result = run(
        "loans",
        LOANS,
        [
            loan_row(code="A"),  # row 2: fine
            loan_row(code="A"),  # row 3: same code
            loan_row(code="B", borrower="2499999999"),  # row 4: no such organisation
            loan_row(code="C", rate="bảy"),  # row 5
            loan_row(code="D", rate="60"),  # row 6
            loan_row(code="E", term=12, every=24),  # row 7
            loan_row(code="F", on=tomorrow, amount=0),  # row 8
            loan_row(code="G", term="3,5"),  # row 9
        ],
    )
    assert cells(result) == {
        (3, "Mã khoản vay"),
        (4, "Mã số bên vay"),
        (5, "Lãi suất (%/năm)"),
        (6, "Lãi suất (%/năm)"),
        (7, "Kỳ trả gốc (tháng)"),
        (8, "Ngày giải ngân"),
        (8, "Số tiền giải ngân (đồng)"),
        (9, "Thời hạn (tháng)"),
    }
    assert "trùng với dòng 2" in result.errors[0].message
    assert not Loan.objects.exists()


def test_an_archived_borrower_is_an_error(org_tan_yen):
    org_tan_yen.archived_on = timezone.now()
    org_tan_yen.save()
    result = run("loans", LOANS, [loan_row()])
    assert cells(result) == {(2, "Mã số bên vay")} and "lưu trữ" in result.errors[0].message


def test_the_same_loan_file_twice_changes_nothing_and_a_different_row_is_refused(org_tan_yen):
    assert run("loans", LOANS, [loan_row()]).created == 1
    again = run("loans", LOANS, [loan_row()])
    assert again.ok and (again.created, again.unchanged) == (0, 1)
    assert Loan.objects.count() == 1 and Loan.objects.get().disbursements.count() == 1
    changed = run("loans", LOANS, [loan_row(amount="450.000.000", rate="8")])
    assert cells(changed) == {(2, "Mã khoản vay")}
    assert "500.000.000" in changed.errors[0].message and "450.000.000" in changed.errors[0].message
    assert Loan.objects.get().annual_rate == Decimal("7.2")


def test_a_borrower_with_two_loans_in_one_file_gets_both(org_tan_yen, org_hiep_hoa):
    # Without its repayments (another file, imported next) the first loan looks overdue when the
    # second is disbursed; the import still records both, as the books say.
    result = run(
        "loans",
        LOANS,
        [
            loan_row(code="QHT-02", on="01/12/2020", term=24, every=1),
            loan_row(code="QHT-01", on="15/01/2019", term=36, every=3),
            loan_row(code="QHT-03", borrower="2400000002", on="15/01/2020"),
        ],
    )
    assert result.ok, result.errors
    assert result.created == 3 and set(org_tan_yen.loans.values_list("status", flat=True)) == {LoanStatus.ACTIVE}


def test_a_recorded_loan_overdue_on_the_disbursement_day_is_an_error_saying_what_to_import(loan):
    # VAY-001 (through the pages, 15/01/2021, monthly) has no payment: late from 15/02/2021.
    result = run("loans", LOANS, [loan_row(code="QHT-09", on="01/04/2021")])
    assert cells(result) == {(2, "Mã số bên vay")}
    assert "VAY-001" in result.errors[0].message and "sổ thu nợ" in result.errors[0].message
    assert run("loans", LOANS, [loan_row(code="QHT-09", on="01/02/2021")]).ok


def test_a_loan_code_used_by_an_application_is_refused(org_tan_yen, product):
    services.loan_apply(
        borrower=org_tan_yen,
        product=product,
        code="QHT-01",
        project_name="Kho",
        amount=1,
        term_months=1,
        on=D(2021, 1, 1),
    )
    result = run("loans", LOANS, [loan_row()])
    assert cells(result) == {(2, "Mã khoản vay")} and "chưa giải ngân" in result.errors[0].message


# ---------------------------------------------------------------- repayments


@pytest.fixture
def old_loan(org_tan_yen):
    """500.000.000đ from 15/01/2020, 36 months, 7,2%, principal and interest every 3 months."""
    assert run("loans", LOANS, [loan_row()]).ok
    return Loan.objects.get(code="QHT-01")


def test_repayments_are_recorded_in_date_order_with_the_split_as_given(old_loan, fund_staff):
    result = run(
        "repayments",
        REPAYMENTS + ["Số chứng từ"],
        [
            ["QHT-01", "15/07/2020", "41.666.666", "8.250.000", "PT-2"],
            ["QHT-01", "15/04/2020", "41.666.666", "9.000.000", "PT-1"],
            ["QHT-01", "20/08/2020", "", "150.000", ""],  # interest only
        ],
        by=fund_staff,
    )
    assert result.ok, result.errors
    assert (result.created, result.unchanged) == (3, 0)
    paid = list(old_loan.repayments.order_by("on").values_list("on", "principal", "interest", "overdue_interest"))
    assert paid == [
        (D(2020, 4, 15), 41_666_666, 9_000_000, 0),
        (D(2020, 7, 15), 41_666_666, 8_250_000, 0),
        (D(2020, 8, 20), 0, 150_000, 0),
    ]
    assert Repayment.objects.get(document="PT-1").created_by == fund_staff
    pos = selectors.position(Loan.objects.get(pk=old_loan.pk), D(2020, 9, 1))
    assert pos.outstanding == 500_000_000 - 2 * 41_666_666


def test_the_same_repayment_file_twice_records_nothing_twice(old_loan):
    rows = [["QHT-01", "15/04/2020", "41.666.666", "9.000.000"], ["QHT-01", "15/07/2020", "41.666.666", "8.250.000"]]
    assert run("repayments", REPAYMENTS, rows).created == 2
    again = run("repayments", REPAYMENTS, rows + [["QHT-01", "15/10/2020", "41.666.666", "7.500.000"]])
    assert again.ok, again.errors
    assert (again.created, again.unchanged) == (1, 2)
    assert old_loan.repayments.count() == 3


def test_a_repayment_larger_than_owed_is_an_error_and_nothing_is_saved(old_loan):
    result = run(
        "repayments",
        REPAYMENTS,
        [["QHT-01", "15/04/2020", "41.666.666", "9.000.000"], ["QHT-01", "15/07/2020", "600.000.000", "0"]],
    )
    assert cells(result) == {(3, "Tiền gốc (đồng)")}
    message = result.errors[0].message
    assert "600.000.000đ" in message and "458.333.334đ" in message and "15/07/2020" in message
    assert not Repayment.objects.exists()


def test_repayment_rows_are_checked_and_errors_keep_the_file_row_numbers(old_loan, org_hiep_hoa, product, fund_staff):
    disbursed_loan(org_hiep_hoa, product, fund_staff, code="VAY-001", on=D(2021, 1, 15))
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    result = run(
        "repayments",
        REPAYMENTS,
        [
            ["QHT-01", "15/10/2020", "41.666.666", "7.500.000"],  # row 2: fine
            ["KHONG-CO", "15/04/2020", "1", "1"],  # row 3
            ["QHT-01", "01/01/2020", "1", "0"],  # row 4: before the disbursement
            ["QHT-01", "15/11/2020", "0", ""],  # row 5: nothing paid
            ["QHT-01", tomorrow, "1", "0"],  # row 6
            ["QHT-01", "15/04/2020", "-5", "0"],  # row 7
            ["VAY-001", "15/02/2021", "13.888.888", "3.000.000"],  # row 8: a loan made through the pages
        ],
    )
    assert cells(result) == {
        (3, "Mã khoản vay"),
        (4, "Ngày trả"),
        (5, "Tiền gốc (đồng)"),
        (6, "Ngày trả"),
        (7, "Tiền gốc (đồng)"),
    }
    assert [e.row for e in result.errors] == [3, 4, 5, 6, 7]
    assert not Repayment.objects.exists()


def test_a_repayment_before_one_already_recorded_is_an_error(old_loan):
    assert run("repayments", REPAYMENTS, [["QHT-01", "15/07/2020", "41.666.666", "9.000.000"]]).ok
    result = run("repayments", REPAYMENTS, [["QHT-01", "15/04/2020", "41.666.666", "9.000.000"]])
    assert cells(result) == {(2, "Ngày trả")} and "15/07/2020" in result.errors[0].message


def test_the_last_principal_closes_the_loan_and_a_later_row_is_an_error(old_loan):
    result = run(
        "repayments",
        REPAYMENTS,
        [["QHT-01", "15/04/2020", "500.000.000", "9.000.000"], ["QHT-01", "15/07/2020", "", "10.000"]],
    )
    assert cells(result) == {(3, "Mã khoản vay")} and "15/04/2020" in result.errors[0].message
    assert run("repayments", REPAYMENTS, [["QHT-01", "15/04/2020", "500.000.000", "9.000.000"]]).ok
    assert Loan.objects.get(pk=old_loan.pk).status == LoanStatus.CLOSED
    again = run("repayments", REPAYMENTS, [["QHT-01", "15/04/2020", "500.000.000", "9.000.000"]])
    assert again.ok and again.unchanged == 1  # the file that closed it imports again as unchanged


def test_a_refusal_while_writing_rolls_back_every_row(old_loan, monkeypatch):
    calls = []
    real = services.repayment_record

    def refuse_the_second(**kwargs):
        calls.append(kwargs["on"])
        if len(calls) == 2:
            raise ValidationError("Refused.")
        return real(**kwargs)

    monkeypatch.setattr(services, "repayment_record", refuse_the_second)
    result = run(
        "repayments",
        REPAYMENTS,
        [["QHT-01", "15/07/2020", "41.666.666", "8.250.000"], ["QHT-01", "15/04/2020", "41.666.666", "9.000.000"]],
    )
    assert cells(result) == {(2, "Ngày trả")} and "Refused" in result.errors[0].message
    assert (result.created, result.unchanged) == (0, 0)
    assert not Repayment.objects.exists() and Loan.objects.get(pk=old_loan.pk).version == old_loan.version


def test_dry_run_checks_everything_and_writes_nothing(old_loan):
    result = run("repayments", REPAYMENTS, [["QHT-01", "15/04/2020", "41.666.666", "9.000.000"]], dry_run=True)
    assert result.ok and result.created == 1 and "chưa ghi" in result.summary()
    assert not Repayment.objects.exists()


# ---------------------------------------------------------------- the service: terms without a product


def test_loan_approve_takes_the_terms_given_for_a_loan_without_a_product(org_hiep_hoa):
    loan = services.loan_apply(
        borrower=org_hiep_hoa,
        product=None,
        code="SO-CU-1",
        project_name="Sổ cũ",
        amount=100_000_000,
        term_months=12,
        on=D(2020, 3, 1),
    )
    services.loan_approve(
        loan=loan,
        amount=100_000_000,
        decision_number="Nhập từ sổ cũ",
        decision_on=D(2020, 3, 1),
        approver="Nhập từ sổ cũ",
        annual_rate=Decimal("6.5"),
        principal_every_months=6,
        interest_every_months=3,
    )
    loan.refresh_from_db()
    assert (loan.annual_rate, loan.principal_every_months, loan.interest_every_months) == (Decimal("6.5"), 6, 3)


def test_loan_approve_refuses_a_payment_frequency_below_a_month(org_hiep_hoa):
    borrower = make_org(org_hiep_hoa.commune, code="2400000099")
    loan = services.loan_apply(
        borrower=borrower, product=None, code="SO-CU-2", project_name="x", amount=1, term_months=12, on=D(2020, 3, 1)
    )
    with pytest.raises(ValidationError):
        services.loan_approve(
            loan=loan,
            amount=1,
            decision_number="1",
            decision_on=D(2020, 3, 1),
            approver="x",
            annual_rate=Decimal(7),
            principal_every_months=0,
        )
