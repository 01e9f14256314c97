"""The public pages beside the directory: profile, areas, open statistics with its files, open data."""

import csv
import datetime
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from conftest import make_org
from hoptac.registry.services import event_record

pytestmark = pytest.mark.django_db
D = datetime.date


def html(client, url, params=None, status=200) -> str:
    response = client.get(url, params or {})
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


# ---------------------------------------------------------------- the directory


def test_directory_names_link_to_their_profile_and_the_open_data_pages(client, world):
    page = html(client, reverse("directory:list"))

    assert f'href="{reverse("directory:profile", args=["2400777001"])}"' in page
    for name in ("directory:areas", "directory:statistics", "directory:open_data"):
        assert reverse(name) in page


def test_directory_filters_by_todays_commune(client, world):
    commune_now = world.public_org.commune.current
    response = client.get(reverse("directory:list"), {"commune_now": commune_now.pk})
    assert [o.code for o in response.context["page_obj"].object_list] == ["2400777001"]


def test_directory_page_queries_do_not_grow_with_the_organisations(
    client, commune_tan_yen, django_assert_max_num_queries
):
    for i in range(3):
        make_org(commune_tan_yen, name=f"Hợp tác xã Đếm {i:02d}")
    with CaptureQueriesContext(connection) as three:
        client.get(reverse("directory:list"))
    for i in range(3, 40):
        make_org(commune_tan_yen, name=f"Hợp tác xã Đếm {i:02d}")
    with django_assert_max_num_queries(len(three)):
        assert client.get(reverse("directory:list")).context["page_obj"].paginator.count == 40


@pytest.mark.parametrize(
    "url", ["/directory/open-data/directory.csv", "/directory/open-data/directory.json", "/api/v1/directory/"]
)
def test_open_data_files_and_the_api_do_not_query_per_organisation(
    client, commune_tan_yen, commune_hiep_hoa, url, django_assert_max_num_queries
):
    for i in range(2):
        make_org(commune_tan_yen, name=f"Hợp tác xã Đếm {i:02d}")
    with CaptureQueriesContext(connection) as two:
        assert client.get(url).status_code == 200
    for i in range(2, 12):
        make_org(commune_hiep_hoa if i % 2 else commune_tan_yen, name=f"Hợp tác xã Đếm {i:02d}")
    with django_assert_max_num_queries(len(two)):
        assert client.get(url).status_code == 200


# ---------------------------------------------------------------- the profile


def test_profile_shows_public_facts_products_collective_awards_and_chains(client, world):
    page = html(client, reverse("directory:profile", args=["2400777001"]))

    for shown in (
        "Hợp tác xã Công Khai Quang Tiến",
        "2400777001",
        "Xã Quang Tiến",
        "Huyện Tân Yên",
        "Xã Quang Trung",  # today's commune
        "04/05/2015",
        "Vải thiều Lục Ngạn",
        "OCOP 4 sao",
        "VietGAP",
        "77/QĐ-UBND",
        "Bằng khen",
        "Chuỗi giá trị 2400777001",
        "20/03/2021",
    ):
        assert shown in page, shown


def test_profile_of_an_organisation_that_ended_or_was_archived_is_not_found(client, world):
    html(client, reverse("directory:profile", args=["2400777003"]), status=404)
    html(client, reverse("directory:profile", args=["khong-co"]), status=404)


def test_profile_of_an_organisation_with_nothing_else_says_so(client, world):
    page = html(client, reverse("directory:profile", args=["2400777002"]))
    assert "Chưa có sản phẩm nào" in page and "Chưa ghi nhận khen thưởng nào" in page


