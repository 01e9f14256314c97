"""Awards in Debian's Chromium: a decision with recipients chosen in the organisation picker, a list
imported from Excel, and both found in the counts."""

import datetime

import pytest

from conftest import login
from hoptac.awards import services
from hoptac.awards.models import Decision
from hoptac.core.models import Department, Role, User

from .conftest import xlsx

pytestmark = pytest.mark.browser

PASSWORD = "mat-khau-thu-nghiem-1"


def pick(page, text: str, name: str) -> None:
    """Type into the organisation picker and choose the option naming name."""
    page.fill("#id_organization", "")
    page.type("#id_organization", text)
    option = page.locator("#id_organization_options li[data-pk]", has_text=name)
    option.first.wait_for()
    option.first.click()
    assert name in page.input_value("#id_organization")


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

    # A collective: the cooperative from the register, found without diacritics.
    page.select_option("#id_kind", "collective")
    pick(page, "quang tien", org_tan_yen.name)
    assert page.input_value("#id_organization_pk") == str(org_tan_yen.pk)
    page.fill("#id_reason", "Thành tích xuất sắc năm 2020")
    page.click("#recipient-form [type=submit]")
    page.wait_for_selector(f"#recipients >> text={org_tan_yen.name}")

    # An individual, with their organisation, chosen with the keyboard.
    page.select_option("#id_kind", "individual")
    page.fill("#id_person_name", "Trần Thị Lan")
    page.fill("#id_position", "Giám đốc HTX")
    page.type("#id_organization", "2400000001")
    page.locator("#id_organization_options li[data-pk]").first.wait_for()
    page.press("#id_organization", "ArrowDown")
    page.press("#id_organization", "Enter")
    assert page.input_value("#id_organization_pk") == str(org_tan_yen.pk)
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


def test_awards_officer_imports_recipients_from_excel_and_sees_them_in_the_counts(
    page, tmp_path, org_tan_yen, org_hiep_hoa
):
    User.objects.create_user("thidua", password=PASSWORD, role=Role.STAFF, department=Department.AWARDS)
    decision = services.award_decision_create(
        number="15/QĐ-LMHTX", on=datetime.date(2021, 3, 5), issuer="alliance", form="commendation"
    )
    bad = tmp_path / "sai.xlsx"
    bad.write_bytes(xlsx([(1, "Tập thể", "2400000001", "", "", "", ""), (2, "Tập thể", "9999", "", "", "", "")]))
    good = tmp_path / "giay-khen.xlsx"
    good.write_bytes(
        xlsx(
            [
                (1, "Tập thể", "2400000001", "HTX Nông nghiệp Quang Tiến", "", "", "Hoàn thành xuất sắc nhiệm vụ"),
                (2, "Tập thể", "2400000002", "HTX Rau an toàn Thanh Vân", "", "", ""),
                (3, "Cá nhân", "2400000002", "", "Trần Thị Lan", "Giám đốc HTX", ""),
            ],
            title_rows=1,
        )
    )
    login(page, "thidua")
    page.goto(page.base_url + f"/awards/decisions/{decision.pk}/")
    page.click("#recipient-import")

    # A wrong file: the error table names the row and the column; nothing is recorded.
    page.set_input_files("#id_file", str(bad))
    page.click("#import-submit")
    page.wait_for_selector("#import-errors")
    assert page.locator("#import-errors tbody tr").count() == 1
    assert "Mã số tổ chức" in page.inner_text("#import-errors tbody tr")
    assert not decision.recipients.exists()

    # The right file: checked first (a preview, nothing saved), then imported.
    page.set_input_files("#id_file", str(good))
    page.click("#import-check")
    page.wait_for_selector("#import-preview")
    assert page.locator("#import-preview tbody tr").count() == 3
    assert not decision.recipients.exists()
    page.click("#import-submit")
    page.wait_for_selector("#open-counts")
    assert decision.recipients.count() == 3

    page.click("#open-counts")
    page.wait_for_selector("#counts")
    assert page.locator('tr[data-key="alliance-commendation-collective"] a').inner_text() == "2"
    assert page.locator('tr[data-key="alliance-commendation-individual"] a').inner_text() == "1"
