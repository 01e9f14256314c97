"""Visit counting: one counter per page and day, nothing about the visitor."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from hoptac.portal import selectors
from hoptac.portal.models import DailyVisits
from hoptac.portal.services import visit_record

from .conftest import publish

pytestmark = pytest.mark.django_db
BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"
D = datetime.date


def counts() -> dict[str, int]:
    return dict(DailyVisits.objects.values_list("path", "count"))


def test_public_page_views_are_counted_per_page_and_day(client, news):
    article = publish(news, "Hội nghị tổng kết năm 2020")
    for _ in range(3):
        client.get("/", HTTP_USER_AGENT=BROWSER)
    client.get(article.url, HTTP_USER_AGENT=BROWSER)
    client.get(article.url + "?utm_source=zalo", HTTP_USER_AGENT=BROWSER)
    assert counts() == {"/": 3, article.url: 2}
    assert set(DailyVisits.objects.values_list("day", flat=True)) == {timezone.localdate()}


def test_no_personal_data_is_stored():
    # The table has a day, a path and a number: no address, cookie, browser or user.
    assert {f.name for f in DailyVisits._meta.get_fields()} == {"id", "day", "path", "count"}


def test_counting_sets_no_cookie(client, tree):
    response = client.get("/", HTTP_USER_AGENT=BROWSER)
    # The only cookie is the CSRF token of the page's language switch form: no visitor id.
    assert set(response.cookies) <= {"csrftoken"}
    assert counts() == {"/": 1}


@pytest.mark.parametrize(
    "agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0)",
        "facebookexternalhit/1.1",
        "curl/8.5.0",
        "python-requests/2.32",
        "Mozilla/5.0 HeadlessChrome/120.0",
        "",
    ],
)
def test_robots_and_scripts_are_not_counted(client, tree, agent):
    client.get("/", HTTP_USER_AGENT=agent)
    assert counts() == {}


def test_static_files_cms_admin_feeds_and_errors_are_not_counted(client, tree):
    for path in ["/static/core/app.css", "/cms/login/", "/admin/login/", reverse("portal:rss"), "/portal/khong-co/"]:
        client.get(path, HTTP_USER_AGENT=BROWSER)
    client.post("/", HTTP_USER_AGENT=BROWSER)
    client.get("/", HTTP_USER_AGENT=BROWSER, HTTP_HX_REQUEST="true")
    client.get("/", HTTP_USER_AGENT=BROWSER, HTTP_SEC_PURPOSE="prefetch")
    assert counts() == {}


def test_staff_pages_and_the_alliances_own_staff_are_not_counted(client, staff, coop_user):
    client.force_login(staff)
    client.get("/", HTTP_USER_AGENT=BROWSER)
    client.get(reverse("registry:list"), HTTP_USER_AGENT=BROWSER)
    assert counts() == {}
    client.force_login(coop_user)
    client.get(reverse("registry:list"), HTTP_USER_AGENT=BROWSER)  # a staff page, even for this account
    client.get("/", HTTP_USER_AGENT=BROWSER)  # a public page: a reader like any other
    assert counts() == {"/": 1}


def test_a_counter_failure_never_costs_the_visitor_the_page(client, tree, monkeypatch):
    from django.db import DatabaseError

    def broken(**kwargs):
        raise DatabaseError("database is locked")

    monkeypatch.setattr("hoptac.portal.middleware.visit_record", broken)
    assert client.get("/", HTTP_USER_AGENT=BROWSER).status_code == 200


def test_counting_costs_one_query_once_the_days_row_exists(tree, django_assert_num_queries):
    visit_record(path="/", day=D(2021, 3, 1))
    with django_assert_num_queries(1):
        visit_record(path="/", day=D(2021, 3, 1))
    assert DailyVisits.objects.get(path="/").count == 2


def test_visits_per_day_averages_over_every_calendar_day():
    DailyVisits.objects.bulk_create(
        [
            DailyVisits(day=D(2021, 1, 1), path="/", count=200),
            DailyVisits(day=D(2021, 1, 1), path="/directory/", count=100),
            DailyVisits(day=D(2021, 1, 3), path="/", count=301),
            DailyVisits(day=D(2021, 4, 1), path="/", count=999),  # outside
        ]
    )
    summary = selectors.visits_per_day(D(2021, 1, 1), D(2021, 1, 3))
    assert summary == (601, 3, 200)
    assert (summary.total, summary.days, summary.average) == (601, 3, 200)
    assert selectors.visits_per_day(D(2021, 1, 2), D(2021, 1, 1)) == (0, 0, 0)
    assert selectors.daily_visits(D(2021, 1, 1), D(2021, 1, 3)) == [
        (D(2021, 1, 1), 300),
        (D(2021, 1, 2), 0),
        (D(2021, 1, 3), 301),
    ]
    assert selectors.top_pages(D(2021, 1, 1), D(2021, 1, 3)) == [("/", 501), ("/directory/", 100)]


def test_visits_page_is_for_the_alliances_staff(client, staff, coop_user, officer):
    url = reverse("portal:visits")
    assert client.get(url).status_code == 302
    for outsider in (coop_user, officer):
        client.force_login(outsider)
        assert client.get(url).status_code == 403
    client.force_login(staff)
    assert client.get(url).status_code == 200


def test_visits_page_shows_the_days_and_top_pages_of_the_range(client, staff, django_assert_max_num_queries):
    for day in range(1, 32):
        DailyVisits.objects.create(day=D(2021, 1, day), path="/", count=300)
        DailyVisits.objects.create(day=D(2021, 1, day), path=f"/portal/tin-tuc/tin-{day}/", count=day)
    client.force_login(staff)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("portal:visits"), {"date_from": "01/01/2021", "date_to": "31/01/2021"})
    assert response.context["summary"] == (9300 + 496, 31, 316)
    html = response.content.decode()
    assert "/portal/tin-tuc/tin-31/" in html
    assert "<meter" in html


def test_visits_page_refuses_a_reversed_range_in_vietnamese(client, staff):
    client.force_login(staff)
    response = client.get(reverse("portal:visits"), {"date_from": "31/03/2021", "date_to": "01/01/2021"})
    assert "Ngày kết thúc trước ngày bắt đầu." in response.content.decode()


def test_home_links_the_alliances_staff_to_the_visit_counts(client, staff, tree):
    assert reverse("portal:visits") not in client.get("/").content.decode()
    client.force_login(staff)
    assert reverse("portal:visits") in client.get("/").content.decode()
