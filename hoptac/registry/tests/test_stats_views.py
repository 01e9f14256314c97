"""The statistics page, its drilldown lists and its xlsx: scope, consistency, CSP-safe markup."""

import datetime
import io
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_org
from hoptac.registry.models import EventKind
from hoptac.registry.services import event_record

pytestmark = pytest.mark.django_db
D = datetime.date
STATS = reverse("registry:stats")
DRILL = reverse("registry:stats_drilldown")
Q1 = {"as_of": "2021-03-15", "from": "2021-01-01"}


@pytest.fixture
def orgs(org_tan_yen, org_hiep_hoa, commune_tan_yen, commune_hiep_hoa):
    new = make_org(commune_tan_yen, name="Hợp tác xã Nấm Quang Tiến", founded_on=D(2021, 2, 2))
    tht = make_org(commune_hiep_hoa, kind="THT", name="Tổ hợp tác nuôi ong Thanh Vân", founded_on=D(2019, 2, 1))
    gone = make_org(commune_hiep_hoa, name="Hợp tác xã Vận tải Thanh Vân", sector="van_tai", founded_on=D(2010, 1, 4))
    event_record(organization=gone, kind=EventKind.DISSOLVED, on=D(2021, 1, 20))
    return {"tan_yen": org_tan_yen, "hiep_hoa": org_hiep_hoa, "new": new, "tht": tht, "gone": gone}


def drilldown_links(html: str) -> list[tuple[str, str]]:
    """(url, text) of every link to a drilldown on the page."""
    links = re.findall(r'<a href="([^"]*stats/organizations/[^"]*)"[^>]*>(.*?)</a>', html, re.S)
    return [(unescape(url), re.sub(r"<[^>]+>", "", text).strip()) for url, text in links]


def test_anonymous_is_sent_to_login(client):
    for url in (STATS, DRILL):
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_staff_see_the_whole_province_with_a_chart_and_no_inline_style_or_script(client, staff, orgs):
    client.force_login(staff)
    response = client.get(STATS, Q1)
    assert response.status_code == 200
    stats = response.context["stats"]
    assert stats.active == {"HTX": 3, "LHHTX": 0, "QTDND": 0, "THT": 1}
    assert stats.founded["HTX"] == 1 and stats.dissolved["HTX"] == 1
    html = response.content.decode()
    assert "<svg" in html and 'class="bar bar-HTX"' in html
    # The CSP allows no style attribute, no inline script, no event handler attribute.
    assert " style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert not re.search(r"\son[a-z]+=", html)
    assert "registry/stats.css" in html


def test_defaults_to_today_and_districts_then(client, staff, orgs):
    client.force_login(staff)
    response = client.get(STATS)
    stats = response.context["stats"]
    assert stats.grouping == "then" and stats.date_from is None
    assert stats.as_of == timezone.localdate()
    assert stats.active["HTX"] == 3  # the dissolved one is gone, the 2021 one has come


def test_area_officer_counts_only_their_area(client, officer, orgs):
    client.force_login(officer)
    response = client.get(STATS, Q1)
    stats = response.context["stats"]
    assert stats.active == {"HTX": 2, "LHHTX": 0, "QTDND": 0, "THT": 0}
    assert [a["area"] for a in stats.areas] == ["Huyện Tân Yên"]
    assert response.context["scope"] == "Huyện Tân Yên"
    listed = client.get(DRILL, {"as_of": "2021-03-15", "kind": "HTX"}).context["page_obj"].object_list
    assert {o.pk for o in listed} == {orgs["tan_yen"].pk, orgs["new"].pk}


def test_a_cooperative_account_counts_only_itself(client, coop_user, orgs):
    client.force_login(coop_user)
    stats = client.get(STATS, Q1).context["stats"]
    assert stats.total_active == 1


@pytest.mark.parametrize("grouping", ["then", "now"])
def test_every_count_on_the_page_links_to_a_list_of_that_many(client, staff, orgs, grouping):
    client.force_login(staff)
    html = client.get(STATS, {**Q1, "grouping": grouping}).content.decode()
    links = drilldown_links(html)
    assert len(links) > 20
    for url, text in links:
        if not text.split()[0].replace(".", "").isdigit():
            continue  # an area label in the chart
        response = client.get(url)
        assert response.status_code == 200, url
        figure = int(text.split()[0].replace(".", ""))
        assert response.context["page_obj"].paginator.count == figure, (url, text)
        assert parse_qs(urlsplit(url).query)["grouping"] == [grouping]


