import datetime

import pytest
from django.urls import reverse

from conftest import make_org
from hoptac.registry.services import event_record, organization_archive

pytestmark = pytest.mark.django_db


def names(client, **params) -> list[str]:
    response = client.get(reverse("directory:list"), params)
    assert response.status_code == 200
    return [org.name for org in response.context["page_obj"].object_list]


def test_directory_lists_organisations_operating_today(client, org_tan_yen, org_hiep_hoa, commune_tan_yen):
    ended = make_org(commune_tan_yen, name="Hợp tác xã Đã giải thể")
    event_record(organization=ended, kind="dissolved", on=datetime.date(2022, 1, 1))
    paused = make_org(commune_tan_yen, name="Hợp tác xã Tạm ngừng")
    event_record(organization=paused, kind="suspended", on=datetime.date(2023, 1, 1))
    mistake = make_org(commune_tan_yen, name="Hợp tác xã Nhập nhầm")
    organization_archive(organization=mistake, by=None, reason="Nhập trùng")

    assert names(client) == [org_tan_yen.name, org_hiep_hoa.name]


def test_directory_never_shows_personal_or_financial_data(client, commune_tan_yen):
    make_org(
        commune_tan_yen,
        name="Hợp tác xã Công khai",
        representative="Lê Thị Riêng Tư",
        phone="0977 123 456",
        email="bimat@example.vn",
        charter_capital=987_654_321,
        official_members=4321,
        employees=8765,
    )

    html = client.get(reverse("directory:list")).content.decode()

    assert "Hợp tác xã Công khai" in html
    assert "Xã Quang Tiến" in html and "04/05/2015" in html
    for private in (
        "Lê Thị Riêng Tư",
        "0977 123 456",
        "bimat@example.vn",
        "987.654.321",
        "987654321",
        "4321",
        "4.321",
        "8765",
        "8.765",
    ):
        assert private not in html, private
    # Private columns are not even loaded.
    org = client.get(reverse("directory:list")).context["page_obj"].object_list[0]
    assert {"representative", "phone", "email", "charter_capital", "official_members"} <= org.get_deferred_fields()


def test_directory_search_ignores_diacritics(client, org_tan_yen, org_hiep_hoa):
    assert names(client, q="rau an toan thanh van") == [org_hiep_hoa.name]
    assert names(client, q="QUANG TIEN") == [org_tan_yen.name]
    assert names(client, q="không có") == []


def test_directory_filters(client, org_tan_yen, org_hiep_hoa, commune_tan_yen, hiep_hoa):
    qtd = make_org(commune_tan_yen, kind="QTDND", sector="tin_dung", name="Quỹ tín dụng nhân dân Quang Tiến")
    assert names(client, kind="QTDND") == [qtd.name]
    assert names(client, sector="tin_dung") == [qtd.name]
    assert names(client, district=hiep_hoa.pk) == [org_hiep_hoa.name]
    # A bad value is ignored, not an error page.
    assert len(names(client, kind="XYZ")) == 3


def test_directory_is_paginated(client, commune_tan_yen):
    for i in range(52):
        make_org(commune_tan_yen, name=f"Hợp tác xã Danh bạ {i:02d}")
    response = client.get(reverse("directory:list"), {"q": "danh ba"})
    assert len(response.context["page_obj"].object_list) == 50
    assert 'href="?q=danh+ba&amp;page=2"' in response.content.decode()
    assert len(names(client, q="danh ba", page=2)) == 2


def test_directory_answers_htmx_with_the_results_only(client, org_tan_yen):
    response = client.get(reverse("directory:list"), {"q": "quang"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert org_tan_yen.name in html and "<html" not in html
    assert "HX-Request" in response["Vary"]
