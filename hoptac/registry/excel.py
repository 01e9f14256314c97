"""Excel in and out for the registry: the template, the import and the export.

One list of columns (``COLUMNS``) drives all three, so an exported file can always be
imported back, unchanged. The headers, the "Hướng dẫn" sheet and every import error are
written in Vietnamese on purpose: they are the data format the officers work in, not UI
labels (see docs/decisions/0003-excel-import.md).

The import is all or nothing: every row is read and validated first; only a file without
a single error is written, in one transaction, through the registry services.
"""

import bisect
import csv
import datetime
import io
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation

from hoptac.core.audit import log_action
from hoptac.core.formatting import parse_vi_date, vi_date, vi_number
from hoptac.core.models import Role
from hoptac.core.text import normalize
from hoptac.geo.models import REFORM_2025, AdminUnit, Level, bare_name
from hoptac.geo.selectors import units_matching

from . import services
from .models import ENDING_KINDS, EventKind, LifecycleEvent, Organization, OrgKind, Sector, Status
from .selectors import area_commune_ids, can_manage_registry

logger = logging.getLogger(__name__)

# ---------------------------------------------------------------- the format

# The Vietnamese names people write in the Lĩnh vực column; template, export and import use these.
SECTOR_VI = {
    Sector.AGRICULTURE: "Nông, lâm, ngư nghiệp",
    Sector.INDUSTRY: "Công nghiệp - TTCN",
    Sector.CONSTRUCTION: "Xây dựng",
    Sector.TRADE: "Thương mại - Dịch vụ",
    Sector.TRANSPORT: "Vận tải",
    Sector.CREDIT: "Tín dụng",
    Sector.ENVIRONMENT: "Môi trường",
    Sector.OTHER: "Khác",
}
# Other ways people write a sector in their own sheets (normalised).
SECTOR_ALIASES = {
    "nong nghiep": Sector.AGRICULTURE,
    "nong lam nghiep va thuy san": Sector.AGRICULTURE,
    "nong lam thuy san": Sector.AGRICULTURE,
    "cong nghiep": Sector.INDUSTRY,
    "cong nghiep tieu thu cong nghiep": Sector.INDUSTRY,
    "tieu thu cong nghiep": Sector.INDUSTRY,
    "cn ttcn": Sector.INDUSTRY,
    "thuong mai": Sector.TRADE,
    "dich vu": Sector.TRADE,
    "tm dv": Sector.TRADE,
    "quy tin dung": Sector.CREDIT,
}
KIND_VI = {
    OrgKind.HTX: "Hợp tác xã",
    OrgKind.LHHTX: "Liên hiệp hợp tác xã",
    OrgKind.QTDND: "Quỹ tín dụng nhân dân",
    OrgKind.THT: "Tổ hợp tác",
}


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # exact Vietnamese header, written in the template and the export
    width: int
    required: bool = False
    guide: str = ""  # Vietnamese, for the "Hướng dẫn" sheet
    aliases: tuple[str, ...] = ()  # other headers people use, normalised
    note: Any = ""  # the same advice for the import page, through gettext


