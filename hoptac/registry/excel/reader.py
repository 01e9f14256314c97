"""Reading an organisation file: its header row and data rows; cells are read by ``hoptac.core.xlsx``."""

import logging

from hoptac.core.formatting import vi_number
from hoptac.core.text import normalize
from hoptac.core.xlsx import (  # noqa: F401 (the cell readers are this package's API too)
    MAX_SHEET_ROWS,
    BadCell,
    FileProblem,
    Sheet,
    check_size,
    open_workbook,
    read_code,
    read_date,
    read_int,
    read_phone,
    read_text,
)
from hoptac.core.xlsx import blank as _blank
from hoptac.core.xlsx import raw as _raw  # noqa: F401
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


def read_sheet(file, filename: str = "") -> Sheet:
    """The data rows of an .xlsx file; FileProblem with a Vietnamese message if it cannot be used."""
    label = f"“{filename}”" if filename else "đã chọn"
    wb = open_workbook(file, filename)
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
            if number > MAX_SHEET_ROWS:
                raise FileProblem(
                    f"Trang “{ws.title}” có hơn {vi_number(MAX_SHEET_ROWS)} dòng (kể cả dòng trống); "
                    "hãy xoá các dòng thừa hoặc chia thành nhiều tệp."
                )
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
