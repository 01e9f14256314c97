import datetime
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook, load_workbook

from conftest import make_org
from hoptac.core.models import AuditEntry
from hoptac.geo.models import AdminUnit, Level
from hoptac.registry import excel, services
from hoptac.registry.models import EventKind, LifecycleEvent, Organization
from hoptac.registry.selectors import ListFilters, organization_list

pytestmark = pytest.mark.django_db

DEFAULTS = {
    "Mã số": "2411110001",
    "Tên": "Hợp tác xã Dịch vụ nông nghiệp Thử nghiệm",
    "Loại hình": "HTX",
    "Lĩnh vực": "Nông nghiệp",
    "Tỉnh": "Tỉnh Bắc Giang",
    "Huyện": "Huyện Tân Yên",
    "Xã": "Xã Quang Tiến",
    "Địa chỉ": "Thôn Đồng Lạc",
    "Ngày thành lập": "15/03/2021",
    "Ngày giải thể": None,
    "Số thành viên": 12,
    "Số lao động": 20,
    "Vốn điều lệ (đồng)": "500.000.000",
    "Người đại diện": "Nguyễn Văn An",
    "Điện thoại": "0912 345 678",
    "Email": "htx@example.vn",
}


def row(**values) -> dict:
    """A valid row in Tân Yên; keyword arguments use the column keys of excel.COLUMNS."""
    data = dict(DEFAULTS)
    for key, value in values.items():
        data[excel.COLUMN_BY_KEY[key].header] = value
    return data


def xlsx(rows: list[dict], headers: list[str] | None = None) -> io.BytesIO:
    """A real .xlsx file, written by openpyxl, with rows under headers from row 2."""
    headers = headers or excel.HEADERS
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for data in rows:
        ws.append([data.get(h) for h in headers])
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer


def run(rows, *, by=None, headers=None, **kwargs) -> excel.ImportResult:
    return excel.import_organizations(xlsx(rows, headers), by=by, filename="to-chuc.xlsx", **kwargs)


def cells(result) -> set[tuple]:
    return {(e.row, e.column) for e in result.errors}


# ---------------------------------------------------------------- template


def test_template_has_the_vietnamese_headers_in_order_and_a_guide_sheet():
    wb = load_workbook(io.BytesIO(excel.template_bytes()))
    assert wb.sheetnames == ["Tổ chức", "Hướng dẫn"]
    ws = wb["Tổ chức"]
    headers = [c.value for c in ws[1]]
    assert headers == [
        "Mã số",
        "Tên",
        "Loại hình",
        "Lĩnh vực",
        "Tỉnh",
        "Huyện",
        "Xã",
        "Địa chỉ",
        "Ngày thành lập",
        "Ngày giải thể",
        "Số thành viên",
        "Số lao động",
        "Vốn điều lệ (đồng)",
        "Người đại diện",
        "Điện thoại",
        "Email",
    ]
    assert ws.max_row == 1  # no example row among the data
    assert ws["A1"].font.b and ws["A1"].fill.fgColor.rgb.endswith("2E7D32")
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["B"].width > 30
    assert ws.column_dimensions["I"].number_format == "DD/MM/YYYY"
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    assert lists["C2"] == '"HTX,LHHTX,QTDND,THT"'
    assert "Thương mại - Dịch vụ" in lists["D2"] and "Công nghiệp - TTCN" in lists["D2"]
    guide = " ".join(str(c.value) for r in wb["Hướng dẫn"].iter_rows() for c in r if c.value)
    assert "Ví dụ" in guide and "Quỹ tín dụng nhân dân" in guide and "Môi trường" in guide


def test_blank_template_imports_as_an_empty_file_error():
    result = excel.import_organizations(io.BytesIO(excel.template_bytes()), filename="mau.xlsx")
    assert [e.row for e in result.errors] == [None]
    assert "không có dòng dữ liệu" in result.errors[0].message


# ---------------------------------------------------------------- all or nothing


