"""The fund statement as an Excel workbook, and its Vietnamese labels.

The workbook goes to the alliance's board and the provincial departments as it is, so its
labels are Vietnamese whatever the screen's language; the ``fund_statement`` command prints
the same rows. Every figure comes from one ``Statement`` (``selectors.fund_statement``), so
the page, this file and the command cannot disagree.
"""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from hoptac.core.formatting import vi_date
from hoptac.core.xlsx import defuse_formulas
from hoptac.registry.models import OrgKind, Sector
from hoptac.registry.stats_export import GROUPING_VI, KIND_VI, SECTOR_VI

from .selectors import Breakdown, Statement

SHEETS = ("Tổng hợp", "Phân loại nợ", "Theo loại hình", "Theo lĩnh vực", "Theo địa bàn", "Nợ quá hạn")
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "#,##0"
RATIO_FORMAT = "0.00%"
TOTAL = "Tổng cộng"

BUCKET_VI = {
    "current": "Trong hạn",
    "1-30": "Quá hạn 1–30 ngày",
    "31-90": "Quá hạn 31–90 ngày",
    "91-180": "Quá hạn 91–180 ngày",
    ">180": "Quá hạn trên 180 ngày",
}


class Ratio(float):
    """A share (0.1234 = 12,34%): written with a percent format, printed with a % sign."""


def title(st: Statement) -> str:
    """ "Quỹ hỗ trợ phát triển HTX đến ngày 15/03/2021 (kỳ từ ngày 01/01/2021)"."""
    text = f"Quỹ hỗ trợ phát triển hợp tác xã đến ngày {vi_date(st.as_of)}"
    if st.date_from:
        text += f" (kỳ từ ngày {vi_date(st.date_from)})"
    return text


def summary_rows(st: Statement) -> list[list]:
    """One labelled figure a row (đồng, or a count); the flows of the period when it has a start."""
    rows = [
        ["Chỉ tiêu", "Giá trị"],
        ["Tổng nguồn vốn (đồng)", st.capital],
        ["Đã giải ngân (đồng)", st.disbursed],
        ["Đã thu gốc (đồng)", st.principal_repaid],
        ["Lãi đã thu (đồng)", st.interest_earned],
        ["Dư nợ (đồng)", st.outstanding],
        ["Số khoản vay còn dư nợ", st.loans_outstanding],
        ["Số bên vay", st.borrowers],
        ["Nợ quá hạn gốc (đồng)", st.overdue_principal],
        ["Nợ quá hạn lãi (đồng)", st.overdue_interest],
        ["PAR30 - dư nợ quá hạn trên 30 ngày (đồng)", st.par30],
        ["Tỷ lệ PAR30", Ratio(st.par30_ratio)],
        ["PAR90 - dư nợ quá hạn trên 90 ngày (đồng)", st.par90],
        ["Tỷ lệ PAR90", Ratio(st.par90_ratio)],
    ]
    if st.date_from:
        rows += [
            [f"Trong kỳ {vi_date(st.date_from)} - {vi_date(st.as_of)}", ""],
            ["Vốn tăng (giảm) trong kỳ (đồng)", st.capital_in_period],
            ["Giải ngân trong kỳ (đồng)", st.disbursed_in_period],
            ["Thu gốc trong kỳ (đồng)", st.principal_repaid_in_period],
            ["Thu lãi trong kỳ (đồng)", st.interest_in_period],
        ]
    return rows


def bucket_rows(st: Statement) -> list[list]:
    rows = [["Nhóm nợ", "Số khoản vay", "Dư nợ (đồng)", "Tỷ trọng trong dư nợ"]]
    for name, label in BUCKET_VI.items():
        bucket = st.buckets.get(name, {"loans": 0, "outstanding": 0})
        share = bucket["outstanding"] / st.outstanding if st.outstanding else 0.0
        rows.append([label, bucket["loans"], bucket["outstanding"], Ratio(share)])
    rows.append([TOTAL, st.loans_outstanding, st.outstanding, Ratio(1.0 if st.outstanding else 0.0)])
    return rows


def _breakdown_header(first: str, st: Statement) -> list[str]:
    header = [
        first,
        "Số khoản vay còn dư nợ",
        "Số bên vay",
        "Dư nợ (đồng)",
        "Nợ quá hạn gốc (đồng)",
        "Dư nợ quá hạn trên 30 ngày (đồng)",
    ]
    if st.date_from:
        header += ["Giải ngân trong kỳ (đồng)", "Thu gốc trong kỳ (đồng)"]
    return header


def _breakdown_row(label: str, group: Breakdown, st: Statement) -> list:
    row = [label, group.loans, len(group.borrowers), group.outstanding, group.overdue_principal, group.par30]
    if st.date_from:
        row += [group.disbursed_in_period, group.repaid_in_period]
    return row


def _total_row(st: Statement) -> list:
    row = [TOTAL, st.loans_outstanding, st.borrowers, st.outstanding, st.overdue_principal, st.par30]
    if st.date_from:
        row += [st.disbursed_in_period, st.principal_repaid_in_period]
    return row


