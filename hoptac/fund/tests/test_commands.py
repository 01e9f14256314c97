import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from hoptac.fund import selectors, services
from hoptac.fund.models import CapitalMovement, Loan, Repayment

from .conftest import D
from .test_excel import CAPITAL, LOANS, REPAYMENTS, loan_row, xlsx

pytestmark = pytest.mark.django_db


def save(tmp_path, name, headers, rows) -> str:
    path = tmp_path / name
    path.write_bytes(xlsx(headers, rows).getvalue())
    return str(path)


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# ---------------------------------------------------------------- import_fund


def test_import_fund_takes_the_three_books_in_turn_and_prints_counts(tmp_path, source, org_tan_yen, fund_staff):
    capital = save(tmp_path, "von.xlsx", CAPITAL, [["01/01/2020", "Ngân sách tỉnh", "3.000.000.000"]])
    loans = save(tmp_path, "vay.xlsx", LOANS, [loan_row()])
    repayments = save(tmp_path, "tra.xlsx", REPAYMENTS, [["QHT-01", "15/04/2020", "41.666.666", "9.000.000"]])
    out, _err = run("import_fund", "capital", capital, "--user", "quy")
    assert "1 ghi mới" in out and "Sổ nguồn vốn" in out
    assert "1 ghi mới" in run("import_fund", "loans", loans)[0]
    assert "1 ghi mới" in run("import_fund", "repayments", repayments)[0]
    out, _err = run("import_fund", "repayments", repayments)
    assert "0 ghi mới, 1 không đổi" in out
    assert CapitalMovement.objects.get().created_by == fund_staff
    assert Loan.objects.get().repayments.count() == 1


def test_import_fund_prints_every_error_and_fails(tmp_path, org_tan_yen):
    path = save(tmp_path, "vay.xlsx", LOANS, [loan_row(on="01/01/2015"), loan_row(code="B", rate="x")])
    err = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("import_fund", "loans", path, stdout=io.StringIO(), stderr=err)
    assert "2 lỗi" in str(exc.value) and "Không có dữ liệu nào được nhập" in str(exc.value)
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("Dòng 2, cột Ngày giải ngân:") and lines[1].startswith("Dòng 3, cột Lãi suất (%/năm):")
    assert not Loan.objects.exists()


def test_import_fund_exits_with_status_1_on_errors(tmp_path, source):
    from django.core.management import ManagementUtility

    path = save(tmp_path, "von.xlsx", CAPITAL, [["01/01/2020", "Không có", "1"]])
    with pytest.raises(SystemExit) as exc:
        ManagementUtility(["manage.py", "import_fund", "capital", path]).execute()
    assert exc.value.code == 1


def test_import_fund_refuses_other_accounts_and_missing_files(tmp_path, staff):
    path = save(tmp_path, "von.xlsx", CAPITAL, [["01/01/2020", "Ngân sách tỉnh", "1"]])
    with pytest.raises(CommandError, match="không được nhập"):
        run("import_fund", "capital", path, "--user", "staff")
    with pytest.raises(CommandError, match="Không có tài khoản"):
        run("import_fund", "capital", path, "--user", "nobody")
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        run("import_fund", "capital", str(tmp_path / "khong-co.xlsx"))


def test_import_fund_dry_run_writes_nothing(tmp_path, source):
    path = save(tmp_path, "von.xlsx", CAPITAL, [["01/01/2020", "Ngân sách tỉnh", "1.000"]])
    out, _err = run("import_fund", "capital", path, "--dry-run")
    assert "chưa ghi" in out and not CapitalMovement.objects.exists()


# ---------------------------------------------------------------- fund_statement


@pytest.fixture
def books(loan, source, fund_staff):
    services.capital_record(source=source, on=D(2020, 1, 1), amount=2_000_000_000, by=fund_staff)
    services.repayment_record(loan=loan, on=D(2021, 2, 15), amount=16_888_888, by=fund_staff)
    return loan


def test_fund_statement_json_exposes_the_figures(books):
    out, _err = run("fund_statement", "--as-of", "2021-03-20", "--from", "2021-01-01", "--format", "json")
    data = json.loads(out)
    assert data["as_of"] == "2021-03-20" and data["from"] == "2021-01-01"
    assert data["total_capital"] == 2_000_000_000
    assert data["loans_outstanding"] == 1 and data["outstanding"] == 500_000_000 - 13_888_888
    assert data["flows"]["interest_earned"] == 3_000_000
    assert "Huyện Tân Yên" in out  # ensure_ascii=False keeps Vietnamese readable
    assert data == json.loads(
        json.dumps(selectors.fund_statement(as_of=D(2021, 3, 20), date_from=D(2021, 1, 1)).as_dict())
    )


def test_fund_statement_table_has_vietnamese_labels_and_numbers(books):
    out, _err = run("fund_statement", "--as-of", "20/03/2021", "--from", "01/01/2021")
    assert "Quỹ hỗ trợ phát triển hợp tác xã đến ngày 20/03/2021" in out
    line = next(line for line in out.splitlines() if line.startswith("Dư nợ (đồng)"))
    assert line.endswith("486.111.112")
    assert "Tổng nguồn vốn (đồng)" in out and "2.000.000.000" in out
    assert "Giải ngân trong kỳ (đồng)" in out and "Theo địa bàn" in out and "Huyện Tân Yên" in out
    assert "VAY-001" in out  # the overdue list (the 15/03 instalment is late)


def test_fund_statement_xlsx_needs_an_output_file(books, tmp_path):
    with pytest.raises(CommandError, match="--output"):
        run("fund_statement", "--as-of", "2021-03-20", "--format", "xlsx")
    path = tmp_path / "quy.xlsx"
    out, _err = run("fund_statement", "--as-of", "2021-03-20", "--format", "xlsx", "--output", str(path))
    assert "Đã ghi" in out
    wb = load_workbook(path)
    assert wb.sheetnames[0] == "Tổng hợp" and "Nợ quá hạn" in wb.sheetnames


def test_fund_statement_refuses_bad_dates_in_vietnamese(db):
    with pytest.raises(CommandError, match="Ngày không hợp lệ cho --as-of"):
        run("fund_statement", "--as-of", "2021-02-30")
    with pytest.raises(CommandError, match="phải trước hoặc bằng"):
        run("fund_statement", "--as-of", "2021-03-15", "--from", "2021-04-01")


def test_fund_statement_groups_by_the_units_of_today(books):
    data = json.loads(run("fund_statement", "--as-of", "2021-03-20", "--grouping", "now", "--format", "json")[0])
    assert data["grouping"] == "now" and sum(v["outstanding"] for v in data["by_area"].values()) == data["outstanding"]
    assert Repayment.objects.count() == 1
