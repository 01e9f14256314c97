"""Reading a fund book: the shared reader (``hoptac.core.xlsx``), plus interest rates and terms.

Opening the file, finding its header row and reading dates, codes and amounts follow every
other import exactly: the same files are refused with the same Vietnamese messages.
"""

import re
from decimal import Decimal, InvalidOperation

from hoptac.core.formatting import vi_number
from hoptac.core.text import normalize
from hoptac.core.xlsx import BadCell, Sheet, read_cell, read_int, read_signed_int  # noqa: F401
from hoptac.core.xlsx import blank as _blank
from hoptac.core.xlsx import raw as _raw
from hoptac.core.xlsx import read_book as core_read_book

from .books import MAX_MONTHS, MAX_RATE, MONTHS, RATE, Book

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
    if kind == MONTHS:
        number = read_int(value)
        if number is not None and not 1 <= number <= MAX_MONTHS:
            raise BadCell(f"số tháng phải từ 1 đến {MAX_MONTHS} (đang là {vi_number(number)})")
        return number
    if kind == RATE:
        return read_rate(value)
    return read_cell(kind, value, epoch)


# ---------------------------------------------------------------- the file


def _cell_value(cell, index: int, rate_index: int | None):
    value = cell.value
    # A rate typed as 7,2% in a cell formatted as a percentage is stored as 0.072.
    if (
        index == rate_index
        and isinstance(value, (int, float))
        and not isinstance(value, bool)
        and "%" in (getattr(cell, "number_format", None) or "")
    ):
        return Decimal(repr(value)) * 100
    return value


def read_book(book: Book, file, filename: str = "") -> Sheet:
    """The data rows of an .xlsx file of book; FileProblem with a Vietnamese message if it cannot be used."""
    rate_index = None

    def cell_value(cell, index):
        return _cell_value(cell, index, rate_index)

    def is_header(values: tuple) -> bool:
        nonlocal rate_index
        keys = {book.header_keys.get(normalize(v)) for v in values if isinstance(v, str)} - {None}
        if len(keys) < 2:
            return False
        rate_index = next(
            (i for i, v in enumerate(values) if isinstance(v, str) and book.header_keys.get(normalize(v)) == "rate"),
            None,
        )
        return True

    return core_read_book(book, file, filename, is_header=is_header, cell_value=cell_value)
