"""Excel in and out shared by every import: cell readers, column specs, the file reader, templates.

An app describes a kind of file as a ``Book`` of ``Column``s (Vietnamese headers, how each
cell is read, the guide text). The same book writes the blank template with its
"Hướng dẫn" sheet and reads the filled-in file, so what a user downloads is exactly what
the import reads. Files that cannot be used are refused with ``FileProblem``, cells with
``BadCell``; both carry the Vietnamese message shown to the user. Imports collect
``RowError``s for every row and write nothing unless there are none (all or nothing).
See docs/decisions/0006-excel-import.md.
"""

import datetime
import io
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from hoptac.core.formatting import parse_vi_date, vi_date, vi_number
from hoptac.core.text import normalize

logger = logging.getLogger(__name__)

SHEET_GUIDE = "Hướng dẫn"
MAX_ROWS = 20_000  # beyond this, ask for several files rather than hold a request for minutes
# Blank rows are skipped but still read: a tiny file can hold a million of them (or one row
# numbered 1.048.576), so the sheet is read no further than this, blank or not.
MAX_SHEET_ROWS = 5 * MAX_ROWS
HEADER_SEARCH_ROWS = 10  # people put a title above the header; look for it this far down
NOTHING_IMPORTED = "Không có dữ liệu nào được nhập."
MONEY_MAX = 9 * 10**18  # BigIntegerField

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class FileProblem(Exception):
    """The file as a whole cannot be imported."""


class BadCell(ValueError):
    """A cell that cannot be read; the message is the Vietnamese explanation."""


@dataclass
class RowError:
    """One problem, by Excel row number and column header; row None for the whole file."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        return f"Dòng {self.row}, cột {self.column}: {self.message}."


# ---------------------------------------------------------------- reading cells


def raw(value) -> str:
    """The cell as the user typed it, for quoting in a message."""
    if isinstance(value, datetime.datetime):
        return vi_date(value.date())
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_text(value) -> str:
    """A text cell, trimmed; numbers typed into text columns keep their digits."""
    if blank(value):
        return ""
    if isinstance(value, datetime.datetime):
        return vi_date(value.date())
    if isinstance(value, datetime.date):
        return vi_date(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_code(value) -> str:
    """A code (mã số) as text, whether Excel held it as text or as a number ("2400000001.0")."""
    text = read_text(value)
    if re.fullmatch(r"\d+\.0+", text):
        text = text.split(".")[0]
    return text


def read_phone(value) -> str:
    """Phone as text. Typed as a number, Excel drops the leading 0 of a 10-digit VN number: restore it."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        digits = read_text(value)
        return "0" + digits if len(digits) == 9 else digits
    return read_text(value)


_SERIAL = re.compile(r"^\d{5}$")
_EXCEL_MAX_SERIAL = 2_958_465  # 31/12/9999


def read_date(value, epoch=None) -> datetime.date | None:
    """A real Excel date, a dd/mm/yyyy text or an Excel serial number; None when blank."""
    if blank(value):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value <= _EXCEL_MAX_SERIAL:
            return (from_excel(value, epoch) if epoch else from_excel(value)).date()
        raise BadCell(f"không đọc được ngày “{raw(value)}” (dùng dd/mm/yyyy)")
    text = str(value).strip()
    if _SERIAL.match(text):
        return (from_excel(int(text), epoch) if epoch else from_excel(int(text))).date()
    try:
        return parse_vi_date(text)
    except ValueError:
        raise BadCell(f"không đọc được ngày “{text}” (dùng dd/mm/yyyy)") from None


_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+$")
_PLAIN_INT = re.compile(r"^\d+$")
_ZERO_DECIMALS = re.compile(r",0+$")
_CURRENCY = re.compile(r"\s*(đồng|đ|vnđ|vnd)$", re.IGNORECASE)


