import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory
from django.urls import reverse
from openpyxl import load_workbook

from conftest import make_org
from hoptac.registry import excel, services
from hoptac.registry.import_views import list_filters_from_request
from hoptac.registry.models import EventKind, Organization
from hoptac.registry.tests.test_excel import row, xlsx

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(client, user, rows=None, *, content=None, name="to-chuc.xlsx", htmx=False):
    client.force_login(user)
    data = content if content is not None else xlsx(rows).getvalue()
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(
        reverse("registry:import"), {"file": SimpleUploadedFile(name, data, content_type=XLSX)}, headers=headers
    )


def read_xlsx(response) -> list[tuple]:
    ws = load_workbook(io.BytesIO(response.content))["Tổ chức"]
    return list(ws.iter_rows(values_only=True))


# ---------------------------------------------------------------- access


def test_cooperative_account_gets_403_on_import(client, coop_user):
    client.force_login(coop_user)
    assert client.get(reverse("registry:import")).status_code == 403
    response = upload(client, coop_user, [row()])
    assert response.status_code == 403
    assert not Organization.objects.filter(code=row()["Mã số"]).exists()


def test_anonymous_is_sent_to_login(client):
    for name in ("registry:import", "registry:template", "registry:export"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_import_page_links_the_template_and_has_the_form(client, staff, officer):
    for user in (staff, officer):
        client.force_login(user)
        response = client.get(reverse("registry:import"))
        assert response.status_code == 200
        html = response.content.decode()
        assert reverse("registry:template") in html and 'type="file"' in html
        assert 'id="import-result"' in html and "<progress" in html
        assert "registry/import.js" in html and "style=" not in html and "<script>" not in html


def test_template_download(client, staff):
    client.force_login(staff)
    response = client.get(reverse("registry:template"))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert "mau-nhap-to-chuc.xlsx" in response["Content-Disposition"]
    assert list(read_xlsx(response)[0]) == excel.HEADERS


# ---------------------------------------------------------------- upload


def test_upload_with_errors_shows_every_error_and_imports_nothing(client, staff):
    rows = [row(code="2411110001"), row(code="2411110002", founded_on="31/02/2021"), row(code="2411110003", kind="X")]
    response = upload(client, staff, rows)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="import-errors"' in html and "Không có dữ liệu nào được nhập" in html
    assert "không đọc được ngày “31/02/2021” (dùng dd/mm/yyyy)" in html
    assert "loại hình “X” không hợp lệ" in html
    assert not Organization.objects.filter(code__startswith="241111").exists()


def test_upload_fixed_file_shows_the_counts(client, staff):
    response = upload(client, staff, [row(code="2411110001"), row(code="2411110002")])
    html = response.content.decode()
    assert 'id="import-result"' in html and 'id="import-errors"' not in html
    assert response.context["result"].created == 2
    assert reverse("registry:list") in html
    assert Organization.objects.get(code="2411110001").created_by == staff


def test_htmx_upload_returns_only_the_result_fragment(client, staff):
    response = upload(client, staff, [row()], htmx=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="import-result"') and "<html" not in html
    assert response.context["result"].created == 1


def test_renamed_text_file_is_a_clear_error_not_a_500(client, staff):
    response = upload(client, staff, content="Mã số;Tên\n".encode(), name="danh-sach.xlsx")
    html = response.content.decode()
    assert response.status_code == 200
    assert "không phải tệp Excel .xlsx" in html and 'id="import-errors"' in html


def test_file_above_the_size_limit_is_refused(client, staff, settings):
    settings.IMPORT_MAX_BYTES = 1000
    response = upload(client, staff, [row()])
    assert "Tệp quá lớn" in response.content.decode()
    assert not Organization.objects.filter(code=row()["Mã số"]).exists()


def test_post_without_a_file(client, staff):
    client.force_login(staff)
    response = client.post(reverse("registry:import"), {})
    assert "Chưa chọn tệp" in response.content.decode()


def test_area_officer_upload_of_a_hiep_hoa_row_is_refused(client, officer):
    response = upload(client, officer, [row(district="Hiệp Hòa", commune="Thanh Vân")])
    html = response.content.decode()
    assert "ngoài địa bàn" in html and "Không có dữ liệu nào được nhập" in html


# ---------------------------------------------------------------- export


@pytest.fixture
def orgs(commune_tan_yen, commune_hiep_hoa):
    return [
        make_org(commune_tan_yen, code="2400000201", name="Hợp tác xã Quang Tiến"),
        make_org(commune_hiep_hoa, code="2400000202", name="Quỹ tín dụng Thanh Vân", kind="QTDND", sector="tin_dung"),
    ]


def test_export_xlsx_in_the_template_columns_with_filters(client, staff, orgs):
    client.force_login(staff)
    response = client.get(reverse("registry:export"), {"format": "xlsx", "kind": "QTDND"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert f'filename="to-chuc-{datetime.date.today():%Y-%m}' in response["Content-Disposition"]
    rows = read_xlsx(response)
    assert list(rows[0]) == excel.HEADERS
    assert [r[0] for r in rows[1:]] == ["2400000202"]
    assert rows[1][3] == "Tín dụng" and rows[1][5:7] == ("Huyện Hiệp Hòa", "Xã Thanh Vân")


def test_export_csv_has_a_bom_and_the_headers(client, staff, orgs):
    client.force_login(staff)
    response = client.get(reverse("registry:export"), {"format": "csv", "q": "quang tien"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].endswith('.csv"')
    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0] == excel.HEADERS
    assert [line[0] for line in lines[1:]] == ["2400000201"]
    assert lines[1][8] == "04/05/2015"


def test_export_is_limited_to_what_the_user_sees(client, officer, orgs):
    client.force_login(officer)
    rows = read_xlsx(client.get(reverse("registry:export")))
    assert [r[0] for r in rows[1:]] == ["2400000201"]


def test_export_unknown_format_is_a_bad_request(client, staff):
    client.force_login(staff)
    assert client.get(reverse("registry:export"), {"format": "pdf"}).status_code == 400


def test_exported_file_uploads_back_with_nothing_changed(client, staff, orgs):
    client.force_login(staff)
    exported = client.get(reverse("registry:export"), {"format": "xlsx"}).content
    response = upload(client, staff, content=exported)
    result = response.context["result"]
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)


def test_export_filters_are_the_list_filters_with_the_same_defaults(tan_yen):
    request = RequestFactory().get(
        "/",
        {
            "q": " htx ",
            "kind": "HTX",
            "sector": "nope",
            "as_of": "15/03/2021",
            "district": str(tan_yen.pk),
            "commune_now": "x",
            "member": "yes",
            "archived": "1",
        },
    )
    filters = list_filters_from_request(request)
    assert (filters.q, filters.kind, filters.sector, filters.status) == ("htx", "HTX", "", "active")
    assert filters.as_of == datetime.date(2021, 3, 15)
    assert (filters.district, filters.commune_now, filters.member, filters.archived) == (tan_yen.pk, None, "yes", True)
    assert list_filters_from_request(RequestFactory().get("/", {"status": "all"})).status == "all"


def test_export_without_status_leaves_out_dissolved_as_the_list_does(client, staff, orgs):
    services.event_record(organization=orgs[1], kind=EventKind.DISSOLVED, on=datetime.date(2020, 1, 1), by=staff)
    client.force_login(staff)
    assert [r[0] for r in read_xlsx(client.get(reverse("registry:export")))[1:]] == ["2400000201"]
    rows = read_xlsx(client.get(reverse("registry:export"), {"status": "all"}))
    assert sorted(r[0] for r in rows[1:]) == ["2400000201", "2400000202"]
    assert rows[2][9] == datetime.datetime(2020, 1, 1)


# ---------------------------------------------------------------- command


def test_command_prints_every_error_and_exits_non_zero(tmp_path, capsys):
    path = tmp_path / "sai.xlsx"
    path.write_bytes(xlsx([row(code="2411110001", founded_on="31/02/2021"), row(code="2411110002", kind="")]).read())
    with pytest.raises(CommandError) as raised:
        call_command("import_organizations", str(path))
    err = capsys.readouterr().err
    assert "Dòng 2, cột Ngày thành lập: không đọc được ngày “31/02/2021” (dùng dd/mm/yyyy)." in err
    assert "Dòng 3, cột Loại hình: bắt buộc, không được để trống." in err
    assert "Không có dữ liệu nào được nhập" in str(raised.value)
    assert raised.value.returncode == 1
    assert not Organization.objects.filter(code__startswith="241111").exists()


def test_command_imports_and_prints_counts(tmp_path, staff):
    path = tmp_path / "dung.xlsx"
    path.write_bytes(xlsx([row(code="2411110001"), row(code="2411110002")]).read())
    out = io.StringIO()
    call_command("import_organizations", str(path), "--user", "staff", stdout=out)
    assert "2 tạo mới, 0 cập nhật, 0 không đổi" in out.getvalue()
    call_command("import_organizations", str(path), stdout=out)
    assert "0 tạo mới, 0 cập nhật, 2 không đổi" in out.getvalue()


def test_command_refuses_a_cooperative_account_and_missing_files(tmp_path, coop_user):
    path = tmp_path / "a.xlsx"
    path.write_bytes(xlsx([row()]).read())
    with pytest.raises(CommandError, match="không được nhập"):
        call_command("import_organizations", str(path), "--user", coop_user.username)
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        call_command("import_organizations", str(tmp_path / "none.xlsx"))
    with pytest.raises(CommandError, match="Không có tài khoản"):
        call_command("import_organizations", str(path), "--user", "nobody")
