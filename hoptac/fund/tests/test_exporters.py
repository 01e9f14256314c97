import io

import pytest
from openpyxl import load_workbook

from hoptac.fund import exporters, selectors, services

from .conftest import D

pytestmark = pytest.mark.django_db


@pytest.fixture
def statement(loan, source, fund_staff):
    """VAY-001 (500.000.000đ from 15/01/2021) paid once, then late; capital 2.000.000.000đ."""
    services.capital_record(source=source, on=D(2020, 1, 1), amount=2_000_000_000, by=fund_staff)
    services.repayment_record(loan=loan, on=D(2021, 2, 15), amount=16_888_888, by=fund_staff)
    return selectors.fund_statement(as_of=D(2021, 4, 20), date_from=D(2021, 1, 1))


def figures(ws) -> dict:
    """Column A label -> column B value of a sheet."""
    return {row[0]: row[1] for row in ws.iter_rows(values_only=True) if row and row[0]}


def test_the_workbook_has_the_six_sheets_and_the_figures_as_numbers(statement):
    wb = load_workbook(io.BytesIO(exporters.statement_xlsx(statement)))
    assert wb.sheetnames == [
        "Tổng hợp",
        "Phân loại nợ",
        "Theo loại hình",
        "Theo lĩnh vực",
        "Theo địa bàn",
        "Nợ quá hạn",
    ]
    summary = figures(wb["Tổng hợp"])
    assert summary["Dư nợ (đồng)"] == statement.outstanding == 500_000_000 - 13_888_888
    assert summary["Tổng nguồn vốn (đồng)"] == 2_000_000_000
    assert summary["Số khoản vay còn dư nợ"] == 1 and summary["Số bên vay"] == 1
    assert summary["Lãi đã thu (đồng)"] == 3_000_000 and summary["Đã giải ngân (đồng)"] == 500_000_000
    assert summary["Nợ quá hạn gốc (đồng)"] == statement.overdue_principal > 0
    assert summary["Giải ngân trong kỳ (đồng)"] == 500_000_000 and summary["Thu lãi trong kỳ (đồng)"] == 3_000_000
    assert summary["PAR30 - dư nợ quá hạn trên 30 ngày (đồng)"] == statement.outstanding
    assert summary["Tỷ lệ PAR30"] == pytest.approx(1.0)
    cell = next(c for row in wb["Tổng hợp"].iter_rows() for c in row if c.value == statement.outstanding)
    assert cell.number_format == "#,##0"
    assert "20/04/2021" in wb["Tổng hợp"]["A1"].value and "01/01/2021" in wb["Tổng hợp"]["A1"].value


def test_breakdowns_and_the_overdue_list(statement, org_tan_yen):
    wb = load_workbook(io.BytesIO(exporters.statement_xlsx(statement)))
    buckets = {row[0]: row for row in wb["Phân loại nợ"].iter_rows(values_only=True) if row and row[0]}
    assert buckets["Quá hạn 31–90 ngày"][1:3] == (1, statement.outstanding)
    kinds = {row[0]: row for row in wb["Theo loại hình"].iter_rows(values_only=True) if row and row[0]}
    assert kinds["Hợp tác xã (HTX)"][3] == statement.outstanding and kinds["Tổng cộng"][3] == statement.outstanding
    sectors = {row[0]: row for row in wb["Theo lĩnh vực"].iter_rows(values_only=True) if row and row[0]}
    assert sectors["Nông nghiệp, lâm nghiệp, thủy sản"][1] == 1
    areas = {row[0]: row for row in wb["Theo địa bàn"].iter_rows(values_only=True) if row and row[0]}
    assert areas["Huyện Tân Yên"][3] == statement.outstanding
    overdue = [row for row in wb["Nợ quá hạn"].iter_rows(values_only=True) if row and row[0] == "VAY-001"]
    assert len(overdue) == 1
    code, name, org_code, phone, since, days, principal, interest, outstanding = overdue[0]
    assert (name, org_code, phone) == (org_tan_yen.name, "2400000001", "0912 345 678")
    assert since == "15/03/2021" and days == 36
    late = statement.overdue[0]
    assert (principal, interest, outstanding) == (late.overdue_principal, late.overdue_interest, statement.outstanding)


def test_without_a_period_there_are_no_flows(loan):
    st = selectors.fund_statement(as_of=D(2021, 2, 1))
    wb = load_workbook(io.BytesIO(exporters.statement_xlsx(st)))
    summary = figures(wb["Tổng hợp"])
    assert "Giải ngân trong kỳ (đồng)" not in summary and summary["Dư nợ (đồng)"] == 500_000_000
    assert [row for row in wb["Nợ quá hạn"].iter_rows(values_only=True) if row and row[0] == "VAY-001"] == []


def test_an_empty_fund_still_gives_a_workbook(db):
    st = selectors.fund_statement(as_of=D(2021, 3, 15))
    wb = load_workbook(io.BytesIO(exporters.statement_xlsx(st)))
    assert figures(wb["Tổng hợp"])["Dư nợ (đồng)"] == 0
    assert exporters.filename(st) == "bao-cao-quy-2021-03-15.xlsx"