COLUMNS = [
    Column(
        "code",
        "Mã số",
        16,
        True,
        "Mã số HTX (mã số thuế). Dùng để nhận ra tổ chức: nhập lại cùng mã số thì cập nhật, không tạo trùng.",
        ("ma so htx", "ma so thue", "ma"),
        _("The tax code. A row whose code is already registered updates that organisation."),
    ),
    Column(
        "name", "Tên", 45, True, "Tên đầy đủ của tổ chức.", ("ten to chuc", "ten htx", "ten don vi"), _("Full name.")
    ),
    Column(
        "kind",
        "Loại hình",
        12,
        True,
        "HTX, LHHTX, QTDND hoặc THT.",
        ("loai hinh to chuc", "loai"),
        _("HTX, LHHTX, QTDND or THT."),
    ),
    Column(
        "sector",
        "Lĩnh vực",
        22,
        True,
        "Một trong các lĩnh vực ở bảng dưới.",
        ("linh vuc hoat dong", "nganh nghe"),
        _("One of the sectors listed below."),
    ),
    Column(
        "province",
        "Tỉnh",
        16,
        True,
        "Tỉnh (hoặc thành phố trực thuộc TW) vào ngày thành lập; tên hoặc mã số.",
        ("tinh thanh pho", "tinh tp"),
        _("Province on the founding date: name or code."),
    ),
    Column(
        "district",
        "Huyện",
        20,
        False,
        "Huyện / thị xã / thành phố thuộc tỉnh vào ngày thành lập. Bắt buộc nếu "
        "thành lập trước 01/07/2025; để trống nếu từ 01/07/2025 (không còn cấp huyện).",
        ("huyen thi xa thanh pho", "huyen thi xa", "quan huyen"),
        _("District on the founding date. Required before 01/07/2025; leave blank from that day (no district level)."),
    ),
    Column(
        "commune",
        "Xã",
        22,
        True,
        "Xã / phường / thị trấn vào ngày thành lập; tên hoặc mã số.",
        ("xa phuong thi tran", "xa phuong", "phuong xa"),
        _("Commune, ward or town on the founding date: name or code."),
    ),
    Column(
        "street",
        "Địa chỉ",
        30,
        False,
        "Thôn, xóm, số nhà (không ghi lại xã, huyện, tỉnh).",
        ("dia chi tru so",),
        _("Village, street, house number."),
    ),
    Column(
        "founded_on",
        "Ngày thành lập",
        15,
        True,
        "dd/mm/yyyy, không ở tương lai.",
        ("ngay thanh lap dd mm yyyy",),
        _("dd/mm/yyyy, not in the future."),
    ),
    Column(
        "dissolved_on",
        "Ngày giải thể",
        15,
        False,
        "dd/mm/yyyy; để trống nếu đang hoạt động.",
        ("ngay giai the dd mm yyyy",),
        _("dd/mm/yyyy; blank if still active."),
    ),
    Column(
        "official_members",
        "Số thành viên",
        13,
        False,
        "Số nguyên ≥ 0.",
        ("so thanh vien chinh thuc", "thanh vien"),
        _("Whole number, 0 or more."),
    ),
    Column(
        "employees",
        "Số lao động",
        13,
        False,
        "Số nguyên ≥ 0.",
        ("lao dong", "so lao dong thuong xuyen"),
        _("Whole number, 0 or more."),
    ),
    Column(
        "charter_capital",
        "Vốn điều lệ (đồng)",
        20,
        False,
        "Số đồng, số nguyên (ví dụ 500.000.000).",
        ("von dieu le",),
        _("Whole đồng, e.g. 500.000.000."),
    ),
    Column(
        "representative",
        "Người đại diện",
        24,
        False,
        "Người đại diện theo pháp luật.",
        ("nguoi dai dien theo phap luat", "dai dien"),
        _("Legal representative."),
    ),
    Column("phone", "Điện thoại", 16, False, "", ("so dien thoai", "dt")),
    Column("email", "Email", 28, False, "", ("e mail", "thu dien tu")),
]
HEADERS = [c.header for c in COLUMNS]
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
# Organisation fields read straight from a column of the same key.
PLAIN_FIELDS = [
    "code",
    "name",
    "kind",
    "sector",
    "street",
    "founded_on",
    "official_members",
    "employees",
    "charter_capital",
    "representative",
    "phone",
    "email",
]
TEXT_FIELDS = ["name", "street", "representative", "phone", "email"]
INT_FIELDS = ["official_members", "employees", "charter_capital"]
INT_MAX = {"official_members": 2_147_483_647, "employees": 2_147_483_647, "charter_capital": 9 * 10**18}
# Which column to blame when a service refuses a field.
FIELD_COLUMN = {
    **{k: COLUMN_BY_KEY[k].header for k in PLAIN_FIELDS},
    "commune": "Xã",
    "on": "Ngày giải thể",
    "kind_event": "Ngày giải thể",
}

SHEET_DATA = "Tổ chức"
SHEET_GUIDE = "Hướng dẫn"
TEMPLATE_ROWS = 2000  # rows that carry the dropdowns in a blank template
MAX_ROWS = 20_000  # beyond this, ask for several files rather than hold a request for minutes
HEADER_SEARCH_ROWS = 10  # people put a title above the header; look for it this far down
NOTHING_IMPORTED = "Không có dữ liệu nào được nhập."

# ---------------------------------------------------------------- errors and result


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


@dataclass
class ImportResult:
    """What an import did, or why it did nothing."""

    filename: str = ""
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return f"{vi_number(len(self.errors))} lỗi. {NOTHING_IMPORTED}"
        verb = "Kiểm tra xong (chưa ghi)" if self.dry_run else "Đã nhập"
        return (
            f"{verb} {vi_number(self.rows)} dòng: {vi_number(self.created)} tạo mới, "
            f"{vi_number(self.updated)} cập nhật, {vi_number(self.unchanged)} không đổi."
        )