def test_errors_in_several_rows_import_nothing_and_name_row_and_column(org_tan_yen):
    rows = [
        row(code="2411110001"),  # row 2: fine
        row(code="2411110002", founded_on="31/02/2021"),  # row 3
        row(code="2411110003", kind="HTXX", sector="Trồng trọt"),  # row 4
        row(code="2411110004", official_members=-3, charter_capital="5,5"),  # row 5
        row(code="2411110001", name="Trùng mã"),  # row 6: same code as row 2
        row(code="2411110006", commune="Xã Không Có"),  # row 7
        row(code="2411110007", name=""),  # row 8
        row(code="2411110008", dissolved_on="01/01/2020"),  # row 9: before founding
        row(code="2411110009", founded_on="01/01/2099"),  # row 10: future
        row(code="2411110010", email="khong-phai-email"),  # row 11
    ]
    before = Organization.objects.count()
    audits = AuditEntry.objects.count()
    result = run(rows)
    assert not result.ok
    assert cells(result) == {
        (3, "Ngày thành lập"),
        (4, "Loại hình"),
        (4, "Lĩnh vực"),
        (5, "Số thành viên"),
        (5, "Vốn điều lệ (đồng)"),
        (6, "Mã số"),
        (7, "Xã"),
        (8, "Tên"),
        (9, "Ngày giải thể"),
        (10, "Ngày thành lập"),
        (11, "Email"),
    }
    messages = [str(e) for e in result.errors]
    assert "Dòng 3, cột Ngày thành lập: không đọc được ngày “31/02/2021” (dùng dd/mm/yyyy)." in messages
    assert "Dòng 6, cột Mã số: mã số “2411110001” trùng với dòng 2." in messages
    assert result.created == result.updated == 0
    assert Organization.objects.count() == before
    assert AuditEntry.objects.count() == audits
    assert "Không có dữ liệu nào được nhập" in result.summary()


def test_the_same_file_fixed_is_imported_with_every_field():
    rows = [
        row(code="2411110001"),
        row(
            code="2411110002",
            name="Quỹ tín dụng nhân dân Cao Thượng",
            kind="QTDND",
            sector="Tín dụng",
            commune="Thị trấn Cao Thượng",
            dissolved_on="30/06/2023",
            charter_capital=1_200_000_000,
        ),
    ]
    result = run(rows)
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    org = Organization.objects.get(code="2411110001")
    assert org.kind == "HTX" and org.sector == "nong_nghiep"
    assert org.commune.name == "Xã Quang Tiến" and org.commune.parent.name == "Huyện Tân Yên"
    assert org.founded_on == datetime.date(2021, 3, 15)
    assert (org.official_members, org.employees, org.charter_capital) == (12, 20, 500_000_000)
    assert (org.street, org.representative, org.phone, org.email) == (
        "Thôn Đồng Lạc",
        "Nguyễn Văn An",
        "0912 345 678",
        "htx@example.vn",
    )
    fund = Organization.objects.get(code="2411110002")
    assert fund.charter_capital == 1_200_000_000
    assert fund.events.get().kind == EventKind.DISSOLVED
    assert fund.status_on(datetime.date(2023, 7, 1)) == "dissolved"


def test_importing_twice_updates_instead_of_duplicating(staff):
    rows = [row(code="2411110001"), row(code="2411110002", name="Hợp tác xã Thứ hai", dissolved_on="01/06/2022")]
    assert run(rows, by=staff).created == 2
    audits = AuditEntry.objects.count()
    again = run(rows, by=staff)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Organization.objects.filter(code__startswith="241111").count() == 2
    assert LifecycleEvent.objects.filter(organization__code="2411110002").count() == 1
    assert AuditEntry.objects.count() == audits  # nothing changed, nothing logged

    rows[0] = row(code="2411110001", official_members=15)
    third = run(rows, by=staff)
    assert (third.created, third.updated, third.unchanged) == (0, 1, 1)
    org = Organization.objects.get(code="2411110001")
    assert org.official_members == 15
    change = AuditEntry.objects.filter(action="registry.organization.changed").get()
    assert change.changes == {"official_members": [12, 15]} and change.user == staff
    assert AuditEntry.objects.filter(action="registry.import.done").count() == 2


