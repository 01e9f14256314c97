import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from hoptac.core.audit import entries_for
from hoptac.fund import selectors, services
from hoptac.fund.models import LoanStatus

from .conftest import D, disbursed_loan

pytestmark = pytest.mark.django_db


def test_lifecycle_is_audited_and_terms_are_copied(loan, product):
    assert loan.status == LoanStatus.ACTIVE and loan.annual_rate == product.annual_rate
    product.annual_rate = 9
    product.save()
    loan.refresh_from_db()
    assert loan.annual_rate == Decimal("7.2")  # changing a product never changes a signed loan
    actions = [e.action for e in entries_for(loan)]
    for action in (
        "fund.loan.applied",
        "fund.loan.appraised",
        "fund.loan.approved",
        "fund.loan.contracted",
        "fund.loan.disbursed",
    ):
        assert action in actions


def test_on_time_payment_splits_interest_then_principal(loan, fund_staff):
    repayment = services.repayment_record(loan=loan, on=D(2021, 2, 15), amount=16_888_888, by=fund_staff)
    assert (repayment.overdue_interest, repayment.interest, repayment.principal) == (0, 3_000_000, 13_888_888)
    pos = selectors.position(loan, D(2021, 2, 16))
    assert pos.outstanding == 500_000_000 - 13_888_888 and pos.days_past_due == 0


def test_missed_instalment_is_in_arrears_and_paid_overdue_interest_first(loan, fund_staff):
    pos = selectors.position(loan, D(2021, 3, 20))
    assert pos.days_past_due == 33 and pos.bucket == "31-90"
    assert pos.overdue_principal == 2 * 13_888_888 and pos.overdue_interest == 3_000_000 + 2_916_667
    repayment = services.repayment_record(loan=loan, on=D(2021, 3, 20), amount=10_000_000, by=fund_staff)
    assert (repayment.overdue_interest, repayment.interest, repayment.principal) == (5_916_667, 0, 4_083_333)


def test_prepayment_makes_a_new_schedule_version_and_keeps_the_old(loan, fund_staff):
    services.repayment_record(loan=loan, on=D(2021, 2, 15), amount=16_888_888, by=fund_staff)
    services.repayment_record(loan=loan, on=D(2021, 3, 1), amount=200_000_000, by=fund_staff)
    loan.refresh_from_db()
    assert loan.schedules.count() == 2
    new = selectors.lines_in_force(loan, D(2021, 3, 1))
    assert sum(line.principal for line in new) == 500_000_000
    old = selectors.lines_in_force(loan, D(2021, 2, 20))
    assert len(old) == 36 and old[1].due_on == D(2021, 3, 15)


def test_full_repayment_closes_the_loan(org_tan_yen, product, fund_staff):
    loan = disbursed_loan(org_tan_yen, product, fund_staff, amount=12_000_000, term=3, code="VAY-NGAN")
    owed = sum(line.total for line in selectors.lines_in_force(loan, D(2021, 4, 15)))
    for line in selectors.lines_in_force(loan, D(2021, 4, 15)):
        services.repayment_record(loan=loan, on=line.due_on, amount=line.total, by=fund_staff)
    loan.refresh_from_db()
    assert loan.status == LoanStatus.CLOSED and owed == 12_000_000 + sum(r.interest for r in loan.repayments.all())


def test_payment_larger_than_owed_is_refused(loan, fund_staff):
    with pytest.raises(ValidationError):
        services.repayment_record(loan=loan, on=D(2021, 2, 15), amount=600_000_000, by=fund_staff)
    assert not loan.repayments.exists()


def test_overdue_loan_blocks_a_new_approval(loan, org_tan_yen, product, fund_staff):
    new = services.loan_apply(
        borrower=org_tan_yen,
        product=product,
        code="VAY-002",
        project_name="Kho lạnh",
        amount=100_000_000,
        term_months=24,
        on=D(2021, 4, 1),
        project_cost=300_000_000,
        equity_amount=200_000_000,
    )
    with pytest.raises(ValidationError) as err:
        services.loan_approve(
            loan=new, amount=100_000_000, decision_number="1", decision_on=D(2021, 4, 10), approver="GĐ", by=fund_staff
        )
    assert "VAY-001" in str(err.value)


def test_statement_on_a_date(loan, fund_staff, source):
    services.capital_record(source=source, on=D(2020, 1, 1), amount=2_000_000_000, by=fund_staff)
    services.repayment_record(loan=loan, on=D(2021, 2, 15), amount=16_888_888, by=fund_staff)
    st = selectors.fund_statement(as_of=D(2021, 3, 20), date_from=D(2021, 1, 1))
    assert st.capital == 2_000_000_000
    assert st.outstanding == 500_000_000 - 13_888_888 and st.loans_outstanding == 1 and st.borrowers == 1
    assert st.interest_in_period == 3_000_000 and st.disbursed_in_period == 500_000_000
    assert st.buckets["1-30"]["loans"] == 1  # the 15/03 instalment is 5 days late
    assert st.by_kind["HTX"].outstanding == st.outstanding
    assert list(st.by_area) == ["Huyện Tân Yên"]
    assert datetime.date(2021, 3, 20) == st.as_of
