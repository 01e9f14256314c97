"""A loan's journey in Debian's Chromium: a cooperative applies, the fund decides and pays out,
the cooperative follows its schedule, and a missed instalment shows in the arrears."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from conftest import login
from hoptac.core.formatting import vi_number
from hoptac.core.models import Department, Role, User
from hoptac.fund import selectors
from hoptac.fund.models import Loan, LoanProduct
from hoptac.fund.schedule import add_months

pytestmark = pytest.mark.browser

PASSWORD = "mat-khau-thu-nghiem-1"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def day(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def switch_user(page, username: str) -> None:
    page.context.clear_cookies()
    login(page, username)


def wait_status(page, status: str) -> None:
    page.wait_for_selector(f'#loan-status[data-status="{status}"]')


def test_cooperative_applies_fund_decides_and_a_missed_instalment_is_in_arrears(
    page, coop_user, org_tan_yen, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    product = LoanProduct.objects.create(
        code="HTX-60", name="Cho vay hỗ trợ HTX", max_amount=1_000_000_000, annual_rate=Decimal("7.2")
    )
    User.objects.create_user("quy", password=PASSWORD, role=Role.STAFF, department=Department.FUND)
    today = timezone.localdate()
    # Paid out three months ago, so two instalments have fallen due and a third falls due about now.
    disbursed_on = add_months(today, -3)
    applied_on = disbursed_on - datetime.timedelta(days=30)

    # The cooperative's own account applies.
    login(page, "coop")
    page.goto(page.base_url + "/fund/loans/new/")
    page.select_option("#id_product", str(product.pk))
    page.fill("#id_project_name", "Mở rộng vùng trồng vải thiều")
    page.fill("#id_project_cost", "1.000.000.000")
    page.fill("#id_equity_amount", "500.000.000")
    page.fill("#id_requested_amount", "500.000.000")
    page.fill("#id_requested_term_months", "36")
    page.fill("#id_applied_on", day(applied_on))
    page.click("#apply-submit")
    wait_status(page, "applied")
    loan = Loan.objects.get()
    assert loan.borrower == org_tan_yen
    loan_url = f"{page.base_url}/fund/loans/{loan.pk}/"

    # The fund's staff appraise (with the report attached), approve, sign and pay out.
    switch_user(page, "quy")
    page.goto(loan_url)
    page.wait_for_selector("#eligibility")
    report = tmp_path / "bao-cao-tham-dinh.pdf"
    report.write_bytes(PDF)
    page.fill("#id_appraise-on", day(applied_on + datetime.timedelta(days=5)))
    page.fill("#id_appraise-text", "Dự án khả thi, vốn đối ứng đủ.")
    page.select_option("#id_appraise-recommendation", "approve")
    page.set_input_files("#id_appraise-attachment", str(report))
    page.click("#appraise-submit")
    wait_status(page, "appraisal")
    page.wait_for_selector("#appraisals a[download]")

    page.fill("#id_approve-amount", "500.000.000")
    page.fill("#id_approve-decision_number", "12/QĐ-QHT")
    page.fill("#id_approve-decision_on", day(applied_on + datetime.timedelta(days=10)))
    page.fill("#id_approve-approver", "Giám đốc Quỹ")
    page.click("#approve-submit")
    wait_status(page, "approved")

    page.fill("#id_contract-number", "HĐ-12")
    page.fill("#id_contract-on", day(applied_on + datetime.timedelta(days=20)))
    page.click("#contract-submit")
    wait_status(page, "contracted")

    page.fill("#id_disburse-amount", "500.000.000")
    page.fill("#id_disburse-on", day(disbursed_on))
    page.click("#disburse-submit")
    wait_status(page, "active")

    # The cooperative sees its schedule.
    switch_user(page, "coop")
    page.goto(loan_url)
    page.wait_for_selector("#schedule")
    assert page.locator("#schedule tbody tr").count() == 36
    first_due = add_months(disbursed_on, 1)
    assert page.locator("#schedule tbody tr").first.get_attribute("data-due") == first_due.isoformat()
    assert page.locator("#action-repay").count() == 0  # no staff forms for the borrower

    # Staff record the payment of the first instalment, on its due date.
    switch_user(page, "quy")
    page.goto(loan_url)
    first = selectors.lines_in_force(selectors.loans_with_money().get(pk=loan.pk), first_due)[0]
    page.fill("#id_repay-amount", vi_number(first.total))
    page.fill("#id_repay-on", day(first_due))
    page.click("#repay-submit")
    page.wait_for_selector("#repayment-list")
    assert page.locator('#schedule tbody tr[data-state="paid"]').count() == 1
    assert page.locator(".msg-success").count() == 1

    # The second instalment was missed: the loan is in the arrears list.
    page.goto(page.base_url + "/fund/arrears/")
    row = page.locator(f'#arrears-list tr[data-loan="{loan.code}"]')
    assert row.count() == 1
    assert int(row.get_attribute("data-days")) == (today - add_months(disbursed_on, 2)).days > 0
    assert org_tan_yen.phone in row.inner_text()
