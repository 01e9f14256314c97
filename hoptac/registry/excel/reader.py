"""Reading an .xlsx file: its cells, its header row and its data rows."""

import datetime
import logging
import re
from dataclasses import dataclass
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel

from hoptac.core.formatting import parse_vi_date, vi_date, vi_number
from hoptac.core.text import normalize
from hoptac.registry.models import OrgKind

from .columns import (
    COLUMNS,
    HEADER_SEARCH_ROWS,
    HEADERS,
    KIND_VI,
    MAX_ROWS,
    SECTOR_ALIASES,
    SECTOR_VI,
    SHEET_DATA,
    SHEET_GUIDE,
)

logger = logging.getLogger(__name__)


class FileProblem(Exception):
    """The file as a whole cannot be imported."""


# ---------------------------------------------------------------- reading cells


class BadCell(ValueError):
    """A cell that cannot be read; the message is the Vietnamese explanation."""


def _raw(value) -> str:
    """The cell as the user typed it, for quoting in a message."""
    if isinstance(value, datetime.datetime):
        return vi_date(value.date())
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_text(value) -> str:
    """A text cell, trimmed; numbers typed into text columns keep their digits."""
    if _blank(value):
        return ""
    if isinstance(value, datetime.datetime):
        return vi_date(value.date())
    if isinstance(value, datetime.date):
        return vi_date(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_code(value) -> str:
    """Mã số as text, whether Excel held it as text or as a number ("2400000001.0")."""
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
    if _blank(value):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value <= _EXCEL_MAX_SERIAL:
            return (from_excel(value, epoch) if epoch else from_excel(value)).date()
        raise BadCell(f"không đọc được ngày “{_raw(value)}” (dùng dd/mm/yyyy)")
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
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise BadCell(f"“{value}” không phải số")
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not value.is_integer():
            raise BadCell(f"“{vi_number(value, 2)}” không phải số nguyên")
        number = int(value)
    else:
        raw = str(value).strip()
        text = _CURRENCY.sub("", raw).replace("\u00a0", "").replace(" ", "")
        text = _ZERO_DECIMALS.sub("", text)
        negative = text.startswith("-")
        digits = text[1:] if negative else text
        if _GROUPED.match(digits) or _PLAIN_INT.match(digits):
            number = int(digits.replace(".", ""))
            number = -number if negative else number
        elif "," in digits and re.fullmatch(r"[\d.,]+", digits):
            raise BadCell(f"“{raw}” không phải số nguyên (dùng dấu chấm để phân cách hàng nghìn, ví dụ 500.000.000)")
        else:
            raise BadCell(f"không đọc được số “{raw}”")
    if number < 0:
        raise BadCell(f"không được âm (“{_raw(value)}”)")
    return number


def _choice_map(pairs: dict[str, str], extra: dict[str, str]) -> dict[str, str]:
    found = {normalize(code): code for code in pairs}
    found.update({normalize(name): code for code, name in pairs.items()})
    found.update(extra)
    return found


_KINDS = _choice_map(KIND_VI, {"lien hiep htx": OrgKind.LHHTX, "quy tdnd": OrgKind.QTDND})
_SECTORS = _choice_map(SECTOR_VI, SECTOR_ALIASES)


def read_kind(value) -> str:
    text = read_text(value)
    kind = _KINDS.get(normalize(text))
    if kind is None:
        raise BadCell(f"loại hình “{text}” không hợp lệ (dùng HTX, LHHTX, QTDND hoặc THT)")
    return str(kind)


def read_sector(value) -> str:
    text = read_text(value)
    sector = _SECTORS.get(normalize(text))
    if sector is None:
        raise BadCell(f"lĩnh vực “{text}” không hợp lệ (dùng một trong: {', '.join(SECTOR_VI.values())})")
    return str(sector)


# ---------------------------------------------------------------- reading the file

_HEADER_KEYS = {}
for _column in COLUMNS:
    _HEADER_KEYS[normalize(_column.header)] = _column.key
    for _alias in _column.aliases:
        _HEADER_KEYS[_alias] = _column.key


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


def _is_header(values: tuple) -> bool:
    keys = {_HEADER_KEYS.get(normalize(v)) for v in values if isinstance(v, str)}
    return {"code", "name"} <= keys


def _map_headers(values: tuple) -> dict[str, int]:
    columns: dict[str, int] = {}
    unknown, repeated = [], []
    for index, value in enumerate(values):
        if _blank(value):
            continue
        key = _HEADER_KEYS.get(normalize(str(value)))
        if key is None:
            unknown.append(str(value).strip())
        elif key in columns:
            repeated.append(str(value).strip())
        else:
            columns[key] = index
    missing = [c.header for c in COLUMNS if c.required and c.key not in columns]
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
            + ", ".join(HEADERS)
            + ". Hãy dùng tệp mẫu."
        )
    return columns


def _pick_sheet(wb):
    for ws in wb.worksheets:
        if normalize(ws.title) == normalize(SHEET_DATA):
            return ws
    for ws in wb.worksheets:
        if normalize(ws.title) != normalize(SHEET_GUIDE):
            return ws
    return wb.worksheets[0]


_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"


def read_sheet(file, filename: str = "") -> Sheet:
    """The data rows of an .xlsx file; FileProblem with a Vietnamese message if it cannot be used."""
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
        logger.info("unreadable import file %s: %r", filename, exc)
        raise FileProblem(f"Không đọc được tệp {label}: tệp bị hỏng hoặc không phải tệp Excel .xlsx.") from exc
    try:
        ws = _pick_sheet(wb)
        # Some programs write a wrong sheet size; without this openpyxl would stop early.
        ws.reset_dimensions()
        rows_iter = ws.iter_rows(values_only=True)
        header_row, header = 0, None
        for header_row, values in enumerate(rows_iter, start=1):
            if _is_header(values):
                header = values
                break
            if header_row >= HEADER_SEARCH_ROWS:
                break
        if header is None:
            raise FileProblem(
                f"Không tìm thấy dòng tiêu đề (có cột “Mã số” và “Tên”) trong {HEADER_SEARCH_ROWS} "
                f"dòng đầu của trang “{ws.title}”. Hãy dùng tệp mẫu."
            )
        columns = _map_headers(header)
        wanted = list(columns.values())
        rows = []
        for number, values in enumerate(rows_iter, start=header_row + 1):
            if all(_blank(values[i]) if i < len(values) else True for i in wanted):
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
