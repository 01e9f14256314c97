"""Excel exports of the training app, in Vietnamese whatever the screen's language.

- a course's participant list laid out as a sign-in sheet (STT, name, unit, position, a
  column to sign), printable on A4 as officers take it to the classroom;
- a plan's planned courses against what was done, with the totals of ``plan_progress``.
"""

import io

from django.conf import settings
from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from hoptac.core.formatting import vi_date
from hoptac.core.xlsx import defuse_formulas

from .models import Course, Plan
from .selectors import plan_progress

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FONT = "Times New Roman"
_THIN = Side(style="thin", color="000000")
BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
MONEY = "#,##0"


def _font(**kwargs) -> Font:
    return Font(name=FONT, size=kwargs.pop("size", 12), **kwargs)


def _title(ws, row: int, text: str, columns: int, **font) -> None:
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
    cell = ws.cell(row=row, column=1, value=text)
    cell.font = _font(**font)
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _table(ws, header_row: int, header: list[str], rows: list[list], widths: list[int], height: float) -> int:
    """A boxed table under header_row; returns the last row written."""
    for index, (text, width) in enumerate(zip(header, widths, strict=True), start=1):
        cell = ws.cell(row=header_row, column=index, value=text)
        cell.font = _font(bold=True)
        cell.border = BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.row_dimensions[header_row].height = 32
    number = header_row
    for number, values in enumerate(rows, start=header_row + 1):
        for index, value in enumerate(values, start=1):
            cell = ws.cell(row=number, column=index, value=value)
            cell.font = _font()
            cell.border = BOX
            cell.alignment = Alignment(vertical="center", wrap_text=True)
            if isinstance(value, int):
                cell.number_format = MONEY
                cell.alignment = Alignment(horizontal="right", vertical="center")
        ws.row_dimensions[number].height = height
    ws.print_title_rows = f"{header_row}:{header_row}"
    return number


def _a4(ws, *, landscape: bool = False) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left, ws.page_margins.right = 0.8, 0.5
    ws.page_margins.top, ws.page_margins.bottom = 0.6, 0.6


def _bytes(wb: Workbook) -> bytes:
    out = io.BytesIO()
    defuse_formulas(wb)
    wb.save(out)
    return out.getvalue()


SIGN_IN_HEADER = ["STT", "Họ và tên", "Đơn vị", "Chức vụ", "Ký tên"]


def sign_in_sheet(course: Course, participants) -> bytes:
    """The participants (current ones, as given) as a sign-in sheet: one row each, an empty column to sign."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Danh sách ký"
    columns = len(SIGN_IN_HEADER)
    _title(ws, 1, settings.ALLIANCE_NAME.upper(), columns, bold=True)
    _title(ws, 2, "DANH SÁCH HỌC VIÊN THAM DỰ LỚP BỒI DƯỠNG, TẬP HUẤN", columns, bold=True, size=14)
    _title(ws, 3, course.topic, columns, bold=True)
    when = vi_date(course.starts_on)
    if course.ends_on != course.starts_on:
        when = f"{when} – {vi_date(course.ends_on)}"
    _title(ws, 4, f"Thời gian: {when}. Địa điểm: {course.place}", columns, italic=True)
    ws.row_dimensions[3].height = 32
    people = [p for p in participants if p.archived_on is None]
    rows = [[index, p.full_name, p.unit, p.position, ""] for index, p in enumerate(people, start=1)]
    last = _table(ws, 6, SIGN_IN_HEADER, rows, [6, 28, 40, 20, 18], height=30)
    for row in ws.iter_rows(min_row=7, max_row=last, max_col=1):
        row[0].alignment = Alignment(horizontal="center", vertical="center")
    total = ws.cell(row=last + 2, column=1, value=f"Tổng số: {len(people)} người.")
    total.font = _font(italic=True)
    _a4(ws)
    return _bytes(wb)


PLAN_HEADER = [
    "STT",
    "Nội dung bồi dưỡng, tập huấn",
    "Đối tượng",
    "Thời gian",
    "Số học viên kế hoạch",
    "Số học viên đã tham dự",
    "Số lớp đã tổ chức",
    "Kinh phí kế hoạch (đồng)",
    "Kinh phí đã chi (đồng)",
    "Nguồn kinh phí",
]


def plan_progress_sheet(plan: Plan) -> bytes:
    """The plan's planned courses against what was done (``selectors.plan_progress``), with a total row."""
    progress = plan_progress(plan)
    wb = Workbook()
    ws = wb.active
    ws.title = "Kế hoạch và thực hiện"
    columns = len(PLAN_HEADER)
    _title(ws, 1, settings.ALLIANCE_NAME.upper(), columns, bold=True)
    _title(ws, 2, f"KẾT QUẢ THỰC HIỆN KẾ HOẠCH BỒI DƯỠNG, TẬP HUẤN NĂM {plan.year}", columns, bold=True, size=14)
    issued = f"Kế hoạch số {plan.number} ngày {vi_date(plan.issued_on)}" if plan.is_issued else "Kế hoạch (dự thảo)"
    _title(ws, 3, f"{issued}: {plan.title}", columns, italic=True)
    with translation.override("vi"):
        rows = [
            [
                index,
                row.planned.topic,
                str(row.planned.get_target_group_display()),
                str(row.planned.when),
                row.participants_planned,
                row.participants_done,
                row.courses_held,
                row.budget_planned,
                row.budget_spent,
                str(row.planned.get_budget_source_display()),
            ]
            for index, row in enumerate(progress.rows, start=1)
        ]
    rows.append(
        [
            "",
            "Tổng cộng",
            "",
            "",
            progress.participants_planned,
            progress.participants_done,
            progress.courses_held,
            progress.budget_planned,
            progress.budget_spent,
            "",
        ]
    )
    last = _table(ws, 5, PLAN_HEADER, rows, [6, 44, 20, 14, 12, 12, 10, 18, 18, 20], height=30)
    for cell in ws[last]:
        cell.font = _font(bold=True)
    for row in ws.iter_rows(min_row=6, max_row=last, max_col=1):
        row[0].alignment = Alignment(horizontal="center", vertical="center")
    _a4(ws, landscape=True)
    return _bytes(wb)
