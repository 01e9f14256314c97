"""Recipients from Excel: all or nothing, every error by row and column, duplicates, and the export read back."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from hoptac.awards import importer, services
from hoptac.awards.importer import RECIPIENTS, import_recipients
from hoptac.awards.models import AwardForm, Issuer, Recipient
from hoptac.core.audit import entries_for

from .conftest import D, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def empty_decision(awards_staff):
    return services.award_decision_create(
        number="15/QĐ-LMHTX", on=D(2021, 3, 5), issuer=Issuer.ALLIANCE, form=AwardForm.COMMENDATION, by=awards_staff
    )


def run(decision, content: bytes, by, **kwargs):
    return import_recipients(decision, io.BytesIO(content), by=by, filename="danh-sach.xlsx", **kwargs)


GOOD_ROWS = [
    (1, "Tập thể", "2400000001", "HTX Nông nghiệp Quang Tiến", "", "", "Hoàn thành xuất sắc nhiệm vụ"),
    (2, "tap the", 2400000002, "", "", "", ""),
    (3, "Cá nhân", "2400000001", "", "Trần Thị Lan", "Giám đốc HTX", "Có nhiều đóng góp"),
    (4, "CN", "", "", "Lê Văn Hải", "", ""),
]


def test_a_good_file_adds_every_row_with_an_audit_entry(empty_decision, org_tan_yen, org_hiep_hoa, awards_staff):
    result = run(empty_decision, xlsx(GOOD_ROWS, title_rows=1), awards_staff)
    assert result.ok and result.rows == 4 and result.created == 4, result.errors
    recipients = list(empty_decision.recipients.order_by("id"))
    assert [r.kind for r in recipients] == ["collective", "collective", "individual", "individual"]
    assert recipients[1].organization == org_hiep_hoa  # a code typed as a number
    assert recipients[2].organization == org_tan_yen and recipients[2].position == "Giám đốc HTX"
    assert recipients[3].organization is None
    entry = entries_for(empty_decision).get(action="awards.decision.recipients_imported")
    assert entry.changes == {"file": "danh-sach.xlsx", "rows": 4, "created": 4} and entry.user == awards_staff
    assert "Đã nhập 4 dòng" in result.summary()


def test_a_check_shows_the_rows_and_writes_nothing(empty_decision, org_tan_yen, org_hiep_hoa, awards_staff):
    result = run(empty_decision, xlsx(GOOD_ROWS), awards_staff, dry_run=True)
    assert result.ok and result.created == 4 and len(result.planned) == 4
    assert [p.row for p in result.planned] == [2, 3, 4, 5]
    assert not empty_decision.recipients.exists()
    assert "chưa ghi" in result.summary()


def test_errors_are_reported_by_row_and_column_and_nothing_is_written(
    empty_decision, org_tan_yen, org_hiep_hoa, awards_staff
):
    rows = [
        (1, "Tập thể", "2400000001", "", "", "", ""),  # good, but not written: another row is wrong
        (2, "Khen thưởng", "2400000002", "", "", "", ""),
        (3, "Tập thể", "", "", "", "", ""),
        (4, "Tập thể", "9999999999", "", "", "", ""),
        (5, "Cá nhân", "", "", "", "Kế toán", ""),
        (6, "Tập thể", "2400000002", "", "Nguyễn Văn A", "", ""),
        (7, "Tập thể", "2400000002", "HTX Chè Liên Sơn", "", "", ""),
        (8, "", "2400000002", "", "", "", ""),
        (9, "Cá nhân", "", "", "Nguyễn Văn B", "", "x" * 501),
    ]
    result = run(empty_decision, xlsx(rows), awards_staff)
    assert not result.ok and result.created == 0
    assert not Recipient.objects.exists()
    found = [(e.row, e.column) for e in result.errors]
    assert found == [
        (3, "Tập thể/Cá nhân"),
        (4, "Mã số tổ chức"),
        (5, "Mã số tổ chức"),
        (6, "Họ và tên"),
        (7, "Họ và tên"),
        (8, "Tên tổ chức"),
        (9, "Tập thể/Cá nhân"),
        (10, "Thành tích / lý do"),
    ]
    messages = {e.row: e.message for e in result.errors}
    assert "Tập thể" in messages[3] and "9999999999" in messages[5] and org_hiep_hoa.name in messages[8]
    assert "Không có dữ liệu nào được nhập" in result.summary()


def test_duplicates_in_the_file_and_in_the_decision_are_errors(decision, org_tan_yen, org_hiep_hoa, awards_staff):
    # The decision already has Tân Yên, Hiệp Hòa and Trần Thị Lan of Hiệp Hòa.
    rows = [
        (1, "Tập thể", "2400000001", "", "", "", ""),
        (2, "Cá nhân", "2400000002", "", "TRẦN THỊ LAN", "", ""),
        (3, "Cá nhân", "", "", "Lê Văn Hải", "", ""),
        (4, "Cá nhân", "", "", "Lê  Văn Hải", "", ""),
    ]
    result = run(decision, xlsx(rows), awards_staff)
    messages = {(e.row, e.column): e.message for e in result.errors}
    assert set(messages) == {(2, "Mã số tổ chức"), (3, "Họ và tên"), (5, "Họ và tên")}
    assert "đã có trong quyết định" in messages[(2, "Mã số tổ chức")]
    assert "trùng với dòng 4" in messages[(5, "Họ và tên")]
    assert decision.recipients.count() == 3


def test_wrong_headers_are_one_clear_error(empty_decision, awards_staff):
    content = xlsx([("Tập thể", "HTX A", "x")], headers=["Tập thể/Cá nhân", "Tên tổ chức", "Ghi chú"])
    result = run(empty_decision, content, awards_staff)
    assert len(result.errors) == 1 and result.errors[0].row is None
    message = result.errors[0].message
    assert "thiếu cột bắt buộc “Mã số tổ chức”" in message and "cột không dùng được “Ghi chú”" in message
    no_header = run(empty_decision, xlsx([("a", "b")], headers=["Cột 1", "Cột 2"]), awards_staff)
    assert len(no_header.errors) == 1 and "Không tìm thấy dòng tiêu đề" in no_header.errors[0].message
    assert not Recipient.objects.exists()


def test_an_xls_file_is_refused_with_the_way_to_fix_it(empty_decision, awards_staff):
    content = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512
    result = run(empty_decision, content, awards_staff)
    assert len(result.errors) == 1 and ".xls" in result.errors[0].message and ".xlsx" in result.errors[0].message


def test_an_archived_organisation_cannot_be_awarded(empty_decision, org_tan_yen, awards_staff):
    from hoptac.registry.services import organization_archive

    organization_archive(organization=org_tan_yen, by=awards_staff, reason="Nhập trùng")
    result = run(empty_decision, xlsx([(1, "Tập thể", "2400000001", "", "", "", "")]), awards_staff)
    assert "lưu trữ" in result.errors[0].message


def test_only_the_awards_staff_import(empty_decision, training_staff):
    with pytest.raises(PermissionDenied):
        run(empty_decision, xlsx(GOOD_ROWS), training_staff)


def test_the_template_has_the_books_headers_and_a_guide():
    wb = load_workbook(io.BytesIO(importer.template()))
    assert wb.sheetnames == [RECIPIENTS.sheet, "Hướng dẫn"]
    assert [c.value for c in wb.active[1]] == RECIPIENTS.headers


def test_an_exported_list_imports_back_into_another_decision(decision, empty_decision, awards_staff):
    from hoptac.awards.selectors import recipients_for

    content = importer.recipients_workbook(decision, recipients_for(awards_staff).filter(decision=decision))
    ws = load_workbook(io.BytesIO(content)).active
    assert [c.value for c in ws[3]] == RECIPIENTS.headers
    assert ws.max_row == 3 + 3
    result = run(empty_decision, content, awards_staff)
    assert result.ok and result.created == 3, result.errors

    def rows(d):
        return sorted((r.kind, r.organization_id, r.person_name, r.position, r.reason) for r in d.recipients.all())

    assert rows(empty_decision) == rows(decision)
    # The same file again: every row is already in the decision.
    again = run(empty_decision, content, awards_staff)
    assert len(again.errors) == 3 and empty_decision.recipients.count() == 3
