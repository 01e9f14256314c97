"""Writing the template, the .xlsx and CSV exports, and the export's rows."""

import csv
import datetime
import io
import re
from collections.abc import Iterable, Iterator

from django.db.models import OuterRef, Subquery
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from hoptac.core.formatting import vi_date
from hoptac.core.xlsx import defuse_formulas
from hoptac.geo.models import AdminUnit, Level
from hoptac.registry.models import ENDING_KINDS, LifecycleEvent, OrgKind

from .columns import (
    COLUMN_BY_KEY,
    COLUMNS,
    HEADERS,
    INT_FIELDS,
    KIND_VI,
    SECTOR_VI,
    SHEET_DATA,
    SHEET_GUIDE,
    TEMPLATE_ROWS,
)

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
            cell = ws.cell(row=count + 1, column=index, value=value)
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
    defuse_formulas(wb)  # a name like "=HYPERLINK(...)" stays text, never a formula
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
