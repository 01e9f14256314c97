"""The pivot as an Excel workbook, in Vietnamese whatever the screen language (it goes to the departments).

Figures are numbers, not text: whole numbers as they are (money in whole đồng), means with
one decimal. Year-over-year adds the change in per cent after each change column.
"""

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from hoptac.core.xlsx import defuse_formulas

from .pivot import CHANGE, Pivot

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GROUPING_VI = {
    "then": "Địa bàn theo đơn vị hành chính của năm báo cáo",
    "now": "Địa bàn theo đơn vị hành chính cấp xã hiện nay",
}
_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")


def _number(value):
    if isinstance(value, Decimal):
        return float(value)
    return value


def _format(cell, measure_decimals: int) -> str:
    return "#,##0" if measure_decimals == 0 else "#,##0.0"


def pivot_workbook(pivot: Pivot, *, title: str, lines: list[str]) -> bytes:
    """One sheet: title and description lines, the header rows, one row per key, the total row.

    Build pivot under ``translation.override("vi")`` so its labels are Vietnamese.
    """
    wb = Workbook()
    ws = wb.active
    ws.title = "Bảng tổng hợp"
    ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=13)
    row = 2
    for line in lines:
        ws.cell(row=row, column=1, value=line)
        row += 1
    row += 1
    yoy = pivot.previous_period is not None
    parts = 4 if yoy else 1  # previous, this year, change, change %
    per_key = len(pivot.measures) * parts
    levels = []
    if pivot.columns_dimension:
        levels.append([(pivot.column_labels[k], per_key) for k in pivot.column_keys])
    levels.append([(m.name, parts) for _k in pivot.column_keys for m in pivot.measures])
    if yoy:
        years = [pivot.previous_period.label, pivot.period.label, "Thay đổi", "Thay đổi (%)"]
        levels.append([(y, 1) for _k in pivot.column_keys for _m in pivot.measures for y in years])
    first_header = row
    for level in levels:
        column = 2
        for label, span in level:
            cell = ws.cell(row=row, column=column, value=label)
            if span > 1:
                ws.merge_cells(start_row=row, start_column=column, end_row=row, end_column=column + span - 1)
            column += span
        row += 1
    corner = ws.cell(row=first_header, column=1, value=pivot.header[0][0].label)
    if len(levels) > 1:
        ws.merge_cells(start_row=first_header, start_column=1, end_row=row - 1, end_column=1)
    for r in range(first_header, row):
        for c in range(1, 2 + len(pivot.column_keys) * per_key):
            cell = ws.cell(row=r, column=c)
            cell.font, cell.fill = _BOLD, _HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    corner.alignment = Alignment(wrap_text=True, vertical="center")

    for body_row in [*pivot.rows, pivot.total]:
        label = body_row.label + (f" ({body_row.sub})" if body_row.sub else "")
        ws.cell(row=row, column=1, value=label).font = Font(bold=body_row.total)
        column = 2
        for c in body_row.cells:
            values = [c.value, c.percent] if c.part == CHANGE else [c.value]
            for i, value in enumerate(values):
                cell = ws.cell(row=row, column=column, value=_number(value))
                cell.number_format = "0.0" if i == 1 else _format(cell, c.measure.decimals)
                if body_row.total:
                    cell.font = _BOLD
                column += 1
        row += 1

    ws.column_dimensions["A"].width = 34
    for c in range(2, 2 + len(pivot.column_keys) * per_key):
        ws.column_dimensions[get_column_letter(c)].width = 18
    ws.freeze_panes = ws.cell(row=first_header + len(levels), column=2)
    buffer = io.BytesIO()
    defuse_formulas(wb)
    wb.save(buffer)
    return buffer.getvalue()
