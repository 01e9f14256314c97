"""The "Báo cáo" category lists the published reports, filterable by year and period, with the files."""

import pytest
from django.urls import reverse

from hoptac.portal import selectors

from .conftest import issued_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(tree):
    return {
        "q1": issued_report(2021, 1),
        "q4": issued_report(2020, 4),
        "q1-2020": issued_report(2020, 1),
        "hidden": issued_report(2021, 2, published=False),
    }


def test_archive_lists_published_reports_newest_first(client, archive_page, reports):
    response = client.get(archive_page.url)
    rows = [row["report"] for row in response.context["archive"].reports]
    assert rows == [reports["q1"], reports["q4"], reports["q1-2020"]]
    html = response.content.decode()
    assert reverse("public_reports:file", args=[reports["q1"].pk, "pdf"]) in html
    assert reverse("public_reports:file", args=[reports["q1"].pk, "docx"]) in html
    assert "quý II năm 2021" not in html


def test_archive_filters_by_year_and_period(client, archive_page, reports):
    by_year = client.get(archive_page.url, {"year": "2020"}).context["archive"]
    assert [r["report"] for r in by_year.reports] == [reports["q4"], reports["q1-2020"]]
    by_period = client.get(archive_page.url, {"period": "quarter-1"}).context["archive"]
    assert [r["report"] for r in by_period.reports] == [reports["q1"], reports["q1-2020"]]
    both = client.get(archive_page.url, {"year": "2020", "period": "quarter-4"}).context["archive"]
    assert [r["report"] for r in both.reports] == [reports["q4"]]
    assert both.years == [2021, 2020]
    assert both.periods == [("quarter-1", "Quý 1"), ("quarter-4", "Quý 4")]


def test_unknown_filters_are_ignored(reports):
    archive = selectors.report_archive(year="abc", period="<script>")
    assert len(archive.reports) == 3 and not archive.filtered


def test_no_match_says_so(client, archive_page, reports):
    html = client.get(archive_page.url, {"year": "2021", "period": "quarter-4"}).content.decode()
    assert "Không có báo cáo đã công bố cho năm và kỳ này." in html


def test_archive_costs_the_same_queries_for_any_number_of_reports(client, archive_page, tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    issued_report(2021, 1)
    client.get(archive_page.url)  # Wagtail caches the site's root paths on the first view
    with CaptureQueriesContext(connection) as few:
        client.get(archive_page.url)
    for year in range(2015, 2021):
        issued_report(year, 2)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(archive_page.url).context["archive"].reports) == 7
    assert len(many) == len(few) <= 15
