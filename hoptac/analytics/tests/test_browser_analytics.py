"""Arranging the pivot in Debian's Chromium, and opening the organisations behind a figure."""

import pytest

from conftest import login
from hoptac.core.models import Department, Role, User

pytestmark = pytest.mark.browser
PASSWORD = "mat-khau-thu-nghiem-1"


def test_staff_arrange_the_pivot_and_open_the_list_behind_a_figure(page, province):
    User.objects.create_user("thongke", password=PASSWORD, role=Role.STAFF, department=Department.REGISTRY)
    login(page, "thongke")

    page.goto(page.base_url + "/returns/statistics/")
    assert page.locator("#headline #figure-organizations .figure-value").inner_text() == "6"
    assert page.locator("#pivot-chart").is_visible()

    # Types as rows, the national split as columns, only the count and the revenue, against 2019.
    page.select_option("#id_rows", "kind")
    page.select_option("#id_columns", "group")
    for box in page.locator("#measure-picker input[type=checkbox]").all():
        box.uncheck()
    page.check("#measure-picker input[value=organizations]")
    page.check("#measure-picker input[value=revenue]")
    page.check("#id_yoy")
    page.click("#pivot-form [type=submit]")
    page.wait_for_selector("#pivot >> text=Năm 2019")

    htx = page.locator("#pivot tbody tr", has_text="Hợp tác xã (HTX)")
    # Agricultural cooperatives: 2 in 2019, 2 in 2020; the link of 2020's opens its list.
    cells = htx.locator("td")
    assert [cells.nth(i).inner_text().split("\n")[0] for i in range(3)] == ["2", "2", "±0"]
    cells.nth(1).locator("a").click()
    page.wait_for_selector("#cell-list")
    assert page.locator("#cell-list tbody tr").count() == 2
    assert "Hợp tác xã Nông nghiệp Quang Tiến" in page.locator("#cell-list").inner_text()
    assert page.locator("#cell-figures .figure-value").first.inner_text() == "2"

    # Back to the table, then the Excel file of it.
    page.click("text=Quay lại thống kê")
    page.wait_for_selector("#pivot")
    assert page.locator("#id_rows").input_value() == "kind" and page.locator("#id_yoy").is_checked()
    with page.expect_download() as download:
        page.click("#pivot-xlsx")
    assert download.value.suggested_filename == "thong-ke-annual_htx-2020.xlsx"