class FileProblem(Exception):
    """The file as a whole cannot be imported."""


# ---------------------------------------------------------------- writing workbooks

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="2E7D32")
_THIN = Side(style="thin", color="9E9E9E")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_DATE_FORMAT = "DD/MM/YYYY"
_INT_FORMAT = "#,##0"
_TEXT_FORMAT = "@"
_DATE_KEYS = {"founded_on", "dissolved_on"}
# Codes and phone numbers are text: as numbers Excel would drop their leading zeros.
_TEXT_KEYS = {"code", "phone"}
_FORMULA_START = ("=", "+", "-", "@")


def _set(cell, value) -> None:
    cell.value = value
    # A name like "=HYPERLINK(...)" must stay text, never become a formula.
    if cell.data_type == "f":
        cell.data_type = "s"


def _data_sheet(wb: Workbook, rows: Iterable[list]) -> None:
    ws = wb.active
    ws.title = SHEET_DATA
    for index, column in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=index, value=column.header)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        dim = ws.column_dimensions[get_column_letter(index)]
        dim.width = column.width
        if column.key in _DATE_KEYS:
            dim.number_format = _DATE_FORMAT
        elif column.key in INT_FIELDS:
            dim.number_format = _INT_FORMAT
        elif column.key in _TEXT_KEYS:
            dim.number_format = _TEXT_FORMAT
    ws.row_dimensions[1].height = 30
    ws.freeze_panes = "A2"

    count = 0
    for count, values in enumerate(rows, start=1):
        for index, (column, value) in enumerate(zip(COLUMNS, values, strict=True), start=1):
            cell = ws.cell(row=count + 1, column=index)
            _set(cell, value)
            if column.key in _DATE_KEYS:
                cell.number_format = _DATE_FORMAT
            elif column.key in INT_FIELDS:
                cell.number_format = _INT_FORMAT
            elif column.key in _TEXT_KEYS:
                cell.number_format = _TEXT_FORMAT
    last = max(TEMPLATE_ROWS, count + 1000)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{count + 1}"

    kinds = DataValidation(
        type="list",
        formula1='"' + ",".join(OrgKind.values) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Loại hình",
        error="Chọn HTX, LHHTX, QTDND hoặc THT.",
    )
    sectors = DataValidation(
        type="list",
        formula1='"' + ",".join(SECTOR_VI.values()) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Lĩnh vực",
        error="Chọn một lĩnh vực trong danh sách.",
    )
    for validation, key in ((kinds, "kind"), (sectors, "sector")):
        letter = get_column_letter(HEADERS.index(COLUMN_BY_KEY[key].header) + 1)
        validation.add(f"{letter}2:{letter}{last}")
        ws.add_data_validation(validation)


def _guide_sheet(wb: Workbook) -> None:
    ws = wb.create_sheet(SHEET_GUIDE)
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 12
    ws.column_dimensions["C"].width = 90
    bold = Font(bold=True)
    title = Font(bold=True, size=14)

    def line(*values, font=None):
        ws.append(list(values))
        if font:
            for cell in ws[ws.max_row]:
                cell.font = font

    line("HƯỚNG DẪN NHẬP DANH SÁCH TỔ CHỨC KINH TẾ TẬP THỂ", font=title)
    line("Nhập dữ liệu vào trang “Tổ chức”, từ dòng 2; không đổi tên cột. Mỗi dòng là một tổ chức.")
    line(
        "Nếu có dòng nào sai, không có dữ liệu nào được nhập: hệ thống báo mọi lỗi theo dòng và cột để sửa rồi "
        "nhập lại cả tệp."
    )
    line("Nhập lại một tổ chức đã có (cùng Mã số) thì cập nhật tổ chức đó, không tạo trùng.")
    line(
        "Tên tỉnh, huyện, xã là tên vào ngày thành lập; ghi có dấu hoặc không dấu, có hoặc không có chữ "
        "“Huyện”, “Xã”, “Thị trấn”…; cũng có thể ghi mã số đơn vị hành chính."
    )
    line()
    line("Cột", "Bắt buộc", "Cách ghi", font=bold)
    for column in COLUMNS:
        required = "Có" if column.required else ("Có, trước 01/07/2025" if column.key == "district" else "")
        line(column.header, required, column.guide)
    line()
    line("Loại hình", "", "Ý nghĩa", font=bold)
    for kind, name in KIND_VI.items():
        line(kind.value, "", name)
    line()
    line("Lĩnh vực", "", "", font=bold)
    for name in SECTOR_VI.values():
        line(name)
    line()
    line("Ví dụ một dòng", font=bold)
    for column, value in zip(COLUMNS, _EXAMPLE, strict=True):
        line(column.header, "", value)
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


