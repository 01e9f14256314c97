"""Print who filed a form for a period: on time, late, or not at all, by district as it was then.

    python manage.py returns_completeness annual_htx 2020
    python manage.py returns_completeness annual_htx 2020 --format json
    python manage.py returns_completeness annual_htx 2020 --format xlsx --output nop-bao-cao-2020.xlsx

The whole province is counted (no user scope). The missing organisations are listed with
their representative and phone.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hoptac.core.files import write_atomically
from hoptac.core.formatting import vi_date, vi_number
from hoptac.core.reporting import table
from hoptac.returns import exporters
from hoptac.returns.excel import STATUS_VI
from hoptac.returns.models import Respondent
from hoptac.returns.selectors import completeness

from ._args import add_form_and_period, form_and_period


class Command(BaseCommand):
    help = "Tình hình nộp báo cáo của một biểu trong một kỳ: đúng hạn, muộn, chưa nộp (bảng, JSON hoặc Excel)."

    def add_arguments(self, parser):
        add_form_and_period(parser)
        parser.add_argument("--format", choices=["table", "json", "xlsx"], default="table")
        parser.add_argument("--output", help="Ghi ra tệp thay vì màn hình (bắt buộc với xlsx).")

    def handle(self, *args, form: str, period: str, format: str, output: str | None, **options):
        form_obj, period_obj = form_and_period(form, period)
        if form_obj.respondent != Respondent.ORGANIZATION:
            raise CommandError(f"Biểu “{form}” do Liên minh lập, không có danh sách tổ chức phải nộp.")
        if format == "xlsx" and not output:
            raise CommandError("Định dạng xlsx cần --output TỆP.xlsx.")
        report = completeness(form_obj, period_obj)
        if format == "xlsx":
            write_atomically(Path(output), exporters.completeness_xlsx(report))
            self.stdout.write(f"Đã ghi {output}")
            return
        if format == "json":
            text = json.dumps(report.as_dict(), ensure_ascii=False, indent=2)
        else:
            text = "\n".join(self.as_table(report))
        if output:
            write_atomically(Path(output), (text + "\n").encode())
            self.stdout.write(f"Đã ghi {output}")
        else:
            self.stdout.write(text)

    def as_table(self, report) -> list[str]:
        total = report.total
        lines = [
            f"{report.form.name_vi} – {report.period.label_vi} (hạn nộp {vi_date(report.due)})",
            f"Phải nộp {vi_number(total.expected)}; đúng hạn {vi_number(total.on_time)}; muộn {vi_number(total.late)}; "
            f"chưa nộp {vi_number(total.missing)} (đã nộp {vi_number(total.rate, 1)}%).",
            "",
        ]
        rows = [["Địa bàn (khi đó)", "Phải nộp", "Đúng hạn", "Muộn", "Chưa nộp"]]
        rows += [[a.area, a.expected, a.on_time, a.late, a.missing] for a in report.areas]
        rows.append(["Tổng cộng", total.expected, total.on_time, total.late, total.missing])
        lines += table(rows)
        if report.missing:
            lines += ["", "Chưa nộp"]
            missing = [["Mã số", "Tên", "Địa bàn", "Người đại diện", "Điện thoại", "Tình trạng"]]
            missing += [
                [
                    r.organization.code,
                    r.organization.name,
                    r.area,
                    r.organization.representative,
                    r.organization.phone,
                    STATUS_VI.get(r.return_status, "chưa lập"),
                ]
                for r in report.missing
            ]
            lines += table(missing, numeric_from=99)
        return lines
