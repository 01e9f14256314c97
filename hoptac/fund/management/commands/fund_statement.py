"""Print or save the fund statement on a date: the figures of the fund's statement page.

    python manage.py fund_statement --as-of 2021-03-15 --from 2021-01-01
    python manage.py fund_statement --as-of 15/03/2021 --format json
    python manage.py fund_statement --as-of 2021-03-15 --format xlsx --output bao-cao-quy.xlsx

table (default) prints aligned rows with Vietnamese labels; json prints
``Statement.as_dict()``; xlsx needs --output (a workbook is not for a terminal). Flows are
counted from --from to --as-of, both days included. The whole fund is counted.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hoptac.core.formatting import parse_vi_date, vi_number
from hoptac.fund import exporters
from hoptac.fund.selectors import fund_statement
from hoptac.registry.management.commands.stats import table
from hoptac.registry.stats_export import GROUPING_VI


def _date(value: str | None, option: str):
    if value is None:
        return None
    try:
        return parse_vi_date(value)
    except ValueError:
        raise CommandError(f"Ngày không hợp lệ cho {option}: “{value}” (dùng YYYY-MM-DD hoặc dd/mm/yyyy).") from None


def _text(rows: list[list]) -> list[list]:
    """Shares as "12,34%" for the terminal; the rest as the shared table() prints it."""
    return [[f"{vi_number(v * 100, 2)}%" if isinstance(v, exporters.Ratio) else v for v in row] for row in rows]


class Command(BaseCommand):
    help = "Báo cáo Quỹ hỗ trợ phát triển HTX đến một ngày (vốn, giải ngân, thu nợ, dư nợ, nợ quá hạn)."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", required=True, help="Ngày số liệu (YYYY-MM-DD hoặc dd/mm/yyyy).")
        parser.add_argument("--from", dest="date_from", help="Đầu kỳ: tính giải ngân, thu nợ, thu lãi trong kỳ.")
        parser.add_argument(
            "--grouping",
            choices=["then", "now"],
            default="then",
            help="then: địa bàn theo đơn vị hành chính tại thời điểm số liệu; now: đơn vị cấp xã hiện nay.",
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
        statement = fund_statement(as_of=as_of, date_from=date_from, grouping=options["grouping"])

        if fmt == "xlsx":
            Path(output).write_bytes(exporters.statement_xlsx(statement))
            self.stdout.write(f"Đã ghi {output}")
            return
        if fmt == "json":
            text = json.dumps(statement.as_dict(), ensure_ascii=False, indent=2)
        else:
            text = "\n".join(self.as_table(statement))
        if output:
            Path(output).write_text(text + "\n", encoding="utf-8")
            self.stdout.write(f"Đã ghi {output}")
        else:
            self.stdout.write(text)

    def as_table(self, st) -> list[str]:
        grouping = GROUPING_VI.get(st.grouping, st.grouping)
        lines = [exporters.title(st), ""]
        lines += table(_text(exporters.summary_rows(st)))
        lines += ["", "Phân loại nợ", *table(_text(exporters.bucket_rows(st)))]
        lines += ["", "Theo loại hình", *table(exporters.kind_rows(st))]
        lines += ["", "Theo lĩnh vực", *table(exporters.sector_rows(st))]
        lines += ["", f"Theo địa bàn ({grouping})", *table(exporters.area_rows(st))]
        overdue = exporters.overdue_rows(st)
        if len(overdue) > 1:
            lines += ["", "Nợ quá hạn", *table(overdue, numeric_from=5)]
        else:
            lines += ["", "Nợ quá hạn: không có khoản vay nào quá hạn."]
        return lines
