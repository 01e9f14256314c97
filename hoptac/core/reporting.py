"""The shared skeleton of commands that print a report on a date (``stats``, ``fund_statement``).

Subclasses say how to compute the report, how to write it as a workbook and as a table;
the options, date parsing, checks and output are here once.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hoptac.core.files import write_atomically
from hoptac.core.formatting import parse_vi_date, vi_number


def parse_date_option(value: str | None, option: str):
    """A date typed on the command line (YYYY-MM-DD or dd/mm/yyyy), or a Vietnamese CommandError."""
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


class DatedReportCommand(BaseCommand):
    """--as-of, --from, --grouping, --format table|json|xlsx, --output."""

    from_help = "Đầu kỳ."
    grouping_help = "then: đơn vị hành chính tại thời điểm số liệu; now: đơn vị cấp xã hiện nay."
    groupings = ["then", "now"]

    def compute(self, *, as_of, date_from, grouping):
        raise NotImplementedError

    def workbook(self, report) -> bytes:
        raise NotImplementedError

    def as_table(self, report) -> list[str]:
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument("--as-of", required=True, help="Ngày số liệu (YYYY-MM-DD hoặc dd/mm/yyyy).")
        parser.add_argument("--from", dest="date_from", help=self.from_help)
        parser.add_argument("--grouping", choices=self.groupings, default="then", help=self.grouping_help)
        parser.add_argument("--format", choices=["table", "json", "xlsx"], default="table")
        parser.add_argument("--output", help="Ghi ra tệp thay vì màn hình (bắt buộc với xlsx).")

    def handle(self, *args, **options):
        as_of = parse_date_option(options["as_of"], "--as-of")
        date_from = parse_date_option(options["date_from"], "--from")
        if date_from and date_from > as_of:
            raise CommandError("Ngày đầu kỳ (--from) phải trước hoặc bằng ngày số liệu (--as-of).")
        fmt, output = options["format"], options["output"]
        if fmt == "xlsx" and not output:
            raise CommandError("Định dạng xlsx cần --output TỆP.xlsx.")
        report = self.compute(as_of=as_of, date_from=date_from, grouping=options["grouping"])

        if fmt == "xlsx":
            write_atomically(Path(output), self.workbook(report))
            self.stdout.write(f"Đã ghi {output}")
            return
        if fmt == "json":
            text = json.dumps(report.as_dict(), ensure_ascii=False, indent=2)
        else:
            text = "\n".join(self.as_table(report))
        if output:
            write_atomically(Path(output), (text + "\n").encode())
            self.stdout.write(f"Đã ghi {output}")
        else:
            self.stdout.write(text)