_EXAMPLE = [
    "2400123456",
    "Hợp tác xã Dịch vụ nông nghiệp Quang Tiến",
    "HTX",
    "Nông nghiệp",
    "Bắc Giang",
    "Tân Yên",
    "Quang Tiến",
    "Thôn Đồng Lạc",
    "15/03/2021",
    "",
    "12",
    "20",
    "500.000.000",
    "Nguyễn Văn An",
    "0912 345 678",
    "htxquangtien@example.vn",
]


def workbook_bytes(rows: Iterable[list] = ()) -> bytes:
    """An .xlsx in the template's format: the blank template, or an export when rows are given."""
    wb = Workbook()
    _data_sheet(wb, rows)
    _guide_sheet(wb)
    wb.active = 0
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def template_bytes() -> bytes:
    """The blank template to download."""
    return workbook_bytes(())


_PHONE_LIKE = re.compile(r"^[+\-]?[\d\s().\-]+$")


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return vi_date(value)
    text = str(value)
    # Spreadsheets run cells that start like a formula; "+84 912…" is a phone number, not one.
    if text.startswith(_FORMULA_START) and not _PHONE_LIKE.match(text):
        return "'" + text
    return text


def csv_bytes(rows: Iterable[list]) -> bytes:
    """CSV in UTF-8 with a BOM, which Excel needs to show Vietnamese correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for values in rows:
        writer.writerow([_csv_value(v) for v in values])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# ---------------------------------------------------------------- export


def _places(commune: AdminUnit) -> tuple[str, str, str]:
    """Province, district and commune names as recorded (the units of the founding date)."""
    parent = commune.parent
    if parent is None:
        return "", "", commune.name
    if parent.level == Level.DISTRICT:
        province = parent.parent.name if parent.parent_id else ""
        return province, parent.name, commune.name
    return parent.name, "", commune.name


def export_rows(queryset) -> Iterator[list]:
    """The organisations of queryset as rows in the template's columns, in one query."""
    ended = (
        LifecycleEvent.objects.filter(organization=OuterRef("pk"), kind__in=ENDING_KINDS)
        .order_by("on", "id")
        .values("on")[:1]
    )
    qs = queryset.select_related("commune__parent__parent").annotate(export_ended_on=Subquery(ended))
    for org in qs.iterator(chunk_size=1000):
        province, district, commune = _places(org.commune)
        yield [
            org.code,
            org.name,
            org.kind,
            SECTOR_VI.get(org.sector, org.sector),
            province,
            district,
            commune,
            org.street,
            org.founded_on,
            org.export_ended_on,
            org.official_members,
            org.employees,
            org.charter_capital,
            org.representative,
            org.phone,
            org.email,
        ]


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


# ---------------------------------------------------------------- validating


@dataclass
class PlannedRow:
    """A valid row and what writing it will do."""

    row: int
    code: str
    data: dict[str, Any]  # field -> value, only the columns present in the file
    dissolved_on: datetime.date | None
    existing: Organization | None = None
    changes: dict[str, Any] = field(default_factory=dict)
    add_dissolution: bool = False


def _validity(unit: AdminUnit) -> str:
    if unit.valid_from and unit.valid_to:
        return f"tồn tại từ {vi_date(unit.valid_from)} đến {vi_date(unit.valid_to)}"
    if unit.valid_to:
        return f"tồn tại đến {vi_date(unit.valid_to)}"
    if unit.valid_from:
        return f"có từ {vi_date(unit.valid_from)}"
    return ""


