"""Import one of the fund's old books from an .xlsx file in its template's format, all or nothing.

    python manage.py import_fund capital so-von.xlsx
    python manage.py import_fund loans so-cho-vay.xlsx --user quy
    python manage.py import_fund repayments so-thu-no.xlsx --dry-run

Import capital first, then loans, then repayments: a repayment names a loan, and a loan's
disbursement must be recorded before what is paid back on it.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from hoptac.fund import excel
from hoptac.fund.selectors import can_manage_fund
from hoptac.registry.excel import FileProblem, check_size

BOOK_VI = {"capital": "sổ nguồn vốn", "loans": "sổ cho vay", "repayments": "sổ thu nợ"}


class Command(BaseCommand):
    help = (
        "Nhập sổ của Quỹ từ tệp Excel (capital: nguồn vốn; loans: khoản vay đã giải ngân; repayments: thu nợ). "
        "Có lỗi thì không nhập gì và thoát với mã 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("book", choices=sorted(excel.BOOKS), help="capital, loans hoặc repayments")
        parser.add_argument("file", help="tệp .xlsx theo mẫu")
        parser.add_argument("--user", help="nhập với tài khoản này (ghi vào nhật ký); phải là cán bộ Quỹ")
        parser.add_argument("--dry-run", action="store_true", help="kiểm tra mọi thứ, không ghi gì")

    def handle(self, *args, book: str, file: str, user: str | None, dry_run: bool, **options):
        by = None
        if user:
            try:
                by = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"Không có tài khoản “{user}”.") from None
            if not by.is_active or not can_manage_fund(by):
                raise CommandError(f"Tài khoản “{user}” không được nhập sổ của Quỹ.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp “{file}”.")
        try:
            check_size(path.stat().st_size, settings.IMPORT_MAX_BYTES)
        except FileProblem as exc:
            raise CommandError(str(exc)) from None
        with path.open("rb") as handle:
            result = excel.import_book(book, handle, by=by, filename=path.name, dry_run=dry_run)
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{BOOK_VI[book].capitalize()}: {result.summary()}")
        self.stdout.write(self.style.SUCCESS(f"{BOOK_VI[book].capitalize()}: {result.summary()}"))
