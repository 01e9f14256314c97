"""The blank templates of the fund's books: the data sheet and its "Hướng dẫn" sheet."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from hoptac.registry.excel.columns import SHEET_GUIDE

from .books import BOOKS, CODE, DATE, MONEY, MONTHS, SIGNED_MONEY, Book

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="2E7D32")
_THIN = Side(style="thin", color="9E9E9E")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
# Codes are text: as numbers Excel would drop their leading zeros.
_FORMATS = {DATE: "DD/MM/YYYY", MONEY: "#,##0", SIGNED_MONEY: "#,##0", MONTHS: "0", CODE: "@"}


def _data_sheet(wb: Workbook, book: Book) -> None:
    ws = wb.active
    ws.title = book.sheet
    for index, column in enumerate(book.columns, start=1):
        cell = ws.cell(row=1, column=index, value=column.header)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        dim = ws.column_dimensions[get_column_letter(index)]
        dim.width = column.width
        if column.kind in _FORMATS:
            dim.number_format = _FORMATS[column.kind]
    ws.row_dimensions[1].height = 32
    ws.freeze_panes = "A2"


def _guide_sheet(wb: Workbook, book: Book) -> None:
    ws = wb.create_sheet(SHEET_GUIDE)
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 12
    ws.column_dimensions["C"].width = 90
    bold = Font(bold=True)

    def line(*values, font=None):
        ws.append(list(values))
        if font:
            for cell in ws[ws.max_row]:
                cell.font = font

    line(book.title, font=Font(bold=True, size=14))
    line(f"Nhập dữ liệu vào trang “{book.sheet}”, từ dòng 2; không đổi tên cột.")
    line(
        "Nếu có dòng nào sai, không có dữ liệu nào được nhập: hệ thống báo mọi lỗi theo dòng và cột để sửa rồi "
        "nhập lại cả tệp."
    )
    for rule in book.rules:
        line(rule)
    line("Số tiền ghi bằng đồng, số nguyên, dấu chấm phân cách hàng nghìn (3.000.000.000); ngày ghi dd/mm/yyyy.")
    line()
    line("Cột", "Bắt buộc", "Cách ghi", font=bold)
    for column in book.columns:
        line(column.header, "" if column.optional_column else "Có", column.guide)
    line()
    line("Ví dụ", font=bold)
    line(*book.headers, font=bold)
    for example in book.example:
        line(*example)
    for row in ws.iter_rows(min_row=2, max_row=ws.max_row - len(book.example) - 2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def template_bytes(book: str) -> bytes:
    """The blank template of a book ("capital", "loans" or "repayments") as .xlsx bytes."""
    spec = BOOKS[book]
    wb = Workbook()
    _data_sheet(wb, spec)
    _guide_sheet(wb, spec)
    wb.active = 0
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def template_filename(book: str) -> str:
    """mau-so-von.xlsx and the like (ASCII: some mail gateways mangle accented names)."""
    return {"capital": "mau-so-von.xlsx", "loans": "mau-so-cho-vay.xlsx", "repayments": "mau-so-thu-no.xlsx"}[book]
