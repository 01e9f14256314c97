"""A value-chain officer scores a candidate in Debian's Chromium and sees the ranking change."""

import datetime

import pytest

from conftest import login
from hoptac.core.models import Department, Role, User
from hoptac.valuechain import services
from hoptac.valuechain.services import Score

pytestmark = pytest.mark.browser

PASSWORD = "mat-khau-thu-nghiem-1"
D = datetime.date


def test_officer_records_scores_and_the_candidate_moves_up_the_ranking(page, org_tan_yen, org_hiep_hoa):
    officer = User.objects.create_user("chuoi", password=PASSWORD, role=Role.STAFF, department=Department.VALUE_CHAIN)
    programme = services.programme_create(name="Hỗ trợ xây dựng chuỗi giá trị năm 2021", year_from=2021, by=officer)
    first = services.criterion_add(
        programme=programme, text="Tổ chức theo Luật HTX 2012", max_score=10, required=True, pass_score=5, by=officer
    )
    second = services.criterion_add(programme=programme, text="Quy mô sản xuất", max_score=20, weight=2, by=officer)
    third = services.criterion_add(programme=programme, text="Liên kết tiêu thụ", max_score=50, by=officer)
    services.programme_set_status(programme=programme, status="survey", by=officer)
    rival = services.survey_create(
        programme=programme, organization=org_hiep_hoa, surveyed_on=D(2021, 3, 1), status="under_way", by=officer
    )
    services.survey_score(
        survey=rival, answers={first: Score(8), second: Score(15), third: Score(40)}, by=officer
    )  # 78
    services.survey_mark_done(survey=rival, done_on=D(2021, 3, 3), by=officer)
    candidate = services.survey_create(
        programme=programme, organization=org_tan_yen, surveyed_on=D(2021, 3, 2), status="under_way", by=officer
    )

    login(page, "chuoi")
    page.goto(page.base_url + f"/value-chains/programmes/{programme.pk}/")
    rows = page.locator("#ranking-table tbody tr")
    assert rows.nth(0).get_attribute("data-survey") == str(rival.pk)
    assert rows.nth(0).locator(".rank").inner_text() == "1"
    assert rows.nth(1).locator(".rank").inner_text() == "—"

    # Open the candidate's survey and record every score on one form.
    rows.nth(1).locator("td.name a").click()
    page.click("#record-scores")
    page.fill(f"#id_score_{first.pk}", "10")
    page.fill(f"#id_text_{first.pk}", "Đăng ký lại theo Luật HTX 2012, đại hội thường niên đầy đủ")
    page.fill(f"#id_score_{second.pk}", "25")  # above the maximum of 20: refused on its row
    page.fill(f"#id_score_{third.pk}", "45")
    page.click("#answers-form [type=submit]")
    page.wait_for_selector(f"#criterion-{second.pk} .errorlist")
    page.fill(f"#id_score_{second.pk}", "18")
    page.click("#answers-form [type=submit]")
    page.wait_for_selector("#done-form")
    assert page.inner_text("#total-score") == "91 / 100"

    page.fill("#id_done_on", "05/03/2021")
    page.click("#done-form [type=submit]")
    page.wait_for_selector("#survey-status >> text=Đã xong")

    # Back on the programme: the candidate now ranks first, the rival second.
    page.goto(page.base_url + f"/value-chains/programmes/{programme.pk}/")
    rows = page.locator("#ranking-table tbody tr")
    assert rows.nth(0).get_attribute("data-survey") == str(candidate.pk)
    assert [rows.nth(i).locator(".rank").inner_text() for i in range(2)] == ["1", "2"]
    assert rows.nth(0).locator(".total").inner_text() == "91 / 100"