def read_int(value) -> int | None:
    """A whole number ≥ 0: a number cell, or text like "500.000.000" ("." groups thousands)."""
    if blank(value):
        return None
    if isinstance(value, bool):
        raise BadCell(f"“{value}” không phải số")
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not value.is_integer():
            raise BadCell(f"“{vi_number(value, 2)}” không phải số nguyên")
        number = int(value)
    else:
        text_raw = str(value).strip()
        text = _CURRENCY.sub("", text_raw).replace("\u00a0", "").replace(" ", "")
        text = _ZERO_DECIMALS.sub("", text)
        negative = text.startswith("-")
        digits = text[1:] if negative else text
        if _GROUPED.match(digits) or _PLAIN_INT.match(digits):
            number = int(digits.replace(".", ""))
            number = -number if negative else number
        elif "," in digits and re.fullmatch(r"[\d.,]+", digits):
            raise BadCell(
                f"“{text_raw}” không phải số nguyên (dùng dấu chấm để phân cách hàng nghìn, ví dụ 500.000.000)"
            )
        else:
            raise BadCell(f"không đọc được số “{text_raw}”")
    if number < 0:
        raise BadCell(f"không được âm (“{raw(value)}”)")
    return number


_MINUS = ("-", "\u2212")  # hyphen and the minus sign Excel and Word sometimes write


