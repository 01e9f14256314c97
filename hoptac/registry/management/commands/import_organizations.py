"""Import organisations from an .xlsx file in the template's format, all or nothing."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from hoptac.registry import excel
from hoptac.registry.selectors import can_manage_registry


class Command(BaseCommand):
    help = "Import organisations from FILE.xlsx (the registry template). Any error: nothing is imported, exit 1."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx file")
        parser.add_argument("--user", help="import as this user (their area limits apply; recorded in the audit log)")
        parser.add_argument("--dry-run", action="store_true", help="check everything, write nothing")

    def handle(self, *args, file: str, user: str | None, dry_run: bool, **options):
        by = None
        if user:
            try:
                by = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"Không có tài khoản “{user}”.") from None
            if not can_manage_registry(by) or not by.is_active:
                raise CommandError(f"Tài khoản “{user}” không được nhập danh sách tổ chức.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp “{file}”.")
        try:
            excel.check_size(path.stat().st_size, settings.IMPORT_MAX_BYTES)
        except excel.FileProblem as exc:
            raise CommandError(str(exc)) from None
        with path.open("rb") as handle:
            result = excel.import_organizations(handle, by=by, filename=path.name, dry_run=dry_run)
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(result.summary())
        self.stdout.write(self.style.SUCCESS(result.summary()))