def test_dissolution_added_on_reimport_and_a_different_date_is_refused():
    run([row()])
    result = run([row(dissolved_on="01/02/2024")])
    assert (result.updated, result.unchanged) == (1, 0)
    assert Organization.objects.get().events.get().on == datetime.date(2024, 2, 1)
    assert run([row(dissolved_on="01/02/2024")]).unchanged == 1
    refused = run([row(dissolved_on="05/05/2024")])
    assert cells(refused) == {(2, "Ngày giải thể")}
    assert "01/02/2024" in refused.errors[0].message


def test_blank_optional_cells_clear_the_field_but_missing_columns_keep_it():
    run([row()])
    headers = [h for h in excel.HEADERS if h not in ("Số lao động", "Email")]
    result = run([row(official_members=None, employees=None, email=None)], headers=headers)
    assert result.updated == 1
    org = Organization.objects.get()
    assert org.official_members is None
    assert org.employees == 20 and org.email == "htx@example.vn"


# ---------------------------------------------------------------- places


@pytest.mark.parametrize(
    "province, district, commune",
    [
        ("Bắc Giang", "Tân Yên", "Quang Tiến"),
        ("bac giang", "huyen tan yen", "xa quang tien"),
        ("TỈNH BẮC GIANG", "Tan Yen", "Quang Tien"),
        ("24", "216", "07315"),
        (24, 216, 7315),
    ],
)
def test_places_match_without_diacritics_unit_word_or_by_code(province, district, commune):
    result = run([row(province=province, district=district, commune=commune)])
    assert result.ok, result.errors
    org = Organization.objects.get()
    assert org.commune.name == "Xã Quang Tiến" and org.commune.code == "07315"


def test_a_unit_that_did_not_exist_on_the_founding_date_is_refused():
    # Huyện Yên Dũng merged into TP Bắc Giang on 01/01/2025, and districts ended 01/07/2025.
    late = run([row(province="24", district="Huyện Yên Dũng", commune="Xã Tân Liễu", founded_on="15/03/2026")])
    assert [str(e) for e in late.errors] == [
        "Dòng 2, cột Huyện: không có đơn vị “Huyện Yên Dũng” vào ngày 15/03/2026 "
        "(từ 01/07/2025 không còn cấp huyện; để trống cột này)."
    ]
    between = run([row(district="Huyện Yên Dũng", commune="Xã Tân Liễu", founded_on="01/03/2025")])
    assert [str(e) for e in between.errors] == [
        "Dòng 2, cột Huyện: không có đơn vị “Huyện Yên Dũng” vào ngày 01/03/2025 (đơn vị này tồn tại đến 31/12/2024)."
    ]
    gone = run([row(founded_on="15/03/2026")])  # Tỉnh Bắc Giang itself ended on 30/06/2025
    assert "Dòng 2, cột Tỉnh: không có đơn vị “Tỉnh Bắc Giang” vào ngày 15/03/2026" in str(gone.errors[0])
    assert not Organization.objects.exists()

    ok = run([row(district="Huyện Yên Dũng", commune="Xã Tân Liễu", founded_on="20/05/2019")])
    assert ok.ok, ok.errors
    assert Organization.objects.get().commune.parent.name == "Huyện Yên Dũng"


def test_commune_renamed_later_is_matched_by_its_name_on_the_founding_date():
    # Xã Quang Tiến became Xã Quang Trung on 01/01/2025.
    refused = run([row(commune="Quang Trung", founded_on="15/03/2021")])
    assert cells(refused) == {(2, "Xã")}
    assert run([row(commune="Quang Trung", founded_on="15/03/2025")]).ok


def test_commune_outside_the_district_and_district_outside_the_province():
    result = run([row(code="2411110001", commune="Thanh Vân"), row(code="2411110002", district="Sóc Sơn")])
    assert cells(result) == {(2, "Xã"), (3, "Huyện")}
    assert "không thuộc Huyện Tân Yên" in result.errors[0].message
    assert "không thuộc Tỉnh Bắc Giang" in result.errors[1].message