def read_signed_int(value) -> int | None:
    """A whole number that may be negative ("-500.000.000" or a negative number cell)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
        return -read_int(-value)
    if isinstance(value, str) and value.strip().startswith(_MINUS):
        number = read_int(value.strip()[1:])
        return None if number is None else -number
    return read_int(value)


# ---------------------------------------------------------------- describing a file

# How a cell is read (see read_cell); an app may add kinds of its own and read them itself.
TEXT, CODE, DATE, MONEY, SIGNED_MONEY, INT, PHONE = "text", "code", "date", "money", "signed", "int", "phone"


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # exact Vietnamese header, written in the template
    width: int
    kind: str = TEXT
    required: bool = True  # the cell may not be blank
    optional_column: bool = False  # the file may leave the whole column out
    guide: str = ""
    aliases: tuple[str, ...] = ()  # other headers people use, normalised
    informative: bool = False  # read by people only; the import ignores it


@dataclass(frozen=True)
class Book:
    key: str  # names the kind of file (a command's argument, a URL part)
    sheet: str  # name of the data sheet
    title: str  # of the guide sheet
    columns: tuple[Column, ...]
    rules: tuple[str, ...] = ()  # paragraphs of the guide sheet
    example: tuple[tuple, ...] = ()  # rows shown in the guide, in column order
    header_keys: dict[str, str] = field(default_factory=dict, compare=False)

    def __post_init__(self):
        for column in self.columns:
            self.header_keys[normalize(column.header)] = column.key
            for alias in column.aliases:
                self.header_keys[alias] = column.key

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def header(self, key: str) -> str:
        """The header of a column key (a header passes through unchanged)."""
        return next((c.header for c in self.columns if c.key == key), key)

    def position(self, header: str) -> int:
        """Where a header stands in the template, to sort errors left to right."""
        return next((i for i, c in enumerate(self.columns) if c.header == header), len(self.columns))


def read_cell(kind: str, value, epoch=None):
    """A cell read by the kind of its column; BadCell with the Vietnamese reason."""
    if kind == CODE:
        return read_code(value)
    if kind == DATE:
        return read_date(value, epoch)
    if kind == PHONE:
        return read_phone(value)
    if kind in (MONEY, INT):
        number = read_int(value)
        if number is not None and number > MONEY_MAX:
            raise BadCell(f"số “{vi_number(number)}” quá lớn")
        return number
    if kind == SIGNED_MONEY:
        number = read_signed_int(value)
        if number is not None and abs(number) > MONEY_MAX:
            raise BadCell(f"số “{vi_number(number)}” quá lớn")
        return number
    return read_text(value)


def read_row(book: Book, sheet: "Sheet", values: tuple, errors: list[RowError], number: int) -> dict[str, Any]:
    """The cells of one data row by column key; unreadable or missing cells become errors."""
    data: dict[str, Any] = {}
    for key, index in sheet.columns.items():
        column = book.column(key)
        if column.informative:
            continue
        value = values[index] if index < len(values) else None
        try:
            cell = read_cell(column.kind, value, sheet.epoch)
        except BadCell as problem:
            errors.append(RowError(number, column.header, str(problem)))
            continue
        if column.required and cell in (None, ""):
            errors.append(RowError(number, column.header, "không được để trống"))
        data[key] = cell
    return data


# ---------------------------------------------------------------- reading a file


@dataclass
class Sheet:
    name: str
    columns: dict[str, int]  # column key -> 0-based index
    rows: list[tuple[int, tuple]]  # (Excel row number, values) of the non-blank data rows
    epoch: Any = None


def _human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{vi_number(size / (1024 * 1024), 1)} MB"
    return f"{vi_number(max(1, round(size / 1024)))} KB"


def check_size(size: int, limit: int) -> None:
    """Refuse a file larger than limit bytes (settings.IMPORT_MAX_BYTES) before reading it."""
    if size > limit:
        raise FileProblem(f"Tệp quá lớn ({_human_size(size)}); tối đa {_human_size(limit)}. Hãy chia thành nhiều tệp.")


def map_headers(book: Book, values: tuple) -> dict[str, int]:
    """Column key -> index for a header row; FileProblem naming missing, unknown and repeated headers."""
    columns: dict[str, int] = {}
    unknown, repeated = [], []
    for index, value in enumerate(values):
        if blank(value):
            continue
        key = book.header_keys.get(normalize(str(value)))
        if key is None:
            unknown.append(str(value).strip())
        elif key in columns:
            repeated.append(str(value).strip())
        else:
            columns[key] = index
    missing = [c.header for c in book.columns if not c.optional_column and c.key not in columns]
    problems = []
    if missing:
        problems.append("thiếu cột bắt buộc " + ", ".join(f"“{h}”" for h in missing))
    if unknown:
        problems.append("cột không dùng được " + ", ".join(f"“{h}”" for h in unknown))
    if repeated:
        problems.append("cột lặp lại " + ", ".join(f"“{h}”" for h in repeated))
    if problems:
        raise FileProblem(
            "Dòng tiêu đề không đúng mẫu: "
            + "; ".join(problems)
            + ". Các cột dùng được: "
            + ", ".join(book.headers)
            + ". Hãy dùng tệp mẫu."
        )
    return columns


def _pick_sheet(sheet_name: str, wb):
    for ws in wb.worksheets:
        if normalize(ws.title) == normalize(sheet_name):
            return ws
    for ws in wb.worksheets:
        if normalize(ws.title) != normalize(SHEET_GUIDE):
            return ws
    return wb.worksheets[0]


ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"


def open_workbook(file, filename: str = ""):
    """An openpyxl workbook (read-only, values) or FileProblem saying why the file is not an .xlsx."""
    label = f"“{filename}”" if filename else "đã chọn"
    start = file.read(8)
    file.seek(0)
    if start.startswith(OLE_MAGIC):
        raise FileProblem(
            f"Tệp {label} là định dạng Excel 97-2003 (.xls). Hãy mở bằng Excel, chọn Lưu thành "
            "“Excel Workbook (.xlsx)” rồi nhập lại."
        )
    if not start.startswith(ZIP_MAGIC):
        raise FileProblem(f"Tệp {label} không phải tệp Excel .xlsx. Hãy dùng tệp mẫu và lưu dạng .xlsx.")
    try:
        return load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # zipfile, XML and openpyxl errors: any of them means a broken file
        logger.info("unreadable import file %s: %r", filename, exc)
        raise FileProblem(f"Không đọc được tệp {label}: tệp bị hỏng hoặc không phải tệp Excel .xlsx.") from exc


def read_book(
    book: Book,
    file,
    filename: str = "",
    *,
    is_header: Callable[[tuple], bool] | None = None,
    cell_value: Callable[[Any, int], Any] | None = None,
) -> Sheet:
    """The data rows of an .xlsx file of book; FileProblem with a Vietnamese message if it cannot be used.

    The header row is the first of the top HEADER_SEARCH_ROWS rows naming two of the book's
    columns (or what ``is_header`` accepts); ``cell_value(cell, index)`` may reinterpret a
    cell (a percentage, say) before it is read.
    """
    label = f"“{filename}”" if filename else "đã chọn"
    wb = open_workbook(file, filename)
    if is_header is None:

        def is_header(values: tuple) -> bool:
            keys = {book.header_keys.get(normalize(v)) for v in values if isinstance(v, str)} - {None}
            return len(keys) >= min(2, len(book.columns))

    try:
        ws = _pick_sheet(book.sheet, wb)
        ws.reset_dimensions()  # some programs write a wrong sheet size; openpyxl would stop early
        rows_iter = ws.iter_rows()
        header_row, header = 0, None
        for header_row, cells in enumerate(rows_iter, start=1):
            values = tuple(c.value for c in cells)
            if is_header(values):
                header = values
                break
            if header_row >= HEADER_SEARCH_ROWS:
                break
        if header is None:
            first = ", ".join(f"“{h}”" for h in book.headers[:2])
            raise FileProblem(
                f"Không tìm thấy dòng tiêu đề (có cột {first}) trong {HEADER_SEARCH_ROWS} dòng đầu của trang "
                f"“{ws.title}”. Hãy dùng tệp mẫu."
            )
        columns = map_headers(book, header)
        wanted = [i for key, i in columns.items() if not book.column(key).informative]
        rows = []
        for number, cells in enumerate(rows_iter, start=header_row + 1):
            if number > MAX_SHEET_ROWS:
                raise FileProblem(
                    f"Trang “{ws.title}” có hơn {vi_number(MAX_SHEET_ROWS)} dòng (kể cả dòng trống); "
                    "hãy xoá các dòng thừa hoặc chia thành nhiều tệp."
                )
            if cell_value is None:
                values = tuple(c.value for c in cells)
            else:
                values = tuple(cell_value(c, i) for i, c in enumerate(cells))
            if all(blank(values[i]) if i < len(values) else True for i in wanted):
                continue
            if len(rows) >= MAX_ROWS:
                raise FileProblem(f"Tệp có hơn {vi_number(MAX_ROWS)} dòng dữ liệu; hãy chia thành nhiều tệp.")
            rows.append((number, values))
        epoch = wb.epoch
    except FileProblem:
        raise
    except Exception as exc:
        logger.info("unreadable import file %s: %r", filename, exc)
        raise FileProblem(f"Không đọc được tệp {label}: tệp bị hỏng hoặc không phải tệp Excel .xlsx.") from exc
    finally:
        wb.close()
    if not rows:
        raise FileProblem(f"Tệp {label} không có dòng dữ liệu nào (sau dòng tiêu đề).")
    return Sheet(name=ws.title, columns=columns, rows=rows, epoch=epoch)


# ---------------------------------------------------------------- templates

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="2E7D32")
_THIN = Side(style="thin", color="9E9E9E")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
# Codes are text: as numbers Excel would drop their leading zeros.
NUMBER_FORMATS = {DATE: "DD/MM/YYYY", MONEY: "#,##0", SIGNED_MONEY: "#,##0", INT: "0", CODE: "@", PHONE: "@"}


def write_header(ws, headers: list[str], widths: list[int] | None = None, row: int = 1) -> None:
    """A styled header row (bold white on green, wrapped, frozen below)."""
    for index, header in enumerate(headers, start=1):
        cell = ws.cell(row=row, column=index, value=header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if widths:
            ws.column_dimensions[get_column_letter(index)].width = widths[index - 1]
    ws.row_dimensions[row].height = 32
    ws.freeze_panes = ws.cell(row=row + 1, column=1).coordinate


def _data_sheet(wb: Workbook, book: Book, formats: dict[str, str]) -> None:
    ws = wb.active
    ws.title = book.sheet
    write_header(ws, book.headers, [c.width for c in book.columns])
    for index, column in enumerate(book.columns, start=1):
        if column.kind in formats:
            ws.column_dimensions[get_column_letter(index)].number_format = formats[column.kind]


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


def template_bytes(book: Book, *, formats: dict[str, str] | None = None) -> bytes:
    """The blank template of book as .xlsx bytes: the data sheet, then the "Hướng dẫn" sheet."""
    wb = Workbook()
    _data_sheet(wb, book, {**NUMBER_FORMATS, **(formats or {})})
    _guide_sheet(wb, book)
    wb.active = 0
    buffer = io.BytesIO()
    defuse_formulas(wb)
    wb.save(buffer)
    return buffer.getvalue()


def defuse_formulas(wb) -> None:
    """Keep every cell that looks like a formula as the text it is, before the workbook is saved.

    openpyxl makes "=…" strings formulas; the product writes none of its own, so a name typed as
    "=HYPERLINK(…)" or "=cmd|…" is stored and exported as text and never runs in Excel.
    """
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
