"""Properties of the fund's money, for any terms and amounts (hypothesis).

Pure properties of ``schedule`` run many examples; the database-backed one builds a loan
and a random sequence of payments inside a transaction it rolls back, so each example
starts from the same database (the test's fixtures) and the whole file stays fast.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, assume, event, given, note, settings
from hypothesis import strategies as st

from hoptac.fund import schedule as sched
from hoptac.fund import selectors, services
from hoptac.fund.models import LoanProduct, LoanStatus

D = datetime.date

rates = st.decimals(min_value=0, max_value=30, places=4)
methods = st.sampled_from([sched.EQUAL_PRINCIPAL, sched.ANNUITY])
day_counts = st.sampled_from([sched.THIRTY_360, sched.ACTUAL_365])
starts = st.dates(min_value=D(2000, 1, 1), max_value=D(2040, 12, 31))


@st.composite
def terms(draw, max_term: int = 120) -> sched.Terms:
    term = draw(st.integers(1, max_term))
    return sched.Terms(
        annual_rate=draw(rates),
        term_months=term,
        principal_every=draw(st.integers(1, max(1, min(12, term)))),
        interest_every=draw(st.integers(1, max(1, min(12, term)))),
        grace_months=draw(st.integers(0, term - 1)),
        method=draw(methods),
        day_count=draw(day_counts),
    )


def assert_well_formed(lines: list[sched.Line], amount: int, after: datetime.date | None = None) -> None:
    """Principal sums to amount, nothing negative; balances run down to 0 (from after, when given)."""
    assert sum(line.principal for line in lines) == amount
    assert all(line.principal >= 0 and line.interest >= 0 for line in lines)
    assert all(line.balance_after >= 0 for line in lines)
    assert lines[-1].balance_after == 0
    balance = amount
    for line in lines:
        balance -= line.principal
        if after is None or line.due_on > after:
            assert line.balance_after == balance


# ---------------------------------------------------------------- pure: build


@settings(max_examples=300, deadline=None)
@given(amount=st.integers(1, 10**11), t=terms(), start=starts)
def test_a_schedule_repays_exactly_the_amount_and_never_goes_negative(amount, t, start):
    lines = sched.build(amount, start, t)
    assert_well_formed(lines, amount)
    days = [line.due_on for line in lines]
    assert days == sorted(set(days)), "due dates strictly increasing"
    assert days[0] > start and days[-1] == sched.add_months(start, t.term_months)
    # Nothing but interest during the grace period.
    grace_end = sched.add_months(start, t.grace_months)
    assert all(line.principal == 0 for line in lines if line.due_on <= grace_end and line.due_on != days[-1])
    if t.annual_rate == 0:
        assert all(line.interest == 0 for line in lines)


@settings(max_examples=150, deadline=None)
@given(amount=st.integers(12, 10**11), term=st.integers(1, 120), rate=rates, start=starts, day_count=day_counts)
def test_equal_principal_parts_differ_only_by_the_remainder_on_the_last(amount, term, rate, start, day_count):
    t = sched.Terms(annual_rate=rate, term_months=term, day_count=day_count)
    parts = [line.principal for line in sched.build(amount, start, t)]
    assert parts[:-1] == [amount // term] * (term - 1)
    assert 0 <= parts[-1] - amount // term < term


# ---------------------------------------------------------------- pure: rebuild


def _on_schedule_principal(lines: list[sched.Line], day: datetime.date) -> int:
    return sum(line.principal for line in lines if line.due_on <= day)


@settings(max_examples=200, deadline=None)
@given(
    amount=st.integers(1, 10**11),
    t=terms(max_term=84),
    start=starts,
    offset=st.floats(0, 1, exclude_max=True),
    share=st.floats(0, 1),
    late=st.booleans(),
)
def test_a_prepayment_keeps_the_principal_equal_to_the_amount_disbursed(amount, t, start, offset, share, late):
    lines = sched.build(amount, start, t)
    maturity = lines[-1].due_on
    day = start + datetime.timedelta(days=int(offset * (maturity - start).days))
    due = _on_schedule_principal(lines, day)
    paid = due if not late else due // 2  # a borrower in arrears pays less than was due
    extra = int(share * (amount - paid)) if not late else 0
    new = sched.rebuild(
        terms=t,
        first_disbursed_on=start,
        disbursements=[(start, amount)],
        past=lines,
        effective_on=day,
        principal_paid=paid + extra,
    )
    assert_well_formed(new, amount)
    assert [line for line in new if line.due_on <= day][: len([x for x in lines if x.due_on <= day])] == [
        line for line in lines if line.due_on <= day
    ], "lines already due are kept as they were"
    if extra:
        prepaid = [line for line in new if line.due_on == day][-1]
        assert prepaid.principal == extra
    # What was due stays due (a borrower in arrears still owes it); the rest is spread ahead.
    assert sum(line.principal for line in new if line.due_on > day) == amount - max(due, paid + extra)


@settings(max_examples=200, deadline=None)
@given(
    first=st.integers(1, 10**10),
    second=st.integers(1, 10**10),
    t=terms(max_term=84),
    start=starts,
    offset=st.floats(0, 1, exclude_max=True),
)
def test_a_new_tranche_keeps_the_principal_equal_to_the_amount_disbursed(first, second, t, start, offset):
    lines = sched.build(first, start, t)
    maturity = lines[-1].due_on
    day = start + datetime.timedelta(days=int(offset * (maturity - start).days))
    new = sched.rebuild(
        terms=t,
        first_disbursed_on=start,
        disbursements=[(start, first), (day, second)],
        past=lines,
        effective_on=day,
        principal_paid=_on_schedule_principal(lines, day),
    )
    assert_well_formed(new, first + second, after=day)
    assert [line for line in new if line.due_on <= day] == [line for line in lines if line.due_on <= day]
    assert new[-1].due_on == maturity


# ---------------------------------------------------------------- database: payments


@st.composite
def loans_and_payments(draw):
    term = draw(st.integers(2, 36))
    product = dict(
        annual_rate=draw(st.decimals(min_value=0, max_value=15, places=2)),
        max_term_months=term,
        principal_every_months=draw(st.sampled_from([1, 3, 6])),
        interest_every_months=draw(st.sampled_from([1, 3])),
        grace_months=draw(st.integers(0, min(6, term - 1))),
        method=draw(methods),
        day_count=draw(day_counts),
    )
    amount = draw(st.integers(1_000_000, 2_000_000_000))
    start = draw(st.dates(min_value=D(2019, 1, 1), max_value=D(2022, 12, 31)))
    tranche = draw(st.none() | st.tuples(st.integers(1, 300), st.floats(0.05, 0.95)))
    payments = draw(
        st.lists(
            st.tuples(
                st.integers(1, 120),  # days after the previous payment
                st.sampled_from(["instalment", "share", "payoff", "too_much", "reschedule"]),
                st.floats(0, 1),
            ),
            min_size=1,
            max_size=8,
        )
    )
    return product, term, amount, start, tranche, payments


def _owed(loan, on) -> tuple[int, int, int, int]:
    """(overdue interest, interest due on the day, principal due, outstanding principal) before paying."""
    pos = selectors.position(loan, on)
    lines = selectors.lines_in_force(loan, on)
    before = sum(line.interest for line in lines if line.due_on < on)
    today = sum(line.interest for line in lines if line.due_on == on)
    overdue = max(0, before - pos.interest_paid)
    interest = max(0, before + today - pos.interest_paid) - overdue
    principal = max(0, sum(line.principal for line in lines if line.due_on <= on) - pos.principal_repaid)
    return overdue, interest, principal, pos.outstanding


def _check_balances(loan, day) -> None:
    loan = selectors.loans_with_money(type(loan).objects.filter(pk=loan.pk)).get()
    pos = selectors.position(loan, day)
    disbursed = sum(d.amount for d in loan.disbursements.all() if d.on <= day)
    repaid = sum(r.principal for r in loan.repayments.all() if r.on <= day)
    assert pos.disbursed == disbursed and pos.principal_repaid == repaid
    assert pos.outstanding == disbursed - repaid >= 0
    assert sum(line.principal for line in selectors.lines_in_force(loan, day)) == disbursed


@pytest.mark.django_db
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=loans_and_payments())
def test_payments_keep_outstanding_equal_to_disbursed_less_principal_and_the_allocation_order(
    case, org_tan_yen, fund_staff
):
    product_terms, term, amount, start, tranche, payments = case
    with transaction.atomic():
        product = LoanProduct.objects.create(
            code="P", name="Thử", max_amount=10**12, eligible_kinds=["HTX"], **product_terms
        )
        first = amount if tranche is None else max(1, int(amount * tranche[1]))
        loan = services.loan_apply(
            borrower=org_tan_yen,
            product=product,
            code="VAY-P",
            project_name="Dự án thử",
            amount=amount,
            term_months=term,
            on=start - datetime.timedelta(days=20),
            project_cost=amount * 2,
            equity_amount=amount,
        )
        services.loan_approve(
            loan=loan,
            amount=amount,
            decision_number="1",
            decision_on=start - datetime.timedelta(days=10),
            approver="GĐ",
        )
        services.loan_contract(loan=loan, number="HĐ-1", on=start - datetime.timedelta(days=5))
        services.loan_disburse(loan=loan, amount=first, on=start, by=fund_staff)
        maturity = sched.add_months(start, term)
        events = []
        if tranche is not None and first < amount:
            tranche_on = start + datetime.timedelta(days=tranche[0])
            assume(tranche_on < maturity)
            events.append((tranche_on, "tranche", 0.0))
        day = start
        for gap, kind, share in payments:
            day += datetime.timedelta(days=gap)
            events.append((day, kind, share))
        events.sort(key=lambda e: (e[0], e[1] != "tranche"))
        for on, kind, share in events:
            loan = selectors.loans_with_money(type(loan).objects.filter(pk=loan.pk)).get()
            if loan.status != LoanStatus.ACTIVE:
                break
            if kind == "tranche":
                services.loan_disburse(loan=loan, amount=amount - first, on=on, by=fund_staff)
                _check_balances(loan, on)
                continue
            if kind == "reschedule":
                longer = loan.term_months + 1 + int(share * 12)
                if sched.add_months(start, longer) > on:
                    services.loan_reschedule(loan=loan, on=on, term_months=longer, reason="Gia hạn", by=fund_staff)
                    _check_balances(loan, on)
                continue
            overdue, interest, principal_due, outstanding = _owed(loan, on)
            upcoming = next((line for line in selectors.lines_in_force(loan, on) if line.due_on > on), None)
            if kind == "instalment":
                pay = overdue + interest + principal_due + (upcoming.total if upcoming else 0)
            elif kind == "share":
                pay = int(share * (overdue + interest + principal_due + outstanding))
            elif kind == "payoff":
                # Everything: the interest the allocation takes (accrued to the day when paying
                # ahead) and the whole outstanding principal.
                o, i, _p, _prepaid = services.allocation(loan, on, overdue + interest + outstanding)
                pay = o + i + outstanding
            else:
                pay = overdue + interest + outstanding + (upcoming.total if upcoming else 0) + 1 + int(share * 10**9)
            if pay <= 0:
                continue
            note(f"{on} {kind} {pay} owed={(overdue, interest, principal_due, outstanding)}")
            try:
                split = services.allocation(loan, on, pay)
            except ValidationError:
                with pytest.raises(ValidationError):
                    services.repayment_record(loan=loan, on=on, amount=pay, by=fund_staff)
                # Only a payment above everything owed (principal and all interest) is refused.
                assert pay > overdue + interest + outstanding
                event("a payment refused")
                continue
            o, i, p, prepaid = split
            event("paid ahead of the schedule" if prepaid else "paid")
            if o:
                event("overdue interest paid")
            # Allocation order: overdue interest, then the day's interest, then principal.
            assert o == min(pay, overdue)
            if i > 0:
                assert o == overdue
            if p > 0:
                assert o == overdue and i >= interest
            assert 0 <= p <= outstanding and o + i + p == pay
            repayment = services.repayment_record(loan=loan, on=on, amount=pay, by=fund_staff)
            assert (repayment.overdue_interest, repayment.interest, repayment.principal) == (o, i, p)
            _check_balances(loan, on)
            _check_balances(loan, on - datetime.timedelta(days=1))
            if pay >= overdue + interest + principal_due:
                # Everything due is paid: not in arrears the day after, whatever schedule is now in force.
                loan = selectors.loans_with_money(type(loan).objects.filter(pk=loan.pk)).get()
                assert selectors.position(loan, on + datetime.timedelta(days=1)).days_past_due == 0
            if kind == "payoff" and p == outstanding:
                loan.refresh_from_db()
                assert loan.status == LoanStatus.CLOSED and loan.closed_on == on
                event("closed by a payoff")
        for check in (start, maturity, maturity + datetime.timedelta(days=400)):
            _check_balances(loan, check)
        loan = selectors.loans_with_money(type(loan).objects.filter(pk=loan.pk)).get()
        if loan.status == LoanStatus.CLOSED:
            # Everything its schedule in force asks was paid: an early payoff ends the schedule.
            # (Not "exactly": interest paid ahead of a later payoff is kept, not refunded.)
            paid = sum(r.amount for r in loan.repayments.all())
            assert sum(line.total for line in selectors.lines_in_force(loan, loan.closed_on)) <= paid
            # A loan repaid in full, early or not, is never in arrears afterwards.
            for later in (loan.closed_on, max(loan.closed_on, maturity), maturity + datetime.timedelta(days=400)):
                pos = selectors.position(loan, later)
                assert pos.outstanding == 0 and pos.days_past_due == 0
        transaction.set_rollback(True)