class _Importer:
    """Validates rows against the database with every lookup cached, then writes them."""

    def __init__(self, *, by, filename: str):
        self.by = by
        self.filename = filename
        self.today = timezone.localdate()
        self.errors: list[RowError] = []
        # An area officer imports only into communes of their area (None: no limit).
        self.scope = (
            area_commune_ids(by) if by is not None and by.role == Role.AREA_OFFICER and not by.is_alliance else None
        )
        # The set of valid units changes only on these days, so a lookup on any day between
        # two of them has the same answer: cache by that era instead of by the exact date.
        bounds = set(AdminUnit.objects.exclude(valid_from=None).values_list("valid_from", flat=True).distinct())
        bounds |= {
            d + datetime.timedelta(days=1)
            for d in AdminUnit.objects.exclude(valid_to=None).values_list("valid_to", flat=True).distinct()
        }
        self.bounds = sorted(bounds)
        self.unit_cache: dict[tuple, list[AdminUnit]] = {}
        self.hint_cache: dict[tuple, str] = {}

    def error(self, row: int | None, key_or_header: str, message: str) -> None:
        column = COLUMN_BY_KEY[key_or_header].header if key_or_header in COLUMN_BY_KEY else key_or_header
        self.errors.append(RowError(row, column, message))

    # -- places

    def units(self, text: str, level: int, on: datetime.date, parent: AdminUnit | None) -> list[AdminUnit]:
        key = (text, level, bisect.bisect_right(self.bounds, on), parent.pk if parent else None)
        if key not in self.unit_cache:
            self.unit_cache[key] = list(units_matching(text, level=level, on=on, parent=parent).order_by("name"))
        return self.unit_cache[key]

    def _missing(self, text: str, level: int, on: datetime.date, parent: AdminUnit | None) -> str:
        """Why text names no unit on day: it existed at other dates, or lies elsewhere."""
        key = (text, level, bisect.bisect_right(self.bounds, on), parent.pk if parent else None)
        if key in self.hint_cache:
            return self.hint_cache[key]
        message = f"không có đơn vị “{text}” vào ngày {vi_date(on)}"
        elsewhere = list(units_matching(text, level=level, on=on)[:3]) if parent is not None else []
        if elsewhere:
            message = f"“{text}” không thuộc {parent.name} vào ngày {vi_date(on)}"
        else:
            qs = AdminUnit.objects.filter(level=level)
            qs = (
                qs.filter(code=text.zfill({1: 2, 2: 3, 3: 5}[level]))
                if text.isdigit()
                else qs.filter(match_name=bare_name(text))
            )
            if parent is not None:
                qs = qs.filter(parent__code=parent.code) | qs.filter(parent__parent__code=parent.code)
            other = {_validity(u) for u in qs[:5]} - {""}
            if len(other) == 1:
                message += f" (đơn vị này {other.pop()})"
        self.hint_cache[key] = message
        return message

    def _one(self, row: int, key: str, text: str, level: int, on: datetime.date, parent) -> AdminUnit | None:
        found = self.units(text, level, on, parent)
        if not found:
            self.error(row, key, self._missing(text, level, on, parent))
            return None
        if len(found) > 1:
            names = ", ".join(f"{u.name} ({u.code})" for u in found[:5])
            self.error(row, key, f"“{text}” khớp nhiều đơn vị: {names}; ghi tên đầy đủ hoặc mã số")
            return None
        return found[0]

    def commune(self, row: int, texts: dict[str, str], on: datetime.date) -> AdminUnit | None:
        province = (
            self._one(row, "province", texts["province"], Level.PROVINCE, on, None) if texts["province"] else None
        )
        if on < REFORM_2025:
            if not texts["district"]:
                self.error(row, "district", "bắt buộc khi ngày thành lập trước 01/07/2025")
                return None
            if province is None:
                return None
            parent = self._one(row, "district", texts["district"], Level.DISTRICT, on, province)
        else:
            if texts["district"]:
                self.error(
                    row,
                    "district",
                    f"không có đơn vị “{texts['district']}” vào ngày {vi_date(on)} "
                    "(từ 01/07/2025 không còn cấp huyện; để trống cột này)",
                )
                return None
            parent = province
        if parent is None or not texts["commune"]:
            return None
        return self._one(row, "commune", texts["commune"], Level.COMMUNE, on, parent)

    # -- rows

    def read_row(self, number: int, values: tuple, columns: dict[str, int], epoch) -> PlannedRow | None:
        def cell(key):
            index = columns.get(key)
            return values[index] if index is not None and index < len(values) else None

        before = len(self.errors)
        data: dict[str, Any] = {}
        readers = {
            "kind": read_kind,
            "sector": read_sector,
            "official_members": read_int,
            "employees": read_int,
            "charter_capital": read_int,
            "phone": read_phone,
        }
        for key in PLAIN_FIELDS:
            if key not in columns:
                continue
            value = cell(key)
            if COLUMN_BY_KEY[key].required and _blank(value):
                self.error(number, key, "bắt buộc, không được để trống")
                continue
            try:
                if key == "code":
                    data[key] = read_code(value)
                elif key == "founded_on":
                    data[key] = read_date(value, epoch)
                else:
                    data[key] = readers.get(key, read_text)(value)
            except BadCell as exc:
                self.error(number, key, str(exc))
        try:
            dissolved_on = read_date(cell("dissolved_on"), epoch)
        except BadCell as exc:
            self.error(number, "dissolved_on", str(exc))
            dissolved_on = None

        for key in TEXT_FIELDS + ["code"]:
            limit = Organization._meta.get_field(key).max_length
            if data.get(key) and limit and len(data[key]) > limit:
                self.error(number, key, f"dài quá {limit} ký tự")
        if data.get("email"):
            try:
                validate_email(data["email"])
            except ValidationError:
                self.error(number, "email", f"email “{data['email']}” không hợp lệ")
        for key in INT_FIELDS:
            if data.get(key) is not None and data[key] > INT_MAX[key]:
                self.error(number, key, f"số “{vi_number(data[key])}” quá lớn")

        founded = data.get("founded_on")
        if founded and founded > self.today:
            self.error(number, "founded_on", f"ngày thành lập {vi_date(founded)} ở tương lai")
        if dissolved_on:
            if dissolved_on > self.today:
                self.error(number, "dissolved_on", f"ngày giải thể {vi_date(dissolved_on)} ở tương lai")
            elif founded and dissolved_on < founded:
                self.error(
                    number,
                    "dissolved_on",
                    f"ngày giải thể {vi_date(dissolved_on)} trước ngày thành lập {vi_date(founded)}",
                )

        texts = {k: read_text(cell(k)) for k in ("province", "district", "commune")}
        for key in ("province", "commune"):
            if not texts[key]:
                self.error(number, key, "bắt buộc, không được để trống")
        if founded and founded <= self.today and texts["province"] and texts["commune"]:
            commune = self.commune(number, texts, founded)
            if commune is not None:
                if self.scope is not None and commune.pk not in self.scope:
                    self.error(number, "commune", f"{commune.name} nằm ngoài địa bàn tài khoản được quản lý")
                data["commune"] = commune

        if len(self.errors) > before:
            return None
        return PlannedRow(row=number, code=data["code"], data=data, dissolved_on=dissolved_on)

    def plan(self, sheet: Sheet) -> list[PlannedRow]:
        planned: list[PlannedRow] = []
        first_row: dict[str, int] = {}
        code_index = sheet.columns["code"]
        for number, values in sheet.rows:
            code = read_code(values[code_index]) if code_index < len(values) else ""
            if code and code in first_row:
                self.error(number, "code", f"mã số “{code}” trùng với dòng {first_row[code]}")
                continue
            if code:
                first_row[code] = number
            row = self.read_row(number, values, sheet.columns, sheet.epoch)
            if row is not None:
                planned.append(row)
        self.match_existing(planned)
        return planned

    def match_existing(self, planned: list[PlannedRow]) -> None:
        codes = [p.code for p in planned]
        existing: dict[str, Organization] = {}
        for start in range(0, len(codes), 500):  # stay under every database's parameter limit
            chunk = codes[start : start + 500]
            existing.update({o.code: o for o in Organization.objects.filter(code__in=chunk)})
        ids = [o.pk for o in existing.values()]
        events: dict[int, list[LifecycleEvent]] = {}
        for start in range(0, len(ids), 500):
            for event in LifecycleEvent.objects.filter(
                organization_id__in=ids[start : start + 500], status_after__gt=""
            ).order_by("on", "id"):
                events.setdefault(event.organization_id, []).append(event)

        for p in planned:
            org = existing.get(p.code)
            if org is None:
                continue
            p.existing = org
            if org.archived_on:
                self.error(
                    p.row,
                    "code",
                    f"mã số “{p.code}” thuộc tổ chức đã lưu trữ “{org.name}”; khôi phục tổ chức đó trước khi nhập",
                )
                continue
            if self.scope is not None and org.commune_id not in self.scope:
                self.error(p.row, "code", f"tổ chức mã số “{p.code}” thuộc địa bàn khác; tài khoản không được sửa")
                continue
            for name, value in p.data.items():
                current = org.commune_id if name == "commune" else getattr(org, name)
                new = value.pk if name == "commune" else value
                if current != new:
                    p.changes[name] = value
            history = events.get(org.pk, [])
            ending = next((e for e in history if e.kind in ENDING_KINDS), None)
            if p.dissolved_on is None:
                continue
            if ending is not None:
                if ending.on != p.dissolved_on:
                    self.error(
                        p.row,
                        "dissolved_on",
                        f"tổ chức đã kết thúc hoạt động ngày {vi_date(ending.on)}; muốn sửa ngày này, làm "
                        "trên trang của tổ chức",
                    )
                continue
            if any(e.on > p.dissolved_on for e in history):
                self.error(
                    p.row,
                    "dissolved_on",
                    f"đã có sự kiện thay đổi trạng thái sau ngày "
                    f"{vi_date(p.dissolved_on)}; ghi giải thể trên trang của tổ chức",
                )
                continue
            before = [e for e in history if e.on <= p.dissolved_on]
            status = before[-1].status_after if before else Status.ACTIVE
            if status not in services.ALLOWED_FROM[EventKind.DISSOLVED]:
                self.error(
                    p.row, "dissolved_on", f"ngày {vi_date(p.dissolved_on)} tổ chức không ở trạng thái có thể giải thể"
                )
                continue
            p.add_dissolution = True

    # -- writing

    def _refused(self, row: int, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for name, errors in exc.message_dict.items():
                column = FIELD_COLUMN.get(name, "Mã số")
                for message in errors:
                    self.errors.append(RowError(row, column, str(message).rstrip(".")))
        else:
            for message in exc.messages:
                self.errors.append(RowError(row, "Mã số", str(message).rstrip(".")))

    def write(self, planned: list[PlannedRow], result: ImportResult) -> None:
        note = f"Nhập từ tệp Excel {self.filename}".strip()
        for p in planned:
            try:
                if p.existing is None:
                    org = services.organization_create(by=self.by, **p.data)
                    result.created += 1
                else:
                    org = p.existing
                    if p.changes:
                        org = services.organization_update(
                            organization=org, by=self.by, data=p.changes, expected_version=org.version
                        )
                    if p.changes or p.add_dissolution:
                        result.updated += 1
                    else:
                        result.unchanged += 1
                if p.dissolved_on and (p.existing is None or p.add_dissolution):
                    services.event_record(
                        organization=org, kind=EventKind.DISSOLVED, on=p.dissolved_on, by=self.by, note=note
                    )
            except services.StaleEdit:
                self.errors.append(
                    RowError(p.row, "Mã số", "tổ chức vừa được người khác sửa trong lúc nhập; hãy nhập lại tệp")
                )
            except ValidationError as exc:
                self._refused(p.row, exc)


def import_organizations(file, *, by=None, filename: str = "", dry_run: bool = False) -> ImportResult:
    """Validate every row of an .xlsx file, then create or update organisations, all or nothing.

    Rows are matched to existing organisations by Mã số. Any error anywhere leaves the
    database untouched; the result lists every error by Excel row and column header.
    ``by`` is the user importing (None for the command without --user: no area limit).
    With dry_run everything is checked, including the services' own rules, and rolled back.
    """
    if by is not None and not can_manage_registry(by):
        raise PermissionDenied("cooperative accounts cannot import")
    result = ImportResult(filename=filename, dry_run=dry_run)
    try:
        sheet = read_sheet(file, filename)
    except FileProblem as exc:
        result.errors.append(RowError(None, "", str(exc)))
        return result
    result.rows = len(sheet.rows)
    importer = _Importer(by=by, filename=filename)
    planned = importer.plan(sheet)
    if importer.errors:
        result.errors = sorted(
            importer.errors, key=lambda e: (e.row or 0, HEADERS.index(e.column) if e.column in HEADERS else 99)
        )
        return result
    with transaction.atomic():
        importer.write(planned, result)
        if importer.errors or dry_run:
            transaction.set_rollback(True)
        elif by is not None and (result.created or result.updated):
            log_action(
                "registry.import.done",
                instance=by,
                user=by,
                changes={
                    "file": filename,
                    "rows": result.rows,
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                },
            )
    if importer.errors:
        result.errors = importer.errors
        result.created = result.updated = result.unchanged = 0
    return result
