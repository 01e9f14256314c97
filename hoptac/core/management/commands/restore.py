"""Restore the database and the uploaded files from an archive of the backup command (docs/backup.md).

python manage.py restore var/backups/hoptac-20210315-020000.tar.gz
python manage.py restore FILE --check        # only read and verify the archive
python manage.py restore FILE --force        # over a database that has data (it is replaced)
"""

from django.core.management.base import BaseCommand, CommandError

from hoptac.core import backup
from hoptac.core.formatting import vi_number


class Command(BaseCommand):
    help = (
        "Khôi phục cơ sở dữ liệu và các tệp tải lên từ một bản sao lưu (tạo bởi lệnh backup) vào một cơ sở dữ "
        "liệu trống. Dừng máy chủ web trước khi khôi phục."
    )
    # The database being restored into is empty: checks that read it would fail for nothing.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("archive", help="tệp sao lưu .tar.gz")
        parser.add_argument(
            "--force",
            action="store_true",
            help="khôi phục cả khi cơ sở dữ liệu hoặc MEDIA_ROOT đã có dữ liệu: toàn bộ bị thay bằng bản sao lưu",
        )
        parser.add_argument("--check", action="store_true", help="chỉ đọc và kiểm tra bản sao lưu, không ghi gì")

    def handle(self, *args, archive: str, force: bool, check: bool, **options):
        try:
            if check:
                manifest = backup.backup_check(archive=archive)
            else:
                result = backup.backup_restore(archive=archive, force=force)
                manifest = result.manifest
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        summary = (
            f"bản sao lưu lúc {manifest['created_at']} ({backup.ENGINE_VI[manifest['engine']]}): "
            f"{vi_number(len(manifest['tables']))} bảng, {vi_number(sum(manifest['tables'].values()))} dòng, "
            f"{vi_number(len(manifest['files']))} tệp tải lên"
        )
        if check:
            self.stdout.write(self.style.SUCCESS(f"Bản sao lưu toàn vẹn: {summary}. Chưa ghi gì."))
            return
        self.stdout.write(self.style.SUCCESS(f"Đã khôi phục {summary}; số dòng mọi bảng khớp bản kê."))
        if result.media_set_aside:
            self.stdout.write(
                f"Các tệp tải lên có trước đây được giữ ở {result.media_set_aside}; xoá thư mục đó khi không cần nữa."
            )
        if result.pending_migrations:
            self.stdout.write(
                self.style.WARNING(
                    f"Bản sao lưu từ phiên bản cũ hơn: còn {vi_number(len(result.pending_migrations))} migration chưa "
                    "chạy. Hãy chạy: python manage.py migrate"
                )
            )
