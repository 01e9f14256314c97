"""Generate the synthetic national dataset benchmarks run on (issue #9).

    python manage.py generate_national --scale 1.0 [--seed N]

Scale 1.0 is about 116.000 organisations over the 63 provinces, ten years of annual
returns, 20.000 loans; tests use 0.002. Only into a database without organisations: the
rows are synthetic and must never mix with a real register. See ``hoptac.core.national``.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from hoptac.core import national
from hoptac.registry.models import Organization


class Command(BaseCommand):
    help = "Sinh dữ liệu toàn quốc giả lập để đo hiệu năng (Generate the synthetic national dataset)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Quy mô: 1.0 ≈ 116.000 tổ chức; 0.05 cho thử nhanh."
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=national.DEFAULT_SEED,
            help=f"Hạt giống ngẫu nhiên (mặc định {national.DEFAULT_SEED}); cùng hạt giống và quy mô, cùng dữ liệu.",
        )

    def handle(self, *args, **options):
        scale, seed = options["scale"], options["seed"]
        if scale <= 0:
            raise CommandError("--scale phải lớn hơn 0 (--scale must be positive).")
        existing = Organization.objects.count()
        if existing:
            raise CommandError(
                f"Cơ sở dữ liệu đã có {existing} tổ chức; dữ liệu giả lập chỉ sinh vào cơ sở dữ liệu trống. "
                f"(The database already holds {existing} organisations; the synthetic national dataset "
                "is only generated into an empty database.)"
            )
        started = time.monotonic()
        self.stdout.write(f"Sinh dữ liệu toàn quốc: quy mô {scale}, seed {seed}")
        counts = national.NationalGenerator(scale=scale, seed=seed, out=self.stdout.write).run()
        total = sum(counts.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Xong: {total:,} dòng trong {time.monotonic() - started:.1f} giây "
                f"(tài khoản {national.ANALYST}, mật khẩu {national.DEMO_PASSWORD}; chỉ dùng cho dữ liệu giả lập)."
            )
        )
