"""Print or save the registry statistics on a date: the figures of the statistics page.

    python manage.py stats --as-of 2021-03-15 --from 2021-01-01
    python manage.py stats --as-of 15/03/2021 --format json
    python manage.py stats --as-of 2021-03-15 --format xlsx --output thong-ke.xlsx

table (default) prints aligned rows with Vietnamese labels; json prints
``Statistics.as_dict()``; xlsx needs --output (a workbook is not for a terminal).
Dates are YYYY-MM-DD or dd/mm/yyyy. The whole province is counted (no user scope).
"""

from hoptac.core.reporting import DatedReportCommand, table
from hoptac.registry import stats_export
from hoptac.registry.selectors import registry_statistics


class Command(DatedReportCommand):
    help = "Số liệu kinh tế tập thể đến một ngày (như trang Thống kê): bảng, JSON hoặc Excel."

    from_help = "Đầu kỳ, để đếm số thành lập mới và giải thể trong kỳ."
    grouping_help = (
        "then: đơn vị hành chính tại thời điểm số liệu; now: đơn vị cấp xã hiện nay; "
        "province: tỉnh, thành phố hiện nay."
    )
    groupings = ["then", "now", "province"]

    def compute(self, *, as_of, date_from, grouping):
        return registry_statistics(as_of=as_of, date_from=date_from, grouping=grouping)

    def workbook(self, report) -> bytes:
        return stats_export.statistics_workbook(report)

    def as_table(self, stats) -> list[str]:
        lines = [stats_export.title(stats), ""]
        lines += table(stats_export.summary_rows(stats))
        lines += ["", *table(stats_export.national_rows(stats))]
        lines += ["", "Theo loại hình và lĩnh vực", *table(stats_export.sector_rows(stats))]
        grouping = stats_export.GROUPING_VI.get(stats.grouping, stats.grouping)
        lines += ["", f"Theo địa bàn ({grouping})", *table(stats_export.area_rows(stats), numeric_from=2)]
        return lines
