"""The journal of a period as an Excel workbook, labelled in Vietnamese whatever the screen's language."""

import datetime
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from hoptac.core.formatting import vi_date
from hoptac.core.xlsx import defuse_formulas

from .models import Area
from .selectors import journal_entries

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = ["Ngày", "Lĩnh vực", "Tiêu đề", "Nội dung", "Hội nghị", "Số người dự"]
AREA_VI = {
    Area.ADVISING: "Tham mưu",
    Area.PROMOTION: "Tuyên truyền, vận động phát triển HTX",
    Area.CAPITAL: "Hỗ trợ vốn",
    Area.INFORMATION: "Quản trị hệ thống thông tin",
    Area.TRAINING: "Bồi dưỡng, tập huấn",
    Area.VALUE_CHAINS: "Chuỗi giá trị",
    Area.EMULATION: "Thi đua, khen thưởng",
    Area.OTHER: "Khác",
}


def journal_rows(*, date_from: datetime.date, date_to: datetime.date, area: str | None = None) -> list[list]:
    """One row per entry, in the report's order, after the header."""
    rows = [list(HEADER)]
    for entry in journal_entries(date_from=date_from, date_to=date_to, area=area):
        rows.append(
            [
                entry.on,
                AREA_VI[entry.area],
                entry.title,
                entry.text,
                "Có" if entry.conference else "",
                entry.attendance,
            ]
        )
    return rows


def journal_workbook(*, date_from: datetime.date, date_to: datetime.date, area: str | None = None) -> bytes:
    """The xlsx file of journal_rows, with a title line."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Nhật ký hoạt động"
    ws.append([f"Nhật ký hoạt động từ ngày {vi_date(date_from)} đến ngày {vi_date(date_to)}"])
    ws["A1"].font = Font(bold=True, size=13)
    for row in journal_rows(date_from=date_from, date_to=date_to, area=area):
        ws.append(row)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for row in ws.iter_rows(min_row=3):
        row[0].number_format = "DD/MM/YYYY"
        row[3].alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEF", (12, 36, 40, 80, 10, 12), strict=True):
        ws.column_dimensions[letter].width = width
    out = io.BytesIO()
    defuse_formulas(wb)
    wb.save(out)
    return out.getvalue()
