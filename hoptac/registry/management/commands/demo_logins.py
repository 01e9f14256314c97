"""Print the demo accounts that still have the demo password (used by `make run`)."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from hoptac.core.models import User
from hoptac.registry import demo


class Command(BaseCommand):
    help = "In danh sách tài khoản dùng thử (tên đăng nhập, vai trò, mật khẩu)."

    ROLE_LABELS = {
        "admin": "Quản trị Liên minh",
        "staff": "Cán bộ Liên minh",
        "area_officer": "Cán bộ địa bàn",
        "cooperative": "Tài khoản hợp tác xã",
    }

    def handle(self, *args, **options):
        from hoptac.portal.demo import PORTAL_USERS

        usernames = [u[0] for u in demo.DEMO_USERS] + [u[0] for u in PORTAL_USERS]
        users = {
            u.username: u
            for u in User.objects.filter(username__in=usernames, is_active=True)
            .select_related("organization")
            .prefetch_related("areas")
        }
        # An account whose password was changed is no longer a demo login: do not print it.
        rows = [users[name] for name in usernames if name in users and users[name].check_password(demo.DEMO_PASSWORD)]
        if not rows:
            self.stdout.write("Chưa có tài khoản dùng thử (chạy: python manage.py load_demo).")
            return
        self.stdout.write("Tài khoản dùng thử (chỉ dành cho dữ liệu mẫu, không dùng trên máy chủ thật):")
        width = max(len(u.username) for u in rows)
        for user in rows:
            role = self.ROLE_LABELS.get(user.role, user.role)
            if user.role == "staff" and user.department:
                with translation.override("vi"):
                    role += f" ({user.get_department_display().lower()})"
            if user.role == "area_officer":
                role += " " + ", ".join(a.name for a in user.areas.all())
            elif user.role == "cooperative" and user.organization:
                role += ": " + user.organization.name
            if user.username in ("bientap", "duyettin"):
                role += ", biên tập tin" if user.username == "bientap" else ", duyệt tin"
            self.stdout.write(f"  {user.username.ljust(width)}  mật khẩu {demo.DEMO_PASSWORD}  {role}")
        if settings.TWO_FACTOR_REQUIRED_FOR_ADMINS and any(user.role == "admin" for user in rows):
            self.stdout.write(
                "  Quản trị viên phải bật xác thực hai lớp ở lần đăng nhập đầu (ứng dụng mã OTP trên điện thoại); "
                "để thử mà không cần: TWO_FACTOR_REQUIRED_FOR_ADMINS=false make run"
            )
