"""A return's life in Debian's Chromium: filled and submitted, sent back, fixed, approved; completeness follows."""

import datetime

import pytest
from django.apps import apps
from playwright.sync_api import expect

from conftest import login
from hoptac.returns import seed
from hoptac.returns.models import Return, ReturnForm, Status

pytestmark = pytest.mark.browser


@pytest.fixture
def forms(units):
    """The shipped forms (a transactional test database is flushed after each test: load them again)."""
    if not ReturnForm.objects.exists():
        seed.load(apps)


def test_a_cooperative_files_a_reviewer_sends_it_back_it_is_fixed_and_approved(page, forms, coop_user, staff):
    org = coop_user.organization
    year = datetime.date.today().year
    completeness = f"{page.base_url}/returns/annual_htx/{year}/completeness/"

    # The registry officer sees the cooperative among those that have not handed in.
    login(page, "staff")
    page.goto(completeness)
    assert page.locator(f"#missing-{org.code}").count() == 1

    # The cooperative fills in its annual report from its returns page, from the keyboard.
    login(page, "coop")
    page.goto(page.base_url + "/returns/")
    page.click(f"#due-annual_htx-{year} a")
    page.wait_for_selector("#entry-form")
    page.click("#id_v-members_start")
    page.keyboard.type("12")
    page.keyboard.press("Enter")  # Enter moves down, like a spreadsheet
    page.keyboard.type("15")
    expect(page.locator("#id_v-members_end")).to_be_focused()
    for code, value in [
        ("employees", "8"),
        ("employees_members", "6"),
        ("charter_capital", "500000000"),
        ("total_assets", "1200000000"),
        ("revenue", "2500000000"),
        ("profit", "3000000000"),  # a slip: more than the revenue
        ("taxes", "20000000"),
        ("avg_income", "60000000"),
        ("member_services", "75,5"),
    ]:
        page.click(f"#id_v-{code}")
        page.keyboard.type(value)
    assert page.input_value("#id_v-revenue") == "2.500.000.000"  # grouped as typed
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#submit-return")
    page.wait_for_selector("#id_v-profit_error")
    assert "Lợi nhuận không được lớn hơn doanh thu." in page.inner_text("#id_v-profit_error")
    assert page.input_value("#id_v-charter_capital") == "500.000.000"  # what was typed is kept
    page.fill("#id_v-profit", "150.000.000")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#submit-return")
    page.wait_for_selector("#history")
    ret = Return.objects.get(organization=org, year=year, form__code="annual_htx")
    assert ret.status == Status.SUBMITTED and not ret.entered_on_behalf

    # The reviewer sends it back with a comment.
    login(page, "staff")
    page.goto(f"{page.base_url}/returns/annual_htx/{year}/?status=submitted")
    page.click(f"#return-{ret.pk} a")
    page.fill("#id_comment", "Số lao động là thành viên chưa đúng, đề nghị kiểm tra lại.")
    page.click("#send-back")
    page.wait_for_selector("#reviewer-comment")
    ret.refresh_from_db()
    assert ret.status == Status.RETURNED

    # The cooperative sees the comment, fixes the figure and submits again.
    login(page, "coop")
    page.goto(page.base_url + "/returns/")
    page.click(f"#due-annual_htx-{year} a")
    assert "chưa đúng" in page.inner_text("#reviewer-comment")
    page.fill("#id_v-employees_members", "5")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#submit-return")
    page.wait_for_selector("#history")

    # The reviewer approves it: locked.
    login(page, "staff")
    page.goto(f"{page.base_url}/returns/r/{ret.pk}/")
    page.click("#approve")
    page.wait_for_selector("#return-status")
    ret.refresh_from_db()
    assert ret.status == Status.APPROVED and ret.approved_by == staff
    assert page.locator("#edit-return").count() == 0

    # Completeness: no longer missing, handed in on time.
    page.goto(completeness)
    assert page.locator(f"#missing-{org.code}").count() == 0
    assert page.locator(f"#submitted-{org.code}").count() == 1
    assert page.inner_text("#total-missing") == "0"
