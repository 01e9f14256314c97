"""What the returns commands share: the form and period arguments, read into objects or a Vietnamese error."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from hoptac.returns.models import ReturnForm
from hoptac.returns.periods import Period, period_for_form


def add_form_and_period(parser) -> None:
    parser.add_argument("form", help="mã biểu: annual_htx, grading, alliance_quarterly…")
    parser.add_argument("period", help="kỳ báo cáo: 2020 (năm) hoặc 2021Q1 (quý)")


def form_and_period(code: str, text: str) -> tuple[ReturnForm, Period]:
    form = ReturnForm.objects.filter(code=code).first()
    if form is None:
        known = ", ".join(ReturnForm.objects.order_by("code").values_list("code", flat=True))
        raise CommandError(f"Không có biểu “{code}”. Các biểu: {known}.")
    try:
        return form, period_for_form(form, text)
    except ValueError as problem:
        raise CommandError(str(problem)) from None


def user_named(username: str | None):
    if not username:
        return None
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"Không có tài khoản “{username}” đang hoạt động.")
    return user
