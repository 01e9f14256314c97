"""The office writes the quarter's report, edits it, issues it and publishes it, in Debian's Chromium."""

import datetime

import pytest

from conftest import PASSWORD, login, make_org
from hoptac.briefing.models import Report
from hoptac.core.models import Department, Role, User

pytestmark = pytest.mark.browser
D = datetime.date


def test_the_office_writes_issues_and_publishes_the_quarterly_report(page, commune_tan_yen):
    make_org(commune_tan_yen, name="HTX Mới Quý Một", founded_on=D(2021, 2, 1))
    User.objects.create_user("vanphong", password=PASSWORD, role=Role.STAFF, department=Department.OFFICE)
    login(page, "vanphong")

    page.goto(page.base_url + "/reports/")
    page.click("#report-new")
    page.select_option("#id_period_kind", "quarter")
    page.fill("#id_year", "2021")
    page.select_option("#id_quarter", "1")
    page.fill("#id_as_of", "15/03/2021")
    page.click("#report-form [type=submit]")
    page.wait_for_selector("#report-edit")
    assert "nâng tổng số HTX đang hoạt động" in page.inner_text(".preview")

    page.fill("#text_advising", "Tham mưu xây dựng báo cáo tình hình HTX.")
    page.click("#save")
    page.wait_for_selector(".preview >> text=Tham mưu xây dựng báo cáo tình hình HTX.")

    page.fill("#id_issued_on", "16/03/2021")
    page.fill("#id_signer_title", "Phó Chánh Văn phòng")
    page.fill("#id_signer_name", "Nguyễn Văn Tùng")
    page.click("#issue")
    page.wait_for_selector("#publish")
    assert "01/BC-LMHTX" in page.inner_text("h1")
    with page.expect_download() as download:
        page.click("#dl-docx")
    assert download.value.suggested_filename == "bao-cao-01-2021.docx"

    page.click("#publish")
    report = Report.objects.get()
    page.goto(page.base_url + "/bao-cao/")
    page.click(f"text={report.title}")
    page.wait_for_selector(".paper")
    assert "Quý 1" in page.inner_text(".report-facts")
