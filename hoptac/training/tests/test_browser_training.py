"""A training officer registers two participants (one by the form, one from Excel), marks attendance, and finds them."""

import datetime
import io

import pytest
from openpyxl import Workbook

from conftest import login
from hoptac.core.models import Department, Role, User
from hoptac.training import services
from hoptac.training.models import BudgetSource, TargetGroup

pytestmark = pytest.mark.browser

PASSWORD = "mat-khau-thu-nghiem-1"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def participant_file(code: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["Họ và tên", "Giới tính", "Chức vụ", "Mã số tổ chức", "Tên đơn vị", "Điện thoại", "Vai trò"])
    ws.append(["Hoàng Thị Mai", "Nữ", "Kế toán", code, "", "0987654321", "Học viên"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_training_officer_registers_two_participants_and_marks_attendance(page, org_tan_yen):
    officer = User.objects.create_user("taphuan", password=PASSWORD, role=Role.STAFF, department=Department.TRAINING)
    course = services.course_create(
        topic="Bồi dưỡng kiến thức quản lý HTX",
        starts_on=datetime.date(2021, 4, 20),
        ends_on=datetime.date(2021, 4, 22),
        place="Hội trường UBND huyện Tân Yên",
        target_group=TargetGroup.MANAGERS,
        budget=112_500_000,
        budget_source=BudgetSource.PROVINCE,
        by=officer,
    )
    login(page, "taphuan")

    page.goto(page.base_url + "/training/courses/")
    page.click(f"#courses >> text={course.topic}")
    page.wait_for_selector("#participant-form")

    # One by the form, from the register.
    page.fill("#id_full_name", "Nguyễn Văn An")
    page.select_option("#id_gender", "male")
    page.fill("#id_position", "Giám đốc")
    page.select_option("#id_organization", str(org_tan_yen.pk))
    page.click("#participant-form [type=submit]")
    page.wait_for_selector("#participant-list >> text=Nguyễn Văn An")

    # One from Excel: checked and previewed first, written on confirmation.
    page.click("#import-link")
    page.set_input_files(
        "#id_file", files=[{"name": "danh-sach.xlsx", "mimeType": XLSX, "buffer": participant_file(org_tan_yen.code)}]
    )
    page.click("#import-submit")
    page.wait_for_selector("#import-preview >> text=Hoàng Thị Mai")
    assert course.participants.count() == 1
    page.click("#import-confirm [type=submit]")
    page.wait_for_selector("#participant-list >> text=Hoàng Thị Mai")
    assert page.locator("#participant-list tbody tr").count() == 2

    # Attendance: both came, An for the three days with a certificate; one POST.
    an = course.participants.get(full_name="Nguyễn Văn An")
    mai = course.participants.get(full_name="Hoàng Thị Mai")
    page.check(f"#attended-{an.pk}")
    page.check(f"#attended-{mai.pk}")
    page.fill(f"#days-{an.pk}", "3")
    page.check(f"#certificate-{an.pk}")
    page.click("#attendance-save")
    page.wait_for_selector(".msg-success")
    an.refresh_from_db()
    mai.refresh_from_db()
    assert (an.attended, an.days_attended, an.certificate) == (True, 3, True)
    assert (mai.attended, mai.certificate) == (True, False)
    assert page.is_checked(f"#attended-{mai.pk}")

    # The organisation's page lists both, linking back to the course.
    page.goto(page.base_url + f"/registry/{org_tan_yen.pk}/")
    card = page.locator("#org-training")
    assert card.locator("tbody tr").count() == 2
    assert "Nguyễn Văn An" in card.inner_text() and "Hoàng Thị Mai" in card.inner_text()
    card.locator(f"a[href='/training/courses/{course.pk}/']").first.click()
    page.wait_for_selector("#participant-list")
