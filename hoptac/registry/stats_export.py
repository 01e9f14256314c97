"""The statistics as an Excel workbook, and the Vietnamese labels of official outputs.

The workbook goes to the provincial departments as it is, so its headers are Vietnamese
whatever the language of the screen; the ``stats`` command prints the same labels. Every
figure comes from one ``Statistics`` object (``selectors.registry_statistics``): the page,
this file and the command cannot disagree.
"""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from hoptac.core.formatting import vi_date
from hoptac.core.xlsx import defuse_formulas

from .models import NationalGroup, OrgKind, Sector
from .selectors import Statistics

KIND_VI = {
    OrgKind.HTX: "Hợp tác xã",
    OrgKind.LHHTX: "Liên hiệp hợp tác xã",
    OrgKind.QTDND: "Quỹ tín dụng nhân dân",
    OrgKind.THT: "Tổ hợp tác",
}
SECTOR_VI = {
    Sector.AGRICULTURE: "Nông nghiệp, lâm nghiệp, thủy sản",
    Sector.INDUSTRY: "Công nghiệp - tiểu thủ công nghiệp",
    Sector.CONSTRUCTION: "Xây dựng",
    Sector.TRADE: "Thương mại - dịch vụ",
    Sector.TRANSPORT: "Vận tải",
    Sector.CREDIT: "Tín dụng",
    Sector.ENVIRONMENT: "Môi trường",
    Sector.OTHER: "Khác",
}
GROUP_VI = {
    NationalGroup.AGRICULTURE: "Nông nghiệp",
    NationalGroup.NON_AGRICULTURE: "Phi nông nghiệp",
    NationalGroup.QTDND: "Quỹ tín dụng nhân dân",
}
GROUPING_VI = {
    "then": "theo đơn vị hành chính tại thời điểm số liệu",
    "now": "theo đơn vị hành chính cấp xã hiện nay",
    "province": "theo đơn vị hành chính cấp tỉnh hiện nay",
}
SHEETS = ("Tổng hợp", "Theo loại hình và lĩnh vực", "Theo địa bàn")
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

KINDS = [k.value for k in OrgKind]
SECTORS = [s.value for s in Sector]


def title(stats: Statistics) -> str:
    """ "Số liệu kinh tế tập thể đến ngày 15/03/2021 (từ ngày 01/01/2021)"."""
    text = f"Số liệu kinh tế tập thể đến ngày {vi_date(stats.as_of)}"
    if stats.date_from:
        text += f" (kỳ từ ngày {vi_date(stats.date_from)})"
    return text


def kind_label(kind: str) -> str:
    return f"{KIND_VI[kind]} ({kind})"


def summary_rows(stats: Statistics) -> list[list]:
    """Header and rows of the summary: one row a kind, active (and founded, ended in the period)."""
    header = ["Loại hình", "Đang hoạt động"]
    if stats.date_from:
        header += ["Thành lập mới trong kỳ", "Giải thể, chấm dứt trong kỳ"]
    rows = [header]
    for kind in KINDS:
        row = [kind_label(kind), stats.active.get(kind, 0)]
        if stats.date_from:
            row += [stats.founded.get(kind, 0), stats.dissolved.get(kind, 0)]
        rows.append(row)
    total = ["Tổng cộng", stats.total_active]
    if stats.date_from:
        total += [sum(stats.founded.values()), sum(stats.dissolved.values())]
    rows.append(total)
    return rows


def national_rows(stats: Statistics) -> list[list]:
    rows = [["Phân loại (HTX, LHHTX, QTDND)", "Đang hoạt động"]]
    rows += [[GROUP_VI[g.value], stats.active_by_group.get(g.value, 0)] for g in NationalGroup]
    rows.append(["Tổng cộng", sum(stats.active_by_group.values())])
    return rows


def sector_rows(stats: Statistics) -> list[list]:
    """Active organisations by sector (rows) and kind (columns), with totals."""
    rows = [["Lĩnh vực", *KINDS, "Tổng cộng"]]
    for sector in SECTORS:
        counts = [stats.active_by_sector.get(k, {}).get(sector, 0) for k in KINDS]
        rows.append([SECTOR_VI[sector], *counts, sum(counts)])
    rows.append(["Tổng cộng", *[stats.active.get(k, 0) for k in KINDS], stats.total_active])
    return rows


def area_rows(stats: Statistics) -> list[list]:
    rows = [["Tỉnh, thành phố" if stats.grouping == "province" else "Địa bàn", "Trực thuộc", *KINDS, "Tổng cộng"]]
    for area in stats.areas:
        rows.append([area["area"], area["parent"], *[area["by_kind"].get(k, 0) for k in KINDS], area["total"]])
    rows.append(["Tổng cộng", "", *[stats.active.get(k, 0) for k in KINDS], stats.total_active])
    return rows


_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")


def _sheet(ws, heading: list[str], blocks: list[list[list]]) -> None:
    """Write heading lines, then tables (first row a header, last row a total) with a blank row between."""
    row = 1
    for i, line in enumerate(heading):
        ws.cell(row=row, column=1, value=line).font = Font(bold=(i == 0), size=13 if i == 0 else 11)
        row += 1
    widths: dict[int, int] = {}
    for block in blocks:
        row += 1
        for r, values in enumerate(block):
            for c, value in enumerate(values, start=1):
                cell = ws.cell(row=row, column=c, value=value)
                if r == 0:
                    cell.font, cell.fill = _BOLD, _HEADER_FILL
                    cell.alignment = Alignment(wrap_text=True, vertical="center")
                elif r == len(block) - 1 and values and values[0] == "Tổng cộng":
                    cell.font = _BOLD
                if isinstance(value, int):
                    cell.number_format = "#,##0"
                widths[c] = max(widths.get(c, 0), min(len(str(value or "")), 40 if r == 0 else 60))
            row += 1
    for c, width in widths.items():
        ws.column_dimensions[get_column_letter(c)].width = max(10, width + 2)


def statistics_workbook(stats: Statistics, *, scope: str = "") -> bytes:
    """The three sheets (Tổng hợp, Theo loại hình và lĩnh vực, Theo địa bàn) as xlsx bytes.

    scope names whose organisations are counted when it is not the whole province.
    """
    heading = [title(stats), f"Nhóm địa bàn {GROUPING_VI.get(stats.grouping, stats.grouping)}"]
    if scope:
        heading.append(f"Phạm vi: {scope}")
    wb = Workbook()
    summary = wb.active
    summary.title = SHEETS[0]
    _sheet(summary, heading, [summary_rows(stats), national_rows(stats)])
    _sheet(wb.create_sheet(SHEETS[1]), heading, [sector_rows(stats)])
    _sheet(wb.create_sheet(SHEETS[2]), heading, [area_rows(stats)])
    buffer = io.BytesIO()
    defuse_formulas(wb)
    wb.save(buffer)
    return buffer.getvalue()


def filename(stats: Statistics) -> str:
    """thong-ke-kttt-2021-03-15.xlsx (ASCII: some mail gateways mangle accented names)."""
    return f"thong-ke-kttt-{stats.as_of.isoformat()}.xlsx"