def test_after_the_2025_reform_communes_hang_under_the_province_and_district_is_optional():
    result = run([row(province="Bắc Ninh", district=None, commune="Tân Yên", founded_on="01/08/2025")])
    assert result.ok, result.errors
    commune = Organization.objects.get().commune
    assert commune.code == "07339" and commune.parent.code == "24"
    missing = run([row(code="2411110002", district=None)])
    assert [str(e) for e in missing.errors] == ["Dòng 2, cột Huyện: bắt buộc khi ngày thành lập trước 01/07/2025."]


def test_ambiguous_names_are_reported():
    # Both Xã Tân Yên and Thị trấn Tân Yên could hide behind a bare "Tân Yên"; here two communes of the
    # new era elsewhere share a name, so the province decides. Build an ambiguity explicitly instead.
    district = AdminUnit.objects.valid_on(datetime.date(2021, 3, 15)).get(level=Level.DISTRICT, code="216")
    AdminUnit.objects.create(
        code="99991", name="Phường Quang Tiến", kind="phuong", level=Level.COMMUNE, parent=district
    )
    result = run([row(commune="Quang Tiến")])
    assert cells(result) == {(2, "Xã")}
    assert "khớp nhiều đơn vị" in result.errors[0].message
    assert run([row(commune="Xã Quang Tiến")]).ok  # the unit word settles it


# ---------------------------------------------------------------- cell formats


def test_dates_as_excel_dates_text_and_serial_numbers():
    rows = [
        row(code="2411110001", founded_on=datetime.datetime(2021, 3, 15)),
        row(code="2411110002", founded_on=44270),  # Excel serial of 15/03/2021
        row(code="2411110003", founded_on="44270"),
        row(code="2411110004", founded_on=" 15/03/2021 ", dissolved_on=datetime.date(2022, 1, 10)),
        row(code="2411110005", founded_on="15-3-2021"),
    ]
    result = run(rows)
    assert result.ok, result.errors
    assert set(Organization.objects.values_list("founded_on", flat=True)) == {datetime.date(2021, 3, 15)}


def test_numbers_and_codes_in_every_form_people_type():
    rows = [
        row(code=2411110001, charter_capital=500_000_000.0, phone=912345678),
        row(code="2411110002.0", charter_capital="1.500.000.000 đ", official_members="7"),
        row(code="  2411110003  ", name="  Hợp tác xã có khoảng trắng  ", charter_capital=" 0 "),
    ]
    result = run(rows)
    assert result.ok, result.errors
    first, second, third = Organization.objects.order_by("code")
    assert (first.code, first.charter_capital, first.phone) == ("2411110001", 500_000_000, "0912345678")
    assert (second.code, second.charter_capital, second.official_members) == ("2411110002", 1_500_000_000, 7)
    assert (third.code, third.name, third.charter_capital) == ("2411110003", "Hợp tác xã có khoảng trắng", 0)


def test_fractions_and_bad_numbers_are_row_errors():
    result = run([row(code="2411110001", employees=2.5), row(code="2411110002", charter_capital="năm trăm")])
    assert cells(result) == {(2, "Số lao động"), (3, "Vốn điều lệ (đồng)")}


def test_kind_and_sector_by_name_code_or_without_diacritics():
    rows = [
        row(code="2411110001", kind="htx", sector="thuong mai - dich vu"),
        row(code="2411110002", kind="Tổ hợp tác", sector="CONG NGHIEP - TTCN"),
        row(code="2411110003", kind="LHHTX", sector="van_tai"),
    ]
    assert run(rows).ok
    assert dict(Organization.objects.values_list("code", "sector")) == {
        "2411110001": "thuong_mai",
        "2411110002": "cong_nghiep",
        "2411110003": "van_tai",
    }
    assert Organization.objects.get(code="2411110002").kind == "THT"


