"""Import a filled-in template of a form for a period, all or nothing.

    python manage.py returns_import annual_htx 2020 bao-cao-nam-2020.xlsx --dry-run
    python manage.py returns_import annual_htx 2020 bao-cao-nam-2020.xlsx --user canbo

The returns are submitted as entered on behalf of the organisations and wait for review.
If any cell is wrong nothing is imported, every error is printed by row and column, and the
command exits with status 1.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from hoptac.core.xlsx import FileProblem, check_size
from hoptac.returns import excel, selectors
from hoptac.returns.models import Respondent

from ._args import add_form_and_period, form_and_period, user_named


class Command(BaseCommand):
    help = "Nhập báo cáo của nhiều tổ chức từ tệp Excel theo mẫu (returns_template). Có lỗi thì không nhập gì."

    def add_arguments(self, parser):
        add_form_and_period(parser)
        parser.add_argument("file", help="tệp .xlsx theo mẫu")
        parser.add_argument("--user", help="nhập với tài khoản này (ghi vào lịch sử và nhật ký)")
        parser.add_argument("--dry-run", action="store_true", help="kiểm tra mọi thứ, không ghi gì")

    def handle(self, *args, form: str, period: str, file: str, user: str | None, dry_run: bool, **options):
        form_obj, period_obj = form_and_period(form, period)
        if form_obj.respondent != Respondent.ORGANIZATION:
            raise CommandError(f"Biểu “{form}” do Liên minh lập, không nhập theo danh sách tổ chức.")
        by = user_named(user)
        if by is not None and not selectors.can_enter_on_behalf(by):
            raise CommandError(f"Tài khoản “{user}” không được nhập báo cáo thay tổ chức.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp “{file}”.")
        try:
            check_size(path.stat().st_size, settings.IMPORT_MAX_BYTES)
        except FileProblem as problem:
            raise CommandError(str(problem)) from None
        with path.open("rb") as handle:
            result = excel.import_returns(form_obj, period_obj, handle, by=by, filename=path.name, dry_run=dry_run)
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(result.summary())
        self.stdout.write(self.style.SUCCESS(result.summary()))
        if result.flagged:
            self.stdout.write(f"{result.flagged} báo cáo có số liệu cần kiểm tra lại (thay đổi lớn so với kỳ trước).")
