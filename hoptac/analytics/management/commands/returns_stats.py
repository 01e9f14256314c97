"""Print the statistics of a form's returns for a period: the totals and averages of the statistics page.

    python manage.py returns_stats annual_htx 2020
    python manage.py returns_stats annual_htx 2020 --format json --grouping now
    python manage.py returns_stats alliance_quarterly 2021Q1 --format json
    python manage.py returns_stats annual_htx 2020 --as-of 2020-12-31 --include-submitted

Counts approved returns (with --include-submitted, also those submitted and not yet
approved); --as-of counts only those approved (or submitted) by that day. The whole
province is counted (no user scope). table (default) prints Vietnamese labels; json prints
``ReturnStatistics.as_dict()``: totals, averages and the breakdowns by area, type, sector,
national group and workforce size.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from hoptac.analytics.figures import COUNT, SUM, Dimension, Period
from hoptac.analytics.pivot import format_value
from hoptac.analytics.selectors import return_statistics
from hoptac.core.files import write_atomically
from hoptac.core.formatting import vi_date
from hoptac.core.reporting import parse_date_option, table
from hoptac.returns.models import Frequency, ReturnForm

GROUPING_VI = {"then": "địa bàn theo đơn vị hành chính của năm báo cáo", "now": "địa bàn theo cấp xã hiện nay"}
BREAKDOWNS_VI = [
    (Dimension.GROUP, "Theo nhóm (nông nghiệp / phi nông nghiệp / QTDND)"),
    (Dimension.SIZE, "Theo quy mô lao động"),
    (Dimension.KIND, "Theo loại hình"),
    (Dimension.AREA, "Theo địa bàn"),
]


class Command(BaseCommand):
    help = "Số liệu tổng hợp từ báo cáo định kỳ của một biểu và một kỳ: tổng và bình quân (bảng hoặc JSON)."

    def add_arguments(self, parser):
        parser.add_argument("form", help="Mã biểu báo cáo, ví dụ annual_htx.")
        parser.add_argument("period", help="Kỳ báo cáo: năm (2020) hoặc quý (2021Q1).")
        parser.add_argument("--format", choices=["table", "json"], default="table")
        parser.add_argument("--as-of", help="Chỉ tính báo cáo đã duyệt (hoặc đã nộp) đến ngày này.")
        parser.add_argument("--grouping", choices=["then", "now"], default="then")
        parser.add_argument("--include-submitted", action="store_true", help="Tính cả báo cáo đã nộp, chưa được duyệt.")
        parser.add_argument("--output", help="Ghi ra tệp thay vì màn hình.")

    def handle(self, *args, **options):
        with translation.override("vi"):
            form = ReturnForm.objects.filter(code=options["form"]).first()
            if form is None:
                codes = ", ".join(ReturnForm.objects.order_by("code").values_list("code", flat=True))
                raise CommandError(f"Không có biểu báo cáo mã “{options['form']}”. Các biểu hiện có: {codes}.")
            period = _period(options["period"], form)
            as_of = parse_date_option(options["as_of"], "--as-of")
            stats = return_statistics(
                form=form,
                year=period.year,
                quarter=period.quarter,
                grouping=options["grouping"],
                include_submitted=options["include_submitted"],
                as_of=as_of,
            )
            if options["format"] == "json":
                text = json.dumps(stats.as_dict(), ensure_ascii=False, indent=2)
            else:
                text = "\n".join(_as_table(stats))
        if options["output"]:
            write_atomically(Path(options["output"]), (text + "\n").encode())
            self.stdout.write(f"Đã ghi {options['output']}")
        else:
            self.stdout.write(text)


def _period(text: str, form: ReturnForm) -> Period:
    try:
        period = Period.parse(text)
    except ValueError:
        raise CommandError(
            f"Kỳ báo cáo không hợp lệ: “{text}” (ghi năm, ví dụ 2020, hoặc quý, ví dụ 2021Q1)."
        ) from None
    if form.frequency == Frequency.ANNUAL and period.quarter:
        raise CommandError(f"Biểu {form.code} báo cáo theo năm: ghi kỳ là năm, ví dụ {period.year}.")
    if form.frequency == Frequency.QUARTERLY and not period.quarter:
        raise CommandError(f"Biểu {form.code} báo cáo theo quý: ghi kỳ dạng {period.year}Q1.")
    return period


def _as_table(stats) -> list[str]:
    status = "báo cáo đã duyệt và đã nộp" if stats.include_submitted else "báo cáo đã duyệt"
    heading = f"{stats.form.name_vi} — {stats.period.label_vi} ({status}"
    heading += f" đến ngày {vi_date(stats.as_of)})" if stats.as_of else ")"
    lines = [heading, ""]
    total = stats.total
    rows = [["Chỉ tiêu", "Giá trị"]]
    rows += [[m.label_vi, format_value(total.value(m), m)] for m in stats.measures]
    lines += table(rows)
    # The breakdowns show the counts and sums; the averages are in the first table.
    shown = [m for m in stats.measures if m.how in (COUNT, SUM)][:8]
    for dimension, title in BREAKDOWNS_VI:
        if dimension not in stats.dimensions:
            continue
        groups = stats.grouped(dimension)
        if dimension == Dimension.AREA:
            title += f" ({GROUPING_VI[stats.grouping]})"
        rows = [[title, *[m.label_vi for m in shown]]]
        for key in stats.keys(dimension):
            tally = groups[(key,)]
            rows.append([stats.label(dimension, key), *[format_value(tally.value(m), m) for m in shown]])
        lines += ["", *table(rows)]
    return lines
