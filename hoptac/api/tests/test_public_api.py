"""The API's public endpoints: the directory, one organisation, statistics, reports, units."""

import datetime

import pytest
from django.urls import reverse

from conftest import make_org

pytestmark = pytest.mark.django_db


def test_directory_lists_operating_organisations_with_public_fields_only(api, world):
    response = api.get(reverse("api:directory"))

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    first = body["results"][0]
    assert set(first) == {
        "code",
        "name",
        "kind",
        "kind_label",
        "sector",
        "sector_label",
        "founded_on",
        "commune",
        "district",
        "commune_now",
        "profile_url",
    }
    assert [o["code"] for o in body["results"]] == ["2400777001", "2400777002"]
    assert first["commune"] == {"code": world.public_org.commune.code, "name": "Xã Quang Tiến"}
    assert first["district"]["name"] == "Huyện Tân Yên"
    assert first["commune_now"]["name"] == "Xã Quang Trung"
    assert first["founded_on"] == "2015-05-04"
    assert first["profile_url"].endswith("/directory/2400777001/")


def test_directory_filters_by_search_kind_sector_and_district(api, world, tan_yen):
    def codes(**params):
        response = api.get(reverse("api:directory"), params)
        assert response.status_code == 200, response.json()
        return [o["code"] for o in response.json()["results"]]

    assert codes(q="cong khai quang tien") == ["2400777001"]
    assert codes(kind="QTDND") == ["2400777002"]
    assert codes(sector="tin_dung") == ["2400777002"]
    assert codes(district=tan_yen.code) == ["2400777001"]
    assert codes(commune_now=world.public_org.commune.current.code) == ["2400777001"]


def test_directory_refuses_bad_filters_naming_the_field(api, world):
    response = api.get(reverse("api:directory"), {"kind": "XYZ", "district": "12"})

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert set(error["fields"]) == {"kind", "district"}


def test_directory_refuses_a_district_code_that_does_not_exist(api, world):
    response = api.get(reverse("api:directory"), {"district": "999"})

    assert response.status_code == 400
    assert "district" in response.json()["error"]["fields"]


def test_directory_detail_has_collective_awards_chains_and_products(api, world):
    response = api.get(reverse("api:directory_detail", args=["2400777001"]))

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Hợp tác xã Công Khai Quang Tiến"
    assert [a["number"] for a in body["awards"]] == ["77/QĐ-UBND"]  # the collective award only, once
    assert body["awards"][0]["form"] == "merit"
    assert body["value_chains"][0]["programme"] == "Chuỗi giá trị 2400777001"
    assert body["value_chains"][0]["plans"] == ["Kế hoạch hỗ trợ tiêu thụ"]
    assert body["products"] == [{"name": "Vải thiều Lục Ngạn", "ocop_stars": 4, "certification": "VietGAP"}]


def test_directory_detail_of_a_dissolved_or_unknown_organisation_is_not_found(api, world):
    for code in ("2400777003", "0000000000"):
        response = api.get(reverse("api:directory_detail", args=[code]))
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


def test_statistics_on_a_date_match_the_registry(api, commune_tan_yen):
    make_org(commune_tan_yen, founded_on=datetime.date(2021, 1, 20))
    make_org(commune_tan_yen, founded_on=datetime.date(2010, 1, 1), kind="THT")

    response = api.get(reverse("api:statistics"), {"as_of": "2021-03-15", "from": "2021-01-01"})

    assert response.status_code == 200
    body = response.json()
    assert body["as_of"] == "2021-03-15" and body["date_from"] == "2021-01-01"
    assert body["active"] == {"HTX": 1, "LHHTX": 0, "QTDND": 0, "THT": 1}
    assert body["active_total"] == 2
    assert body["founded"]["HTX"] == 1
    assert body["areas"][0]["area"] == "Huyện Tân Yên" and body["areas"][0]["total"] == 2


def test_statistics_accept_vietnamese_dates_and_refuse_a_period_ending_before_it_starts(api, db):
    assert api.get(reverse("api:statistics"), {"as_of": "15/03/2021"}).json()["as_of"] == "2021-03-15"

    response = api.get(reverse("api:statistics"), {"as_of": "2021-03-15", "from": "2021-04-01"})

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["from"]


def test_units_list_the_provinces_units_with_filters(api, tan_yen):
    response = api.get(reverse("api:units"), {"level": 2, "valid_on": "2021-03-15", "q": "tan yen"})

    assert response.status_code == 200
    assert [u["name"] for u in response.json()["results"]] == ["Huyện Tân Yên"]
    for text in ("Huyện Tân Yên", tan_yen.code):
        found = api.get(reverse("api:units"), {"level": 2, "valid_on": "2021-03-15", "q": text}).json()["results"]
        assert [u["name"] for u in found] == ["Huyện Tân Yên"], text
    communes = api.get(reverse("api:units"), {"parent": tan_yen.pk, "page_size": 500}).json()
    assert communes["count"] > 10 and all(u["parent"] == tan_yen.pk for u in communes["results"])


def test_reports_list_only_published_ones(api, db):
    response = api.get(reverse("api:reports"))

    assert response.status_code == 200
    assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}