def test_profile_queries_are_few(client, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        client.get(reverse("directory:profile", args=["2400777001"]))


# ---------------------------------------------------------------- areas


def test_areas_count_by_district_of_2025_and_by_todays_commune(client, world, tan_yen, hiep_hoa):
    response = client.get(reverse("directory:areas"))
    view = response.context["view"]

    assert [(r.name, r.total) for r in view.districts] == [("Huyện Hiệp Hòa", 1), ("Huyện Tân Yên", 1)]
    tan_yen_row = view.districts[1]
    assert tan_yen_row.unit_id == tan_yen.pk
    # Quang Tiến was renamed Quang Trung on 01/01/2025: on 30/06/2025 it had its new name.
    assert [(c.name, c.by_kind["HTX"]) for c in tan_yen_row.children] == [("Xã Quang Trung", 1)]
    assert {r.name for r in view.communes_now} == {"Xã Quang Trung", world.other_org.commune.current.name}
    assert view.totals == {"HTX": 1, "LHHTX": 0, "QTDND": 1, "THT": 0}
    page = response.content.decode()
    assert f'href="/directory/?district={tan_yen.pk}"' in page and "<svg" in page


def test_an_organisation_recorded_in_a_commune_of_after_the_reform_has_its_own_row(client, db):
    from hoptac.geo.models import AdminUnit, Level

    new_commune = AdminUnit.objects.filter(
        level=Level.COMMUNE, valid_from__gte=D(2025, 7, 1), parent__code="24"
    ).first()
    make_org(new_commune, name="Hợp tác xã Sau Sáp Nhập", founded_on=D(2025, 9, 1))

    view = client.get(reverse("directory:areas")).context["view"]

    assert [(r.unit_id, r.total) for r in view.districts] == [(0, 1)]
    assert [r.name for r in view.communes_now] == [new_commune.name]


def test_areas_use_few_queries(client, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        client.get(reverse("directory:areas"))


# ---------------------------------------------------------------- open statistics


@pytest.fixture
def q1(commune_tan_yen, commune_hiep_hoa):
    make_org(commune_tan_yen, name="HTX Mới", founded_on=D(2021, 1, 20))
    make_org(commune_hiep_hoa, name="HTX Cũ", founded_on=D(2010, 6, 1))
    make_org(commune_hiep_hoa, name="QTD", kind="QTDND", sector="tin_dung", founded_on=D(2000, 1, 1))
    ended = make_org(commune_tan_yen, name="HTX Giải thể", founded_on=D(2012, 1, 1))
    event_record(organization=ended, kind="dissolved", on=D(2021, 2, 1))


def test_open_statistics_on_a_date_with_a_chart(client, q1):
    response = client.get(reverse("directory:statistics"), {"as_of": "15/03/2021", "from": "01/01/2021"})
    page = response.content.decode()

    assert response.status_code == 200
    cards = {c["kind"]: c for c in response.context["cards"]}
    assert cards["HTX"]["count"] == 2 and cards["HTX"]["founded"] == 1 and cards["HTX"]["dissolved"] == 1
    assert cards["QTDND"]["count"] == 1
    assert "<svg" in page and "Huyện Hiệp Hòa" in page
    assert "CC BY 4.0" in page


def test_open_statistics_refuse_a_bad_date_and_show_today_instead(client, q1):
    response = client.get(reverse("directory:statistics"), {"as_of": "31/02/2021", "from": "01/01/3000"})
    assert response.status_code == 200
    assert response.context["stats"].as_of == datetime.date.today()
    assert response.context["form"].errors


def test_open_statistics_as_csv(client, q1):
    response = client.get(
        reverse("directory:statistics"), {"as_of": "15/03/2021", "from": "01/01/2021", "format": "csv"}
    )

    assert response["Content-Disposition"] == 'attachment; filename="thong-ke-kttt-2021-03-15.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_kind = {(r["chi_so"], r["loai_hinh"], r["linh_vuc"]): int(r["so_luong"]) for r in rows if not r["dia_ban"]}
    assert by_kind[("active", "HTX", "nong_nghiep")] == 2
    assert by_kind[("founded", "HTX", "")] == 1 and by_kind[("dissolved", "HTX", "")] == 1
    areas = {(r["dia_ban"], r["loai_hinh"]): int(r["so_luong"]) for r in rows if r["dia_ban"]}
    assert areas[("Huyện Hiệp Hòa", "QTDND")] == 1


def test_open_statistics_as_xlsx_with_the_licence(client, q1):
    response = client.get(reverse("directory:statistics"), {"as_of": "15/03/2021", "format": "xlsx"})

    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Tổng hợp", "Theo loại hình và lĩnh vực", "Theo địa bàn", "Giấy phép"]
    licence = {row[0]: row[1] for row in book["Giấy phép"].iter_rows(values_only=True)}
    assert licence["Giấy phép"].startswith("CC BY 4.0") and licence["Dữ liệu cập nhật lần cuối"]
    values = [v for row in book["Tổng hợp"].iter_rows(values_only=True) for v in row if v is not None]
    assert "Phạm vi: toàn tỉnh" in values


def test_open_statistics_as_json_with_licence_and_last_update(client, q1):
    response = client.get(reverse("directory:statistics"), {"as_of": "2021-03-15", "format": "json"})

    data = json.loads(response.content)
    assert data["meta"]["licence"]["name"] == "CC BY 4.0" and data["meta"]["last_update"]
    assert data["statistics"]["active"]["HTX"] == 2


# ---------------------------------------------------------------- open data


def test_open_data_page_lists_the_files_with_licence_and_date(client, world):
    page = html(client, reverse("directory:open_data"))

    assert "CC BY 4.0" in page and "creativecommons.org/licenses/by/4.0" in page
    assert reverse("directory:download", args=["csv"]) in page and reverse("directory:download", args=["json"]) in page
    assert "cập nhật lần cuối" in page


def test_directory_as_csv_has_the_public_columns_only(client, world):
    response = client.get(reverse("directory:download", args=["csv"]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["ma_so"] for r in rows] == ["2400777001", "2400777002"]
    assert rows[0]["xa"] == "Xã Quang Tiến" and rows[0]["huyen"] == "Huyện Tân Yên"
    assert rows[0]["xa_hien_nay"] == "Xã Quang Trung" and rows[0]["ngay_thanh_lap"] == "2015-05-04"


def test_directory_as_json_with_licence(client, world):
    data = json.loads(client.get(reverse("directory:download", args=["json"])).content)
    assert data["meta"]["licence"]["attribution"].startswith("Nguồn: Liên minh")
    assert [o["code"] for o in data["organizations"]] == ["2400777001", "2400777002"]


def test_an_unknown_format_is_not_found(client, db):
    assert client.get(reverse("directory:download", args=["xml"])).status_code == 404


def test_public_pages_in_english(client, world):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Where the cooperatives are" in html(client, reverse("directory:areas"))
    assert "Public information" in html(client, reverse("directory:profile", args=["2400777001"]))
    assert "Open data" in html(client, reverse("directory:open_data"))
