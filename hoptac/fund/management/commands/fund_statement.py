"""Print or save the fund statement on a date: the figures of the fund's statement page.

    python manage.py fund_statement --as-of 2021-03-15 --from 2021-01-01
    python manage.py fund_statement --as-of 15/03/2021 --format json
    python manage.py fund_statement --as-of 2021-03-15 --format xlsx --output bao-cao-quy.xlsx

table (default) prints aligned rows with Vietnamese labels; json prints
``Statement.as_dict()``; xlsx needs --output (a workbook is not for a terminal). Flows are
counted from --from to --as-of, both days included. The whole fund is counted.
"""

from hoptac.core.formatting import vi_number
from hoptac.core.reporting import DatedReportCommand, table
from hoptac.fund import exporters
from hoptac.fund.selectors import fund_statement
from hoptac.registry.stats_export import GROUPING_VI


def _text(rows: list[list]) -> list[list]:
    """Shares as "12,34%" for the terminal; the rest as the shared table() prints it."""
    return [[f"{vi_number(v * 100, 2)}%" if isinstance(v, exporters.Ratio) else v for v in row] for row in rows]


class Command(DatedReportCommand):
    help = "Báo cáo Quỹ hỗ trợ phát triển HTX đến một ngày (vốn, giải ngân, thu nợ, dư nợ, nợ quá hạn)."

    from_help = "Đầu kỳ: tính giải ngân, thu nợ, thu lãi trong kỳ."
    grouping_help = "then: địa bàn theo đơn vị hành chính tại thời điểm số liệu; now: đơn vị cấp xã hiện nay."

    def compute(self, *, as_of, date_from, grouping):
        return fund_statement(as_of=as_of, date_from=date_from, grouping=grouping)

    def workbook(self, report) -> bytes:
        return exporters.statement_xlsx(report)

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