def test_blank_rows_are_skipped_and_row_numbers_stay_those_of_excel():
    result = run([row(code="2411110001"), {}, {}, row(code="2411110002", founded_on="xx")])
    assert [str(e) for e in result.errors] == [
        "Dòng 5, cột Ngày thành lập: không đọc được ngày “xx” (dùng dd/mm/yyyy)."
    ]
    assert result.rows == 2


def test_header_variations_in_case_and_diacritics_are_accepted():
    headers = ["MA SO", "tên", "Loai hinh", "LĨNH VỰC", "tinh", "huyen", "xa", "Ngay thanh lap", "Von dieu le"]
    data = {
        "MA SO": "2411110001",
        "tên": "HTX Hoa",
        "Loai hinh": "HTX",
        "LĨNH VỰC": "Khác",
        "tinh": "Bắc Giang",
        "huyen": "Tân Yên",
        "xa": "Quang Tiến",
        "Ngay thanh lap": "01/01/2020",
        "Von dieu le": "100.000.000",
    }
    result = run([data], headers=headers)
    assert result.ok, result.errors
    assert Organization.objects.get().charter_capital == 100_000_000


def test_a_title_above_the_header_is_tolerated():
    wb = Workbook()
    ws = wb.active
    ws.append(["DANH SÁCH HỢP TÁC XÃ NĂM 2021"])
    ws.append([])
    ws.append(excel.HEADERS)
    ws.append([row()[h] for h in excel.HEADERS])
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    assert excel.import_organizations(buffer).created == 1


# ---------------------------------------------------------------- file-level problems


def test_unknown_and_missing_headers_are_one_file_level_error():
    headers = ["Mã số", "Tên", "Loại hình", "Tỉnh", "Xã", "Ngày thành lập", "Ghi chú"]
    result = run([row()], headers=headers)
    assert len(result.errors) == 1 and result.errors[0].row is None
    message = result.errors[0].message
    assert "“Lĩnh vực”" in message and "“Ghi chú”" in message


def test_a_renamed_text_file_is_a_clear_error():
    result = excel.import_organizations(io.BytesIO("Mã số,Tên\n1,HTX\n".encode()), filename="danh-sach.xlsx")
    assert [str(e) for e in result.errors] == [
        "Tệp “danh-sach.xlsx” không phải tệp Excel .xlsx. Hãy dùng tệp mẫu và lưu dạng .xlsx."
    ]


def test_a_corrupt_zip_and_an_old_xls_are_clear_errors():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    buffer.seek(0)
    corrupt = excel.import_organizations(buffer, filename="hong.xlsx")
    assert "tệp bị hỏng" in corrupt.errors[0].message
    truncated = excel.import_organizations(io.BytesIO(xlsx([row()]).getvalue()[:500]), filename="cut.xlsx")
    assert "tệp bị hỏng" in truncated.errors[0].message
    old = excel.import_organizations(io.BytesIO(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100), filename="a.xls")
    assert ".xls" in old.errors[0].message


def test_a_file_with_headers_only_is_an_error():
    result = run([])
    assert len(result.errors) == 1 and "không có dòng dữ liệu" in result.errors[0].message


def test_size_limit_is_checked_in_vietnamese():
    with pytest.raises(excel.FileProblem, match="Tệp quá lớn"):
        excel.check_size(31 * 1024 * 1024, 30 * 1024 * 1024)


# ---------------------------------------------------------------- scope


def test_area_officer_imports_only_in_their_area(officer, org_hiep_hoa):
    rows = [
        row(code="2411110001"),
        row(code="2411110002", district="Hiệp Hòa", commune="Thanh Vân"),
        # An organisation of Hiệp Hòa cannot be pulled into the officer's area either.
        row(code=org_hiep_hoa.code, name=org_hiep_hoa.name, founded_on="04/05/2015"),
    ]
    result = run(rows, by=officer)
    assert cells(result) == {(3, "Xã"), (4, "Mã số")}
    assert "ngoài địa bàn" in next(e.message for e in result.errors if e.row == 3)
    assert not Organization.objects.filter(code__startswith="241111").exists()
    assert run(rows[:1], by=officer).created == 1


