"""Write a form's Excel template for a period: one row per organisation that must file it.

    python manage.py returns_template annual_htx 2020 --output bao-cao-nam-2020.xlsx
    python manage.py returns_template annual_htx 2020 --output mau.xlsx --user tanyen

With --user, only the organisations that account may enter returns for.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from hoptac.core.files import write_atomically
from hoptac.returns import excel, selectors
from hoptac.returns.models import Respondent

from ._args import add_form_and_period, form_and_period, user_named


class Command(BaseCommand):
    help = "Ghi tệp Excel mẫu của một biểu cho một kỳ: mỗi dòng một tổ chức phải nộp, mỗi cột một chỉ tiêu."

    def add_arguments(self, parser):
        add_form_and_period(parser)
        parser.add_argument("--output", required=True, help="tệp .xlsx sẽ ghi")
        parser.add_argument("--user", help="chỉ các tổ chức tài khoản này được nhập thay")

    def handle(self, *args, form: str, period: str, output: str, user: str | None, **options):
        form_obj, period_obj = form_and_period(form, period)
        if form_obj.respondent != Respondent.ORGANIZATION:
            raise CommandError(f"Biểu “{form}” do Liên minh lập, không nhập theo danh sách tổ chức.")
        by = user_named(user)
        if by is not None and not selectors.can_enter_on_behalf(by):
            raise CommandError(f"Tài khoản “{user}” không được nhập báo cáo thay tổ chức.")
        try:
            content = excel.template(form_obj, period_obj, user=by)
        except ValidationError as problem:
            raise CommandError(" ".join(problem.messages)) from None
        write_atomically(Path(output), content)
        rows = excel.scope_for(by, form_obj, period_obj).count()
        self.stdout.write(f"Đã ghi {output}: {rows} tổ chức phải nộp {period_obj.label_vi}.")
