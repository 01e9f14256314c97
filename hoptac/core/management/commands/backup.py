"""Back up the database and the uploaded files into one archive (docs/backup.md).

python manage.py backup
python manage.py backup --output-dir /mnt/usb/hoptac --keep 14
"""

from django.core.management.base import BaseCommand, CommandError

from hoptac.core import backup
from hoptac.core.formatting import vi_number


class Command(BaseCommand):
    help = (
        "Sao lưu cơ sở dữ liệu và các tệp tải lên (MEDIA_ROOT) vào một tệp .tar.gz, mặc định trong BACKUP_DIR. "
        "Chạy được khi máy chủ web đang chạy."
    )
    # A backup must run even when a system check fails, e.g. in the middle of an upgrade.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--output-dir", help="thư mục ghi bản sao lưu (mặc định: BACKUP_DIR, tức var/backups)")
        parser.add_argument(
            "--keep", type=int, help="chỉ giữ N bản sao lưu mới nhất trong thư mục đó, xoá các bản cũ hơn"
        )

    def handle(self, *args, output_dir: str | None, keep: int | None, **options):
        if keep is not None and keep < 1:
            raise CommandError("--keep phải từ 1 trở lên.")
        try:
            result = backup.backup_create(directory=output_dir, keep=keep)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        for name in result.skipped:
            self.stderr.write(f"Bỏ qua “{name}” trong MEDIA_ROOT: không phải tệp thường (liên kết, ống, …).")
        for path in result.removed:
            self.stdout.write(f"Đã xoá bản sao lưu cũ {path}.")
        manifest = result.manifest
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã sao lưu vào {result.path} ({backup.size_text(result.path.stat().st_size)}): "
                f"{backup.ENGINE_VI[manifest['engine']]}, {vi_number(len(manifest['tables']))} bảng, "
                f"{vi_number(result.rows)} dòng, {vi_number(len(manifest['files']))} tệp tải lên."
            )
        )