def test_cooperative_account_cannot_import(coop_user):
    with pytest.raises(PermissionDenied):
        run([row()], by=coop_user)


def test_archived_organisation_with_the_same_code_is_a_row_error(staff, org_tan_yen):
    services.organization_archive(organization=org_tan_yen, by=staff, reason="Nhập nhầm")
    result = run([row(code=org_tan_yen.code)])
    assert cells(result) == {(2, "Mã số")} and "lưu trữ" in result.errors[0].message


def test_dry_run_checks_everything_and_writes_nothing():
    result = run([row()], dry_run=True)
    assert result.ok and result.created == 1
    assert not Organization.objects.exists()


# ---------------------------------------------------------------- export


def test_export_then_import_changes_nothing(staff, commune_tan_yen, commune_hiep_hoa):
    make_org(commune_tan_yen, code="2400000101", street="Thôn Đông", employees=7, email="a@example.vn")
    make_org(
        commune_hiep_hoa,
        code="2400000102",
        kind="QTDND",
        sector="tin_dung",
        charter_capital=0,
        official_members=None,
        phone="",
    )
    ended = make_org(commune_tan_yen, code="2400000103", name='=HYPERLINK("x")', founded_on=datetime.date(2019, 1, 2))
    services.event_record(organization=ended, kind=EventKind.DISSOLVED, on=datetime.date(2022, 9, 1), by=staff)
    after = AdminUnit.objects.valid_on(datetime.date(2025, 8, 1)).get(level=Level.COMMUNE, code="07339")
    make_org(after, code="2400000104", founded_on=datetime.date(2025, 8, 2))

    content = excel.workbook_bytes(excel.export_rows(organization_list(staff, ListFilters(status="all"))))
    ws = load_workbook(io.BytesIO(content))["Tổ chức"]
    by_code = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert by_code["2400000103"][1] == '=HYPERLINK("x")'  # text, not a formula
    assert by_code["2400000103"][9] == datetime.datetime(2022, 9, 1)
    assert by_code["2400000101"][4:7] == ("Tỉnh Bắc Giang", "Huyện Tân Yên", "Xã Quang Tiến")
    assert by_code["2400000104"][4:7] == ("Thành phố Bắc Ninh", None, "Xã Tân Yên")

    audits = AuditEntry.objects.count()
    result = excel.import_organizations(io.BytesIO(content), by=staff, filename="to-chuc.xlsx")
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, 4)
    assert AuditEntry.objects.count() == audits


def test_csv_rows_use_vietnamese_dates_and_plain_numbers(commune_tan_yen):
    make_org(commune_tan_yen, code="2400000101", founded_on=datetime.date(2015, 5, 4))
    text = excel.csv_bytes(excel.export_rows(Organization.objects.all())).decode("utf-8")
    assert text.startswith("\ufeffMã số,Tên,Loại hình,Lĩnh vực,Tỉnh,Huyện,Xã,")
    assert "04/05/2015" in text and "500000000" in text


# ---------------------------------------------------------------- performance


def test_a_thousand_rows_import_and_reimport_with_bounded_queries(django_assert_max_num_queries):
    communes = list(
        AdminUnit.objects.valid_on(datetime.date(2021, 3, 15))
        .filter(level=Level.COMMUNE, parent__code="216")
        .select_related("parent")
    )
    rows = []
    for i in range(1000):
        commune = communes[i % len(communes)]
        rows.append(
            row(
                code=f"24{i:08d}",
                name=f"Hợp tác xã số {i}",
                commune=commune.name,
                founded_on=datetime.date(2010, 1, 1) + datetime.timedelta(days=i * 3),
            )
        )
    file = xlsx(rows)
    # How long it takes is measured by scripts/bench_registry.py (docs/performance.md), not here.
    result = excel.import_organizations(file)
    assert result.ok, result.errors[:3]
    assert result.created == 1000
    file.seek(0)
    with django_assert_max_num_queries(200):
        again = excel.import_organizations(file)
    assert again.unchanged == 1000
