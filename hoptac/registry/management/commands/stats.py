"""Print or save the registry statistics on a date: the figures of the statistics page.

    python manage.py stats --as-of 2021-03-15 --from 2021-01-01
    python manage.py stats --as-of 15/03/2021 --format json
    python manage.py stats --as-of 2021-03-15 --format xlsx --output thong-ke.xlsx

table (default) prints aligned rows with Vietnamese labels; json prints
``Statistics.as_dict()``; xlsx needs --output (a workbook is not for a terminal).
Dates are YYYY-MM-DD or dd/mm/yyyy. The whole province is counted (no user scope).
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hoptac.core.formatting import parse_vi_date, vi_number
from hoptac.registry import stats_export
from hoptac.registry.selectors import registry_statistics


def _date(value: str | None, option: str):
    if value is None:
        return None
    try:
        return parse_vi_date(value)
    except ValueError:
        raise CommandError(f"Ngày không hợp lệ cho {option}: “{value}” (dùng YYYY-MM-DD hoặc dd/mm/yyyy).") from None


def table(rows: list[list], numeric_from: int = 1) -> list[str]:
    """Rows as aligned text: labels left, numbers right (Vietnamese thousands separator)."""
    text = [[vi_number(v) if isinstance(v, int) else str(v) for v in row] for row in rows]
    widths = [max(len(row[i]) for row in text if i < len(row)) for i in range(max(len(r) for r in text))]
    lines = []
    for r, row in enumerate(text):
        cells = [
            cell.rjust(widths[i]) if i >= numeric_from and r > 0 else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
        if r == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


class Command(BaseCommand):
    help = "Số liệu kinh tế tập thể đến một ngày (như trang Thống kê): bảng, JSON hoặc Excel."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", required=True, help="Ngày số liệu (YYYY-MM-DD hoặc dd/mm/yyyy).")
        parser.add_argument("--from", dest="date_from", help="Đầu kỳ, để đếm số thành lập mới và giải thể trong kỳ.")
        parser.add_argument(
            "--grouping",
            choices=["then", "now"],
            default="then",
            help="then: đơn vị hành chính tại thời điểm số liệu; now: đơn vị cấp xã hiện nay.",
        )
        parser.add_argument("--format", choices=["table", "json", "xlsx"], default="table")
        parser.add_argument("--output", help="Ghi ra tệp thay vì màn hình (bắt buộc với xlsx).")

    def handle(self, *args, **options):
        as_of = _date(options["as_of"], "--as-of")
        date_from = _date(options["date_from"], "--from")
        if date_from and date_from > as_of:
            raise CommandError("Ngày đầu kỳ (--from) phải trước hoặc bằng ngày số liệu (--as-of).")
        fmt, output = options["format"], options["output"]
        if fmt == "xlsx" and not output:
            raise CommandError("Định dạng xlsx cần --output TỆP.xlsx.")
        stats = registry_statistics(as_of=as_of, date_from=date_from, grouping=options["grouping"])

        if fmt == "xlsx":
            Path(output).write_bytes(stats_export.statistics_workbook(stats))
            self.stdout.write(f"Đã ghi {output}")
            return
        if fmt == "json":
            text = json.dumps(stats.as_dict(), ensure_ascii=False, indent=2)
        else:
            text = "\n".join(self.as_table(stats))
        if output:
            Path(output).write_text(text + "\n", encoding="utf-8")
            self.stdout.write(f"Đã ghi {output}")
        else:
            self.stdout.write(text)

    def as_table(self, stats) -> list[str]:
        lines = [stats_export.title(stats), ""]
        lines += table(stats_export.summary_rows(stats))
        lines += ["", *table(stats_export.national_rows(stats))]
        lines += ["", "Theo loại hình và lĩnh vực", *table(stats_export.sector_rows(stats))]
        grouping = stats_export.GROUPING_VI.get(stats.grouping, stats.grouping)
        lines += ["", f"Theo địa bàn ({grouping})", *table(stats_export.area_rows(stats), numeric_from=2)]
        return lines
