"""Recording an award decision with its recipients in Debian's Chromium, and finding them in the counts."""

import pytest

from conftest import login
from hoptac.awards.models import Decision
from hoptac.core.models import Department, Role, User

pytestmark = pytest.mark.browser

PASSWORD = "mat-khau-thu-nghiem-1"


def test_awards_officer_records_a_decision_with_two_recipients(page, org_tan_yen):
    User.objects.create_user("thidua", password=PASSWORD, role=Role.STAFF, department=Department.AWARDS)
    login(page, "thidua")

    page.goto(page.base_url + "/awards/decisions/")
    page.click("#decision-new")
    page.fill("#id_number", "126/QĐ-UBND")
    page.fill("#id_on", "28/01/2021")
    page.select_option("#id_issuer", "province")
    page.select_option("#id_form", "merit")
    page.fill("#id_title", "Tặng Bằng khen của Chủ tịch UBND tỉnh năm 2020")
    page.click("#decision-form [type=submit]")
    page.wait_for_selector("#recipient-form")
    decision = Decision.objects.get(number="126/QĐ-UBND")

    # A collective: the cooperative from the register.
    page.select_option("#id_kind", "collective")
    page.select_option("#id_organization", str(org_tan_yen.pk))
    page.fill("#id_reason", "Thành tích xuất sắc năm 2020")
    page.click("#recipient-form [type=submit]")
    page.wait_for_selector(f"#recipients >> text={org_tan_yen.name}")

    # An individual, with their organisation.
    page.select_option("#id_kind", "individual")
    page.fill("#id_person_name", "Trần Thị Lan")
    page.fill("#id_position", "Giám đốc HTX")
    page.select_option("#id_organization", str(org_tan_yen.pk))
    page.click("#recipient-form [type=submit]")
    page.wait_for_selector("#recipients >> text=Trần Thị Lan")
    assert page.url.endswith(f"/awards/decisions/{decision.pk}/")
    assert page.locator("#recipients tbody tr").count() == 2

    # The counts of Q1 2021: one collective and one individual Bằng khen of the province, each a link.
    page.goto(page.base_url + "/awards/counts/?date_from=01/01/2021&date_to=15/03/2021")
    collective = page.locator('tr[data-key="province-merit-collective"] a')
    individual = page.locator('tr[data-key="province-merit-individual"] a')
    assert collective.inner_text() == "1" and individual.inner_text() == "1"
    individual.click()
    page.wait_for_selector("#recipients >> text=Trần Thị Lan")
    assert page.locator("#recipients tbody tr").count() == 1
