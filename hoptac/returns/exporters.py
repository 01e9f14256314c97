"""The completeness and timeliness of a form's period as an .xlsx workbook (Vietnamese, like the page)."""

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from hoptac.core.formatting import vi_date
from hoptac.core.xlsx import defuse_formulas, write_header

from .excel import STATUS_VI
from .selectors import LATE, MISSING, ON_TIME, Completeness

STATE_VI = {ON_TIME: "Đúng hạn", LATE: "Muộn", MISSING: "Chưa nộp"}


def _sheet(wb, title: str, heading: str, header: list[str], rows: list[list], widths: list[int]):
    ws = wb.create_sheet(title)
    ws.append([heading])
    ws["A1"].font = Font(bold=True, size=13)
    write_header(ws, header, widths, row=2)
    # Written by position: the header's frozen pane already created the first cell of row 3.
    for number, row in enumerate(rows, start=3):
        for column, value in enumerate(row, start=1):
            ws.cell(row=number, column=column, value=value)
    return ws


def completeness_xlsx(report: Completeness) -> bytes:
    """Three sheets: the counts by area, the organisations that have not filed (with contacts), every row."""
    wb = Workbook()
    wb.remove(wb.active)
    heading = f"{report.form.name_vi} – {report.period.label_vi} (hạn nộp {vi_date(report.due)})"
    counts = [
        [a.area, a.expected, a.on_time, a.late, a.missing, round(a.rate, 1)] for a in [*report.areas, report.total]
    ]
    counts[-1][0] = "Tổng cộng"
    summary = _sheet(
        wb,
        "Tổng hợp",
        heading,
        ["Địa bàn (khi đó)", "Phải nộp", "Đúng hạn", "Muộn", "Chưa nộp", "Tỷ lệ đã nộp (%)"],
        counts,
        [34, 12, 12, 10, 12, 18],
    )
    summary.cell(row=summary.max_row, column=1).font = Font(bold=True)
    missing = [
        [
            r.organization.code,
            r.organization.name,
            r.area,
            r.organization.representative,
            r.organization.phone,
            r.organization.email,
            STATUS_VI.get(r.return_status, "chưa lập"),
        ]
        for r in report.missing
    ]
    _sheet(
        wb,
        "Chưa nộp",
        f"Tổ chức chưa nộp – {heading}",
        ["Mã số", "Tên", "Địa bàn (khi đó)", "Người đại diện", "Điện thoại", "Thư điện tử", "Tình trạng"],
        missing,
        [16, 46, 26, 26, 16, 28, 20],
    )
    every = [
        [
            r.organization.code,
            r.organization.name,
            r.area,
            STATE_VI[r.state],
            vi_date(r.submitted_on),
            STATUS_VI.get(r.return_status, "chưa lập"),
        ]
        for r in report.rows
    ]
    _sheet(
        wb,
        "Chi tiết",
        heading,
        ["Mã số", "Tên", "Địa bàn (khi đó)", "Nộp", "Ngày nộp", "Tình trạng"],
        every,
        [16, 46, 26, 12, 12, 20],
    )
    for ws in wb.worksheets:
        ws.column_dimensions[get_column_letter(1)].number_format = "@"
    out = io.BytesIO()
    defuse_formulas(wb)
    wb.save(out)
    return out.getvalue()
