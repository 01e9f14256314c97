"""Load the synthetic Bắc Giang register, its support fund and one demo account per role.

    python manage.py load_demo [--if-empty] [--seed N]

`make run` calls it with --if-empty on every start: the first start fills an empty
database, later starts leave it alone. The demo accounts share a published password, so
the command refuses to run with DEBUG off unless told that this is intended.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from hoptac.awards import demo as awards_demo
from hoptac.core.formatting import vi_date, vi_money, vi_number
from hoptac.fund import demo as fund_demo
from hoptac.journal import demo as journal_demo
from hoptac.portal import demo as portal_demo
from hoptac.registry import demo
from hoptac.registry.models import Organization
from hoptac.returns import demo as returns_demo
from hoptac.training import demo as training_demo
from hoptac.valuechain import demo as valuechain_demo


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu (Bắc Giang giả lập) và tài khoản dùng thử vào cơ sở dữ liệu trống."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Không làm gì nếu cơ sở dữ liệu đã có tổ chức.")
        parser.add_argument(
            "--seed",
            type=int,
            default=demo.DEFAULT_SEED,
            help=f"Hạt giống ngẫu nhiên (mặc định {demo.DEFAULT_SEED}); cùng hạt giống, cùng dữ liệu.",
        )
        parser.add_argument(
            "--public-passwords-ok",
            action="store_true",
            help="Cho phép nạp khi DEBUG tắt (tài khoản mẫu có mật khẩu công khai).",
        )

    def handle(self, *args, **options):
        existing = Organization.objects.count()
        if existing:
            if options["if_empty"]:
                self.stdout.write(f"Đã có {existing} tổ chức; không nạp dữ liệu mẫu.")
                return
            raise CommandError(
                f"Cơ sở dữ liệu đã có {existing} tổ chức. Dữ liệu mẫu chỉ nạp vào cơ sở dữ liệu trống "
                "(dùng --if-empty để bỏ qua khi đã có dữ liệu)."
            )
        if not settings.DEBUG and not options["public_passwords_ok"]:
            raise CommandError(
                "DEBUG đang tắt (máy chủ thật?). Tài khoản mẫu dùng mật khẩu công khai; "
                "thêm --public-passwords-ok nếu thật sự muốn nạp dữ liệu mẫu."
            )
        started = time.monotonic()
        with transaction.atomic():
            # Register and fund together: a fund that fails to load leaves no half-loaded demo.
            result = demo.load(seed=options["seed"])
            elapsed = time.monotonic() - started
            fund = fund_demo.load(seed=options["seed"])
            fund_elapsed = time.monotonic() - started - elapsed
            awards = awards_demo.load()
            journal = journal_demo.load()
            training = training_demo.load()
            chains = valuechain_demo.load()
            returns = returns_demo.load()
            portal = portal_demo.load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nạp {result['organizations']} tổ chức, {result['events']} sự kiện, "
                f"{result['memberships']} lượt thành viên Liên minh trong {elapsed:.1f} giây (seed {options['seed']})."
            )
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Quỹ hỗ trợ phát triển HTX: {fund['loans']} khoản vay, {fund['repayments']} lần thu nợ; "
                f"ngày {vi_date(fund_demo.REPORT_DAY)} tổng nguồn vốn {vi_money(fund['capital'])}, "
                f"{fund['loans_outstanding']} dự án đang vay, dư nợ {vi_money(fund['outstanding'])} "
                f"({fund_elapsed:.1f} giây)."
            )
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Thi đua, khen thưởng: {awards['decisions']} quyết định, {awards['recipients']} lượt khen thưởng; "
                f"nhật ký hoạt động: {journal['entries']} mục, {journal['documents']} văn bản."
            )
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Bồi dưỡng, tập huấn: {training['plans']} kế hoạch, {training['planned_courses']} lớp dự kiến, "
                f"{training['courses']} lớp đã tổ chức, {training['participants']} học viên; "
                f"chuỗi giá trị: {chains['programmes']} chương trình, {chains['surveys']} phiếu khảo sát, "
                f"{chains['plans']} kế hoạch hỗ trợ."
            )
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Báo cáo định kỳ của HTX: {returns['returns']} báo cáo ({returns['late']} nộp muộn, "
                f"{returns['flagged']} có số liệu cần kiểm tra), "
                f"{sum(returns['grades'].values())} lượt xếp loại năm 2020."
            )
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Cổng thông tin: {portal['articles']} bài đã đăng ({portal['in_review']} bài chờ duyệt), "
                f"{vi_number(portal['visits'])} lượt truy cập quý I/2021."
            )
        )
        if result["users"]:
            self.stdout.write(
                f"Tài khoản dùng thử: {', '.join(result['users'] + portal['users'])} "
                f"(mật khẩu: {demo.DEMO_PASSWORD}; chỉ dùng cho dữ liệu mẫu)."
            )