def test_drilldown_lists_name_code_commune_and_founding_date(client, staff, orgs):
    client.force_login(staff)
    response = client.get(DRILL, {"as_of": "2021-03-15", "from": "2021-01-01", "kind": "HTX", "measure": "founded"})
    html = response.content.decode()
    assert [o.pk for o in response.context["page_obj"]] == [orgs["new"].pk]
    assert "Hợp tác xã Nấm Quang Tiến" in html and orgs["new"].code in html
    assert "Xã Quang Tiến" in html and "02/02/2021" in html
    assert reverse("registry:detail", args=[orgs["new"].pk]) in html


def test_drilldown_with_a_broken_link_says_so(client, staff, orgs):
    client.force_login(staff)
    for params in ({"as_of": "2021-02-30"}, {"kind": "XYZ"}, {"area": "abc"}, {"measure": "founded"}):
        response = client.get(DRILL, params)
        assert response.status_code == 400 and response.context["page_obj"] is None


def test_a_bad_date_shows_the_error_and_todays_figures(client, staff, orgs):
    client.force_login(staff)
    response = client.get(STATS, {"as_of": "31/02/2021"})
    assert response.status_code == 200
    assert response.context["form"].errors["as_of"]
    assert response.context["stats"].as_of == timezone.localdate()
    response = client.get(STATS, {"as_of": "2021-03-15", "from": "2021-06-01"})
    assert response.context["form"].errors["from"] and response.context["stats"].date_from is None


def test_dd_mm_yyyy_is_accepted(client, staff, orgs):
    client.force_login(staff)
    stats = client.get(STATS, {"as_of": "15/03/2021", "from": "01/01/2021"}).context["stats"]
    assert stats.as_of == D(2021, 3, 15) and stats.date_from == D(2021, 1, 1)


def test_quick_periods_are_the_quarters_and_the_year(client, staff, orgs):
    client.force_login(staff)
    html = unescape(client.get(STATS, {"as_of": "2021-03-15", "year": "2021"}).content.decode())
    # Links carry dates as people read them, so the form shows 01/01/2021, not 2021-01-01.
    assert "from=01%2F01%2F2021&as_of=31%2F03%2F2021" in html
    assert "from=01%2F10%2F2021&as_of=31%2F12%2F2021" in html
    assert "from=01%2F01%2F2021&as_of=31%2F12%2F2021" in html


def test_xlsx_has_the_same_figures_as_numbers(client, staff, orgs):
    client.force_login(staff)
    response = client.get(STATS, {**Q1, "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "thong-ke-kttt-2021-03-15.xlsx" in response["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["Tổng hợp", "Theo loại hình và lĩnh vực", "Theo địa bàn"]
    rows = {r[0]: r[1:] for r in wb["Tổng hợp"].iter_rows(values_only=True) if r and r[0]}
    assert rows["Hợp tác xã (HTX)"][:3] == (3, 1, 1)  # active, founded, ended
    areas = {r[0]: r for r in wb["Theo địa bàn"].iter_rows(values_only=True) if r and r[0]}
    assert areas["Huyện Tân Yên"][2] == 2 and isinstance(areas["Huyện Tân Yên"][2], int)
    assert areas["Tổng cộng"][-1] == 4


def test_xlsx_of_an_area_officer_names_the_scope(client, officer, orgs):
    client.force_login(officer)
    response = client.get(STATS, {**Q1, "format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Tổng hợp"]
    assert any("Huyện Tân Yên" in str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    areas = [
        r[0]
        for r in openpyxl.load_workbook(io.BytesIO(response.content))["Theo địa bàn"].iter_rows(values_only=True)
        if r and r[0]
    ]
    assert "Huyện Hiệp Hòa" not in areas


def test_pages_take_a_fixed_number_of_queries(client, staff, orgs, commune_tan_yen, django_assert_max_num_queries):
    client.force_login(staff)
    for i in range(30):
        make_org(commune_tan_yen, name=f"Hợp tác xã Rau sạch Quang Tiến số {i}", founded_on=D(2016, 1, 4))
    for url, params in ((STATS, Q1), (STATS, {**Q1, "grouping": "now"}), (DRILL, {"as_of": "2021-03-15"})):
        with django_assert_max_num_queries(14):
            assert client.get(url, params).status_code == 200
