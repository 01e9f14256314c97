"""The statistics pages: who may see them, what they count, the links behind every figure, the xlsx."""

import io
import re
from html import unescape

import openpyxl
import pytest
from django.urls import reverse

from conftest import make_org
from hoptac.core.models import User

from .conftest import MILLION, annual, file_return

pytestmark = pytest.mark.django_db
INDEX = reverse("analytics:index")
CELL = reverse("analytics:cell")
GRADES = reverse("analytics:grades")
GRADES_CELL = reverse("analytics:grades_cell")
URLS = [INDEX, CELL + "?form=annual_htx&period=2020", GRADES, GRADES_CELL + "?year=2020"]


def links(html: str, path: str, *, headline: bool = True) -> list[tuple[str, str]]:
    """(url, text) of every link to path in the page's tables and headline figures (the chart's bars have no text)."""
    parts = r"<table.*?</table>|<ul class=\"figures.*?</ul>" if headline else r"<table.*?</table>"
    html = "".join(re.findall(parts, html, re.S))
    found = re.findall(rf'<a [^>]*href="({re.escape(path)}\?[^"]*)"[^>]*>(.*?)</a>', html, re.S)
    return [(unescape(url), re.sub(r"<[^>]+>", "", text).strip()) for url, text in found]


def figures(html: str) -> list[str]:
    block = html.split('id="cell-figures"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'class="figure-value">([^<]*)<', block)


# ---------------------------------------------------------------- access


@pytest.mark.parametrize("url", URLS)
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize("url", URLS)
def test_a_cooperative_account_gets_403(client, coop_user, url):
    client.force_login(coop_user)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", URLS)
def test_an_account_without_a_role_gets_403(client, db, url):
    nobody = User.objects.create_user("nobody", password="mat-khau-thu-nghiem-1", role="")
    client.force_login(nobody)
    assert client.get(url).status_code == 403


def test_staff_see_the_whole_province_with_a_chart_and_no_inline_style_or_script(client, staff, province):
    client.force_login(staff)
    response = client.get(INDEX)
    assert response.status_code == 200
    stats = response.context["stats"]
    assert stats.form.code == "annual_htx" and stats.period.code == "2020"  # the newest period with returns
    assert stats.total.n == 6
    html = response.content.decode()
    assert "<svg" in html and "achart-bar series-0" in html
    assert " style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert not re.search(r"\son[a-z]+=", html)
    assert "analytics/analytics.css" in html
    # The national standard figures, as headline cards.
    assert 'id="figure-revenue"' in html and "68.900.000.000" in html
    assert 'id="figure-avg_income"' in html and "81.806.723" in html


def test_an_area_officer_counts_only_the_organisations_of_their_area(client, officer, province, tan_yen):
    client.force_login(officer)
    response = client.get(INDEX, {"form": "annual_htx", "period": "2020", "measures": "organizations"})
    assert response.status_code == 200
    assert response.context["stats"].total.n == 3
    assert [r.label for r in response.context["pivot"].rows] == ["Huyện Tân Yên"]
    assert "Huyện Tân Yên" in response.content.decode()
    # A link to another district's cell lists nothing of it.
    hiep_hoa_org = province["orgs"]["agri_mid"]
    response = client.get(CELL, {"form": "annual_htx", "period": "2020", "area": hiep_hoa_org.commune.parent_id})
    assert response.status_code == 200 and hiep_hoa_org.name not in response.content.decode()
    assert response.context["page_obj"].paginator.count == 0


# ---------------------------------------------------------------- figures and their lists


@pytest.mark.parametrize(
    "arrangement",
    [
        {"rows": "area"},
        {"rows": "kind", "columns": "size"},
        {"rows": "group", "columns": "area", "grouping": "now"},
        {"rows": "size", "columns": "sector", "include_submitted": "on"},
    ],
)
def test_every_figure_on_the_page_opens_a_list_that_gives_that_figure(client, staff, province, arrangement):
    client.force_login(staff)
    params = {"form": "annual_htx", "period": "2020", "measures": ["organizations", "revenue", "avg_income"]}
    response = client.get(INDEX, {**params, **arrangement})
    assert response.status_code == 200
    found = links(response.content.decode(), CELL)
    assert len(found) > 10
    for url, text in found:
        page = client.get(url)
        assert page.status_code == 200, url
        assert text in figures(page.content.decode()), (url, text)


def test_a_count_opens_a_list_of_that_many_returns(client, staff, province):
    client.force_login(staff)
    response = client.get(INDEX, {"form": "annual_htx", "period": "2020", "rows": "kind", "measures": "organizations"})
    found = links(response.content.decode(), CELL, headline=False)
    assert [text for _url, text in found] == ["4", "1", "1", "6"]  # HTX, LHHTX, QTDND, total
    for url, text in found:
        assert client.get(url).context["page_obj"].paginator.count == int(text.replace(".", ""))


def test_the_list_shows_each_organisation_with_its_values(client, staff, province):
    client.force_login(staff)
    response = client.get(CELL, {"form": "annual_htx", "period": "2020", "size": "ge100", "measures": "revenue"})
    html = response.content.decode()
    assert "Liên hiệp HTX Lục Nam" in html and "40.000.000.000" in html
    assert reverse("registry:detail", args=[province["orgs"]["union"].pk]) in html


def test_year_over_year_shows_both_years_and_the_change(client, staff, province):
    client.force_login(staff)
    response = client.get(
        INDEX, {"form": "annual_htx", "period": "2020", "rows": "group", "measures": "revenue", "yoy": "on"}
    )
    html = response.content.decode()
    assert "Năm 2019" in html and "Năm 2020" in html
    assert "+400.000.000" in html and "+5,9%" in html
    assert "series-prev" in html  # last year's bars beside this year's
    # Last year's figures open last year's list.
    assert any("period=2019" in url for url, _text in links(html, CELL))


def test_a_loss_is_drawn_left_of_the_zero_line_and_marked(client, staff, province):
    client.force_login(staff)
    response = client.get(INDEX, {"form": "annual_htx", "period": "2020", "rows": "sector", "measures": "profit"})
    html = response.content.decode()
    assert '<td class="num negative"><a' in html and "-150.000.000" in html
    chart = response.context["chart"]
    trade = next(b for b in chart["bars"] if b["label"] == "Thương mại - Dịch vụ")
    assert float(trade["segments"][0]["x"]) < float(chart["zero_x"])


def test_switching_to_a_quarterly_form_goes_to_its_newest_quarter(client, staff, province):
    file_return(None, "alliance_quarterly", 2021, {"q_htx_founded": 12}, quarter=1)
    client.force_login(staff)
    response = client.get(INDEX, {"form": "alliance_quarterly", "period": "2020", "rows": "area"})
    assert response.status_code == 200
    assert response.context["stats"].period.code == "2021Q1"
    assert response.context["stats"].value("q_htx_founded") == 12


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"period": "20x0"}, "Ghi kỳ là năm (2020) hoặc quý (2021Q1)."),
        ({"rows": "kind", "columns": "kind"}, "Hãy chọn hai chiều khác nhau cho hàng và cột."),
    ],
)
def test_bad_choices_say_what_is_wrong_in_vietnamese(client, staff, province, params, message):
    client.force_login(staff)
    response = client.get(INDEX, {"form": "annual_htx", "period": "2020", **params})
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"form": "annual_htx", "period": "2021Q1"},  # a yearly form has no quarters
        {"form": "nope", "period": "2020"},
        {"form": "annual_htx", "period": "2020", "kind": "XYZ"},
        {"form": "annual_htx", "period": "2020", "area": "Tân Yên"},
        {"form": "annual_htx"},
    ],
)
def test_a_broken_list_link_says_so(client, staff, province, params):
    client.force_login(staff)
    response = client.get(CELL, params)
    assert response.status_code == 400
    assert "Đường dẫn không hợp lệ." in response.content.decode()


