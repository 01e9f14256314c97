"""A large, valid organisation file for the import's timing (35.000 rows, issue #9)."""

import datetime
import io

from openpyxl import Workbook

from hoptac.geo.models import AdminUnit, Level
from hoptac.registry import excel

FOUNDED = datetime.date(2021, 3, 15)


def big_xlsx(count: int, *, prefix: str = "79") -> bytes:
    """count valid rows in the template's columns, spread over every commune of Bắc Giang of 2021.

    Written with openpyxl's write-only mode, as a spreadsheet program would save it.
    """
    communes = list(
        AdminUnit.objects.valid_on(FOUNDED)
        .filter(level=Level.COMMUNE, parent__parent__code="24")
        .select_related("parent")
        .order_by("code")
    )
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(excel.SHEET_DATA)
    ws.append(excel.HEADERS)
    kinds = list(excel.KIND_VI)
    sectors = list(excel.SECTOR_VI.values())
    for i in range(count):
        commune = communes[i % len(communes)]
        values = {
            "code": f"{prefix}{i:08d}",
            "name": f"Hợp tác xã Dịch vụ tổng hợp số {i}",
            "kind": kinds[i % len(kinds)],
            "sector": sectors[i % len(sectors)],
            "province": "Tỉnh Bắc Giang",
            "district": commune.parent.name,
            "commune": commune.name,
            "address": f"Thôn {i % 40 + 1}",
            "founded_on": FOUNDED.strftime("%d/%m/%Y"),
            "official_members": 7 + i % 50,
            "employees": 3 + i % 30,
            "charter_capital": 100_000_000 + (i % 20) * 10_000_000,
            "representative": "Nguyễn Văn An",
            "phone": "0912 345 678",
            "email": f"htx{i}@example.vn",
        }
        ws.append([values.get(column.key) for column in excel.COLUMNS])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