def kind_rows(st: Statement) -> list[list]:
    rows = [_breakdown_header("Loại hình", st)]
    rows += [
        _breakdown_row(f"{KIND_VI[kind]} ({kind})", st.by_kind.get(kind.value, Breakdown()), st) for kind in OrgKind
    ]
    return rows + [_total_row(st)]


def sector_rows(st: Statement) -> list[list]:
    rows = [_breakdown_header("Lĩnh vực", st)]
    rows += [_breakdown_row(SECTOR_VI[sector], st.by_sector.get(sector.value, Breakdown()), st) for sector in Sector]
    return rows + [_total_row(st)]


def area_rows(st: Statement) -> list[list]:
    rows = [_breakdown_header("Địa bàn", st)]
    rows += [_breakdown_row(area, group, st) for area, group in st.by_area.items()]
    return rows + [_total_row(st)]


def overdue_rows(st: Statement) -> list[list]:
    """The loans past due, oldest arrears first, with whom to call."""
    rows = [
        [
            "Mã khoản vay",
            "Bên vay",
            "Mã số bên vay",
            "Điện thoại",
            "Quá hạn từ ngày",
            "Số ngày quá hạn",
            "Nợ gốc quá hạn (đồng)",
            "Lãi quá hạn (đồng)",
            "Dư nợ (đồng)",
        ]
    ]
    for pos in st.overdue:
        borrower = pos.loan.borrower
        rows.append(
            [
                pos.loan.code,
                borrower.name,
                borrower.code,
                borrower.phone,
                vi_date(pos.oldest_unpaid_on),
                pos.days_past_due,
                pos.overdue_principal,
                pos.overdue_interest,
                pos.outstanding,
            ]
        )
    if st.overdue:
        rows.append(
            [
                TOTAL,
                "",
                "",
                "",
                "",
                "",
                sum(p.overdue_principal for p in st.overdue),
                sum(p.overdue_interest for p in st.overdue),
                sum(p.outstanding for p in st.overdue),
            ]
        )
    return rows


# ---------------------------------------------------------------- the workbook

_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
_TEXT_COLUMNS = {"Mã khoản vay", "Mã số bên vay", "Điện thoại"}


def _sheet(ws, heading: list[str], table: list[list]) -> None:
    """Heading lines, a blank row, then the table: header bold and frozen, a "Tổng cộng" row bold."""
    row = 1
    for i, line in enumerate(heading):
        ws.cell(row=row, column=1, value=line).font = Font(bold=(i == 0), size=13 if i == 0 else 11)
        row += 1
    row += 1
    ws.freeze_panes = ws.cell(row=row + 1, column=1).coordinate
    widths: dict[int, int] = {}
    header = table[0]
    for r, values in enumerate(table):
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=c, value=value)
            if r == 0:
                cell.font, cell.fill = _BOLD, _HEADER_FILL
                cell.alignment = Alignment(wrap_text=True, vertical="center")
            elif values[0] == TOTAL:
                cell.font = _BOLD
            if isinstance(value, Ratio):
                cell.number_format = RATIO_FORMAT
            elif isinstance(value, int):
                cell.number_format = MONEY_FORMAT
            elif header[c - 1] in _TEXT_COLUMNS:
                cell.number_format = "@"
            widths[c] = max(widths.get(c, 0), min(len(str(value or "")), 30 if r == 0 else 60))
        row += 1
    for c, width in widths.items():
        ws.column_dimensions[get_column_letter(c)].width = max(12, width + 3)


def statement_xlsx(statement: Statement, *, scope: str = "") -> bytes:
    """The statement as .xlsx bytes: Tổng hợp, Phân loại nợ, by kind, sector and area, Nợ quá hạn.

    Amounts are numbers (whole đồng) formatted "#,##0", so the board can add them up in Excel.
    scope names whose loans are counted when it is not the whole fund.
    """
    heading = [title(statement), f"Nhóm địa bàn {GROUPING_VI.get(statement.grouping, statement.grouping)}"]
    if scope:
        heading.append(f"Phạm vi: {scope}")
    tables = [
        summary_rows(statement),
        bucket_rows(statement),
        kind_rows(statement),
        sector_rows(statement),
        area_rows(statement),
        overdue_rows(statement),
    ]
    wb = Workbook()
    for index, (name, table) in enumerate(zip(SHEETS, tables, strict=True)):
        ws = wb.active if index == 0 else wb.create_sheet()
        ws.title = name
        _sheet(ws, heading, table)
    buffer = io.BytesIO()
    defuse_formulas(wb)
    wb.save(buffer)
    return buffer.getvalue()


def filename(statement: Statement) -> str:
    """bao-cao-quy-2021-03-15.xlsx (ASCII: some mail gateways mangle accented names)."""
    return f"bao-cao-quy-{statement.as_of.isoformat()}.xlsx"