# ---------------------------------------------------------------- xlsx


def test_xlsx_has_the_table_as_numbers_in_vietnamese(client, staff, province):
    client.force_login(staff)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    params = {"form": "annual_htx", "period": "2020", "rows": "group", "measures": ["organizations", "revenue"]}
    response = client.get(INDEX, {**params, "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="thong-ke-annual_htx-2020.xlsx"'
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "Báo cáo tình hình hoạt động năm của HTX, LHHTX"
    assert rows[1][0] == "Năm 2020"
    header = next(r for r in rows if r[0] == "Nhóm theo thống kê quốc gia")
    assert list(header[1:3]) == ["Số tổ chức báo cáo", "Doanh thu (đồng)"]
    body = {r[0]: r[1:3] for r in rows if r[0]}
    assert body["Nông nghiệp"] == (2, 7_200 * MILLION)
    assert body["Tổng cộng"] == (6, 68_900 * MILLION)
    assert isinstance(body["Tổng cộng"][1], int)


def test_xlsx_year_over_year_adds_the_change_in_per_cent(client, staff, province):
    client.force_login(staff)
    params = {"form": "annual_htx", "period": "2020", "rows": "group", "measures": "revenue", "yoy": "on"}
    ws = openpyxl.load_workbook(io.BytesIO(client.get(INDEX, {**params, "format": "xlsx"}).content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert ("Năm 2019", "Năm 2020", "Thay đổi", "Thay đổi (%)") in [r[1:5] for r in rows]
    agri = next(r for r in rows if r[0] == "Nông nghiệp")
    assert agri[1:5] == (6_800 * MILLION, 7_200 * MILLION, 400 * MILLION, 5.9)


# ---------------------------------------------------------------- queries


def test_pages_take_a_fixed_number_of_queries(
    client, staff, province, grades, commune_tan_yen, django_assert_max_num_queries
):
    client.force_login(staff)
    pivot = {"form": "annual_htx", "period": "2020", "rows": "area", "columns": "kind", "yoy": "on"}
    pages = [
        (INDEX, pivot),
        (INDEX, {**pivot, "grouping": "now", "yoy": ""}),
        (CELL, {"form": "annual_htx", "period": "2020"}),
        (GRADES, {"year": "2020"}),
        (GRADES_CELL, {"year": "2020"}),
    ]
    for url, params in pages:
        client.get(url, params)  # warm the units cache
        with django_assert_max_num_queries(16):
            assert client.get(url, params).status_code == 200
    for i in range(30):
        org = make_org(commune_tan_yen, name=f"Hợp tác xã Rau sạch Quang Tiến số {i}")
        file_return(org, "annual_htx", 2020, annual(10 + i, 4 + i * 4, 100, 200, 300 + i, 10, 40))
        file_return(org, "annual_htx", 2019, annual(9 + i, 3 + i * 4, 100, 200, 280 + i, 9, 38))
    for url, params in pages:
        with django_assert_max_num_queries(16):
            assert client.get(url, params).status_code == 200


def test_an_area_officers_pivot_takes_a_fixed_number_of_queries(
    client, officer, province, commune_tan_yen, django_assert_max_num_queries
):
    client.force_login(officer)
    params = {"form": "annual_htx", "period": "2020", "yoy": "on"}
    client.get(INDEX, params)
    with django_assert_max_num_queries(18):
        assert client.get(INDEX, params).status_code == 200
    for i in range(20):
        org = make_org(commune_tan_yen, name=f"Hợp tác xã Rau sạch số {i}")
        file_return(org, "annual_htx", 2020, annual(10, 5 + i, 100, 200, 300, 10, 40))
    with django_assert_max_num_queries(18):
        assert client.get(INDEX, params).status_code == 200


# ---------------------------------------------------------------- grades and the organisation page


def test_grades_page_counts_and_lists(client, staff, grades, tan_yen):
    client.force_login(staff)
    response = client.get(GRADES, {"year": "2020"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="grades-by-area"' in html and 'id="grades-by-kind"' in html and "<svg" in html
    found = links(html, GRADES_CELL)
    assert found
    for url, text in found:
        page = client.get(url)
        assert page.status_code == 200
        assert page.context["page_obj"].paginator.count == int(text)


def test_english_labels_when_english_is_chosen(client, staff, province):
    client.force_login(staff)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(INDEX, {"form": "annual_htx", "period": "2020", "measures": ["organizations", "revenue"]})
    html = response.content.decode()
    assert "Organisations reporting" in html and "Revenue (đồng)" in html
    assert "Statistics from returns" in html


def test_the_organisation_page_shows_its_returns_and_grades(client, staff, grades):
    client.force_login(staff)
    org = grades["orgs"]["agri_small"]
    html = client.get(reverse("registry:detail", args=[org.pk])).content.decode()
    assert 'id="org-grades"' in html and 'id="org-returns"' in html and 'id="org-gradings"' in html
    assert "Đã duyệt" in html and "Tốt" in html and "85" in html
