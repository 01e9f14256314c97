"""The participant list from Excel: template, dry run and preview, all or nothing, errors by row and column."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from hoptac.core.models import AuditEntry
from hoptac.core.xlsx import SHEET_GUIDE
from hoptac.training import excel, services
from hoptac.training.models import Participant, ParticipantRole

pytestmark = pytest.mark.django_db
HEADER = ["Họ và tên", "Giới tính", "Chức vụ", "Mã số tổ chức", "Tên đơn vị", "Điện thoại", "Vai trò"]


def xlsx(rows, header=HEADER, title: str | None = None) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append([title])
    ws.append(header)
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "danh-sach.xlsx"
    return out


def good_rows(org_tan_yen, org_hiep_hoa):
    return [
        ("Phạm Văn Đức", "Nam", "Giám đốc", org_tan_yen.code, "", 912345678, "Học viên"),
        ("Hoàng Thị Mai", "nữ", "Kế toán", int(org_hiep_hoa.code), "", "0987 654 321", ""),
        ("Dương Văn Long", "", "Công chức Kinh tế", "", "UBND xã Quang Tiến", "", "hoc vien"),
        ("Bùi Quang Hải", "Nam", "Giảng viên", "", "Trường Cán bộ quản lý nông nghiệp I", "", "Giảng viên"),
    ]


def test_the_template_has_the_columns_and_a_guide(client, training_staff, other_course):
    client.force_login(training_staff)
    response = client.get(reverse("training:import_template", args=[other_course.pk]))
    wb = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb.worksheets[0][1]] == HEADER
    assert wb.sheetnames == ["Danh sách", SHEET_GUIDE]


def test_a_good_file_is_previewed_then_imported_whole(other_course, org_tan_yen, org_hiep_hoa, training_staff):
    preview = excel.import_participants(
        other_course, xlsx(good_rows(org_tan_yen, org_hiep_hoa)), by=training_staff, dry_run=True
    )
    assert preview.ok and [r.full_name for r in preview.rows] == [
        "Phạm Văn Đức",
        "Hoàng Thị Mai",
        "Dương Văn Long",
        "Bùi Quang Hải",
    ]
    assert not other_course.participants.exists()  # a dry run writes nothing
    assert preview.rows[0].unit == org_tan_yen.name and preview.rows[2].unit == "UBND xã Quang Tiến"
    assert "chưa ghi" in preview.summary()

    result = excel.import_participants(other_course, xlsx(good_rows(org_tan_yen, org_hiep_hoa)), by=training_staff)
    assert result.ok and result.created == 4
    people = {p.full_name: p for p in other_course.participants.all()}
    duc, mai = people["Phạm Văn Đức"], people["Hoàng Thị Mai"]
    assert (duc.organization, duc.gender, duc.phone, duc.role) == (org_tan_yen, "male", "0912345678", "learner")
    assert (mai.organization, mai.gender, mai.phone) == (org_hiep_hoa, "female", "0987 654 321")
    assert people["Dương Văn Long"].organization is None and people["Dương Văn Long"].organization_name
    assert people["Bùi Quang Hải"].role == ParticipantRole.TRAINER
    assert AuditEntry.objects.filter(action="training.course.participants_imported").count() == 1
    assert AuditEntry.objects.filter(action="training.participant.created", user=training_staff).count() == 4


def test_a_file_with_errors_writes_nothing_and_names_every_row_and_column(
    course, org_tan_yen, org_hiep_hoa, training_staff
):
    rows = [
        ("Phạm Văn Đức", "Nam", "Giám đốc", org_tan_yen.code, "", "", ""),  # good
        ("", "Nam", "", org_tan_yen.code, "", "", ""),  # no name
        ("Lê Văn Hải", "Không rõ", "", "9999999999", "", "", "Khách mời"),  # gender, code, role
        ("Hà Thị Mai", "", "", "", "", "", ""),  # neither code nor unit
        ("pham van duc", "", "", org_tan_yen.code, "", "", ""),  # the same as row 2
        ("Nguyễn Văn An", "", "", org_tan_yen.code, "", "", ""),  # already on the course
    ]
    before = Participant.objects.count()
    result = excel.import_participants(course, xlsx(rows), by=training_staff)
    assert not result.ok and result.created == 0 and result.rows == []
    assert Participant.objects.count() == before
    found = [(e.row, e.column) for e in result.errors]
    assert found == [
        (3, "Họ và tên"),
        (4, "Giới tính"),
        (4, "Mã số tổ chức"),
        (4, "Vai trò"),
        (5, "Mã số tổ chức"),
        (6, "Họ và tên"),
        (7, "Họ và tên"),
    ]
    messages = {(e.row, e.column): e.message for e in result.errors}
    assert messages[(3, "Họ và tên")] == "không được để trống"
    assert "9999999999" in messages[(4, "Mã số tổ chức")]
    assert "trùng với dòng 2" in messages[(6, "Họ và tên")]
    assert "đã có trong danh sách lớp" in messages[(7, "Họ và tên")]
    assert str(result.errors[0]) == "Dòng 3, cột Họ và tên: không được để trống."
    assert "Không có dữ liệu nào được nhập" in result.summary()


def test_wrong_headers_are_refused_with_the_columns_expected(other_course, training_staff):
    header = ["Họ và tên", "Mã số tổ chức", "Ngày sinh"]
    result = excel.import_participants(other_course, xlsx([("A", "B", "C")], header=header), by=training_staff)
    assert not result.ok and result.errors[0].row is None
    message = result.errors[0].message
    assert "cột không dùng được “Ngày sinh”" in message and "Tên đơn vị" in message and "Hãy dùng tệp mẫu" in message
    assert not other_course.participants.exists()


def test_a_file_without_the_header_row_is_refused(other_course, training_staff):
    result = excel.import_participants(
        other_course, xlsx([("A", "B")], header=["Danh sách", "lớp tập huấn"]), by=training_staff
    )
    assert not result.ok and "Không tìm thấy dòng tiêu đề" in result.errors[0].message


def test_a_title_above_the_header_is_fine(other_course, org_tan_yen, training_staff):
    rows = [("Phạm Văn Đức", "Nam", "Giám đốc", org_tan_yen.code, "", "", "")]
    result = excel.import_participants(other_course, xlsx(rows, title="DANH SÁCH HỌC VIÊN"), by=training_staff)
    assert result.ok and result.created == 1


def test_an_xls_file_is_refused(other_course, training_staff):
    old = io.BytesIO(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    result = excel.import_participants(other_course, old, by=training_staff, filename="danh-sach.xls")
    assert not result.ok and "97-2003 (.xls)" in result.errors[0].message


def test_a_cancelled_course_takes_no_file(other_course, org_tan_yen, training_staff):
    services.course_cancel(course=other_course, reason="Dịch bệnh", by=training_staff)
    result = excel.import_participants(
        other_course, xlsx([("Phạm Văn Đức", "", "", org_tan_yen.code, "", "", "")]), by=training_staff
    )
    assert not result.ok and "hủy" in result.errors[0].message


def test_only_the_training_department_imports(other_course, awards_staff, org_tan_yen):
    with pytest.raises(PermissionDenied):
        excel.import_participants(other_course, xlsx([("A", "", "", org_tan_yen.code, "", "", "")]), by=awards_staff)


def test_upload_previews_and_confirm_writes(client, training_staff, other_course, org_tan_yen, org_hiep_hoa):
    client.force_login(training_staff)
    url = reverse("training:import", args=[other_course.pk])
    response = client.post(url, {"file": xlsx(good_rows(org_tan_yen, org_hiep_hoa))})
    assert response.status_code == 200 and len(response.context["result"].rows) == 4
    assert "import-preview" in response.content.decode() and not other_course.participants.exists()
    token = response.context["token"]
    stale = client.post(reverse("training:import_confirm", args=[other_course.pk]), {"token": "autre"})
    assert stale.status_code == 400 and not other_course.participants.exists()
    done = client.post(reverse("training:import_confirm", args=[other_course.pk]), {"token": token})
    assert done.status_code == 302 and other_course.participants.count() == 4
    # The preview is used once: confirming again adds nobody twice.
    again = client.post(reverse("training:import_confirm", args=[other_course.pk]), {"token": token})
    assert again.status_code == 400 and other_course.participants.count() == 4


def test_confirm_checks_again_and_writes_nothing_if_the_list_changed(
    client, training_staff, other_course, org_tan_yen, org_hiep_hoa
):
    client.force_login(training_staff)
    response = client.post(
        reverse("training:import", args=[other_course.pk]), {"file": xlsx(good_rows(org_tan_yen, org_hiep_hoa))}
    )
    # Meanwhile someone registers one of the people by hand.
    services.participant_add(course=other_course, full_name="Hoàng Thị Mai", organization=org_hiep_hoa)
    done = client.post(reverse("training:import_confirm", args=[other_course.pk]), {"token": response.context["token"]})
    assert done.status_code == 400 and [e.row for e in done.context["result"].errors] == [3]
    assert other_course.participants.count() == 1


def test_upload_with_errors_shows_the_table(client, training_staff, other_course):
    client.force_login(training_staff)
    response = client.post(
        reverse("training:import", args=[other_course.pk]), {"file": xlsx([("", "", "", "", "", "", "")] + [("X",)])}
    )
    page = response.content.decode()
    assert response.status_code == 400 and 'id="import-errors"' in page and 'id="import-confirm"' not in page
    assert [(e.row, e.column) for e in response.context["result"].errors] == [(3, "Mã số tổ chức")]
    assert not other_course.participants.exists()


def test_upload_without_a_file(client, training_staff, other_course):
    client.force_login(training_staff)
    response = client.post(reverse("training:import", args=[other_course.pk]))
    assert response.status_code == 400 and "Chưa chọn tệp" in response.content.decode()
