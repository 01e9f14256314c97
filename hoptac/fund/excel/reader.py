"""Reading a fund book: the registry's cell readers, plus signed amounts and interest rates.

Opening the file, finding its header row and reading dates, codes and amounts follow the
organisation import exactly (``hoptac.registry.excel``): the same files are refused with
the same Vietnamese messages.
"""

import logging
import re
from decimal import Decimal, InvalidOperation

from openpyxl import load_workbook

from hoptac.core.formatting import vi_number
from hoptac.core.text import normalize
from hoptac.registry.excel.columns import HEADER_SEARCH_ROWS, MAX_ROWS, SHEET_GUIDE
from hoptac.registry.excel.reader import (
    _OLE_MAGIC,
    _ZIP_MAGIC,
    BadCell,
    FileProblem,
    Sheet,
    _blank,
    _raw,
    read_code,
    read_date,
    read_int,
    read_text,
)

from .books import CODE, DATE, MAX_MONTHS, MAX_RATE, MONEY, MONTHS, RATE, SIGNED_MONEY, Book

logger = logging.getLogger(__name__)

MONEY_MAX = 9 * 10**18  # BigIntegerField
_MINUS = ("-", "\u2212")  # hyphen and the minus sign Excel and Word sometimes write


def read_signed_int(value) -> int | None:
    """A whole number that may be negative ("-500.000.000" or a negative number cell)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
        return -read_int(-value)
    if isinstance(value, str) and value.strip().startswith(_MINUS):
        number = read_int(value.strip()[1:])
        return None if number is None else -number
    return read_int(value)


_RATE_TEXT = re.compile(r"^\d+([.,]\d+)?$")


def read_rate(value) -> Decimal | None:
    """Percent a year: 7,2 or 7.2 (text or number), "7,2%" too; a cell formatted as % arrives as Decimal."""
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise BadCell(f"“{value}” không phải số")
    if isinstance(value, Decimal):
        rate = value
    elif isinstance(value, (int, float)):
        rate = Decimal(repr(value))
    else:
        raw = str(value).strip()
        text = re.sub(r"\s*(%|%/năm|%/nam)$", "", raw, flags=re.IGNORECASE).replace(" ", "")
        if not _RATE_TEXT.match(text):
            raise BadCell(f"không đọc được lãi suất “{raw}” (ghi số phần trăm một năm, ví dụ 7,2)")
        rate = Decimal(text.replace(",", "."))
    try:
        rate = rate.normalize()
        if rate.as_tuple().exponent < -4:
            raise BadCell(f"lãi suất “{_raw(value)}” có quá 4 chữ số thập phân")
    except InvalidOperation:
        raise BadCell(f"không đọc được lãi suất “{_raw(value)}”") from None
    if rate < 0 or rate > MAX_RATE:
        raise BadCell(f"lãi suất {vi_number(rate, 2)}%/năm ngoài khoảng 0–{MAX_RATE}")
    return rate


def read_value(kind: str, value, epoch):
    """A cell read by the kind of its column; BadCell with the Vietnamese reason."""
    if kind == CODE:
        return read_code(value)
    if kind == DATE:
        return read_date(value, epoch)
    if kind == MONEY:
        number = read_int(value)
        if number is not None and number > MONEY_MAX:
            raise BadCell(f"số “{vi_number(number)}” quá lớn")
        return number
    if kind == SIGNED_MONEY:
        number = read_signed_int(value)
        if number is not None and abs(number) > MONEY_MAX:
            raise BadCell(f"số “{vi_number(number)}” quá lớn")
        return number
    if kind == MONTHS:
        number = read_int(value)
        if number is not None and not 1 <= number <= MAX_MONTHS:
            raise BadCell(f"số tháng phải từ 1 đến {MAX_MONTHS} (đang là {vi_number(number)})")
        return number
    if kind == RATE:
        return read_rate(value)
    return read_text(value)


# ---------------------------------------------------------------- the file


def _is_header(book: Book, values: tuple) -> bool:
    keys = {book.header_keys.get(normalize(v)) for v in values if isinstance(v, str)} - {None}
    return len(keys) >= 2


def _map_headers(book: Book, values: tuple) -> dict[str, int]:
    columns: dict[str, int] = {}
    unknown, repeated = [], []
    for index, value in enumerate(values):
        if _blank(value):
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


def _pick_sheet(book: Book, wb):
    for ws in wb.worksheets:
        if normalize(ws.title) == normalize(book.sheet):
            return ws
    for ws in wb.worksheets:
        if normalize(ws.title) != normalize(SHEET_GUIDE):
            return ws
    return wb.worksheets[0]


def _cell_value(cell, percent_ok: bool):
    value = cell.value
    # A rate typed as 7,2% in a cell formatted as a percentage is stored as 0.072.
    if (
        percent_ok
        and isinstance(value, (int, float))
        and not isinstance(value, bool)
        and "%" in (getattr(cell, "number_format", None) or "")
    ):
        return Decimal(repr(value)) * 100
    return value


def read_book(book: Book, file, filename: str = "") -> Sheet:
    """The data rows of an .xlsx file of book; FileProblem with a Vietnamese message if it cannot be used."""
    label = f"“{filename}”" if filename else "đã chọn"
    start = file.read(8)
    file.seek(0)
    if start.startswith(_OLE_MAGIC):
        raise FileProblem(
            f"Tệp {label} là định dạng Excel 97-2003 (.xls). Hãy mở bằng Excel, chọn Lưu thành "
            "“Excel Workbook (.xlsx)” rồi nhập lại."
        )
    if not start.startswith(_ZIP_MAGIC):
        raise FileProblem(f"Tệp {label} không phải tệp Excel .xlsx. Hãy dùng tệp mẫu và lưu dạng .xlsx.")
    try:
        wb = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # zipfile, XML and openpyxl errors: any of them means a broken file
        logger.info("unreadable fund import file %s: %r", filename, exc)
        raise FileProblem(f"Không đọc được tệp {label}: tệp bị hỏng hoặc không phải tệp Excel .xlsx.") from exc
    try:
        ws = _pick_sheet(book, wb)
        ws.reset_dimensions()  # some programs write a wrong sheet size
        rows_iter = ws.iter_rows()
        header_row, header = 0, None
        for header_row, cells in enumerate(rows_iter, start=1):
            values = tuple(c.value for c in cells)
            if _is_header(book, values):
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
        columns = _map_headers(book, header)
        wanted = [i for key, i in columns.items() if not book.column(key).informative]
        rate_index = columns.get("rate")
        rows = []
        for number, cells in enumerate(rows_iter, start=header_row + 1):
            values = tuple(_cell_value(c, i == rate_index) for i, c in enumerate(cells))
            if all(_blank(values[i]) if i < len(values) else True for i in wanted):
                continue
            if len(rows) >= MAX_ROWS:
                raise FileProblem(f"Tệp có hơn {vi_number(MAX_ROWS)} dòng dữ liệu; hãy chia thành nhiều tệp.")
            rows.append((number, values))
        epoch = wb.epoch
    except FileProblem:
        raise
    except Exception as exc:
        logger.info("unreadable fund import file %s: %r", filename, exc)
        raise FileProblem(f"Không đọc được tệp {label}: tệp bị hỏng hoặc không phải tệp Excel .xlsx.") from exc
    finally:
        wb.close()
    if not rows:
        raise FileProblem(f"Tệp {label} không có dòng dữ liệu nào (sau dòng tiêu đề).")
    return Sheet(name=ws.title, columns=columns, rows=rows, epoch=epoch)
