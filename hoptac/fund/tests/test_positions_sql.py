"""positions_on() (issue #9) gives, for every loan, exactly what position() gives for one.

position(loan, day) walks a loan's rows in Python and is the reference; positions_on(day)
sums the same rows in SQL for all loans at once, which is what the statement, the quarterly
report and the arrears page use at national scale. They are compared field by field on the
fund demo, on the national generator's data and on hand-made loans with partial payments,
a reschedule and a write-off, on days before, during and after each event.
"""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from hoptac.fund import selectors, services
from hoptac.fund.models import Loan, Schedule

from .conftest import disbursed_loan

pytestmark = pytest.mark.django_db
D = datetime.date
DAY = datetime.timedelta(days=1)
FIELDS = [
    "disbursed",
    "principal_repaid",
    "interest_paid",
    "written_off",
    "principal_due",
    "interest_due",
    "days_past_due",
    "oldest_unpaid_on",
    "outstanding",
    "overdue_principal",
    "overdue_interest",
    "bucket",
]


def assert_same_positions(day: datetime.date) -> int:
    """Every loan's positions_on(day) equals its position(loan, day); returns how many loans were compared."""
    expected = {loan.pk: selectors.position(loan, day) for loan in selectors.loans_with_money()}
    got = {pos.loan.pk: pos for pos in selectors.positions_on(day)}
    assert got.keys() == expected.keys()
    for pk, want in expected.items():
        have = got[pk]
        assert have.day == day
        assert {f: getattr(have, f) for f in FIELDS} == {f: getattr(want, f) for f in FIELDS}, (want.loan.code, day)
    return len(expected)


def event_days() -> list[datetime.date]:
    """Days around every disbursement, first due date, reschedule and write-off of the database, and a few more."""
    days = set()
    for loan in selectors.loans_with_money():
        for d in loan.disbursements.all():
            days |= {d.on - DAY, d.on, d.on + DAY}
        for version in loan.schedules.all():
            if version.number > 1:
                days |= {version.effective_on - DAY, version.effective_on, version.effective_on + DAY}
            dues = [i.due_on for i in version.instalments.all()]
            if dues:
                days |= {dues[0], dues[0] + DAY, dues[len(dues) // 2] + 45 * DAY, dues[-1] + 200 * DAY}
        if loan.written_off_on:
            days |= {loan.written_off_on - DAY, loan.written_off_on, loan.written_off_on + DAY}
    return sorted(days)


def spread(days: list[datetime.date], n: int) -> list[datetime.date]:
    """At most n of days, evenly spread, first and last included."""
    if len(days) <= n:
        return days
    return [days[round(i * (len(days) - 1) / (n - 1))] for i in range(n)]


# ---------------------------------------------------------------- hand-made loans


def test_partial_payments_a_reschedule_and_a_write_off(org_tan_yen, product, fund_staff):
    start = D(2021, 1, 15)
    # Paid on time for a while, then short, then rescheduled; and a loan written off.
    paying = disbursed_loan(org_tan_yen, product, fund_staff, amount=360_000_000, term=12, code="VAY-A")
    for month, share in [(1, 1.0), (2, 1.0), (3, 0.5), (5, 0.3)]:
        line = selectors.lines_in_force(selectors.loans_with_money().get(pk=paying.pk), start)[month - 1]
        services.repayment_record(loan=paying, on=line.due_on, amount=int(line.total * share), by=fund_staff)
    services.loan_reschedule(loan=paying, on=D(2021, 8, 1), term_months=24, reason="Gia hạn", by=fund_staff)
    services.repayment_record(loan=paying, on=D(2021, 9, 20), amount=7_000_000, by=fund_staff)
    lost = disbursed_loan(org_tan_yen, product, fund_staff, amount=200_000_000, term=24, code="VAY-B")
    services.repayment_record(loan=lost, on=D(2021, 2, 15), amount=5_000_000, by=fund_staff)
    services.loan_write_off(loan=lost, on=D(2021, 10, 1), reason="Giải thể", by=fund_staff)
    # Two tranches, the second after the first instalment fell due, and never a payment.
    late = services.loan_apply(
        borrower=org_tan_yen,
        product=product,
        code="VAY-C",
        project_name="Hai đợt giải ngân",
        amount=150_000_000,
        term_months=6,
        on=D(2020, 12, 1),
        project_cost=300_000_000,
        equity_amount=150_000_000,
    )
    services.loan_approve(
        loan=late, amount=150_000_000, decision_number="3/QĐ", decision_on=D(2020, 12, 10), approver="GĐ", by=fund_staff
    )
    services.loan_contract(loan=late, number="HĐ-3", on=D(2020, 12, 20), by=fund_staff)
    services.loan_disburse(loan=late, amount=100_000_000, on=start, by=fund_staff)
    services.loan_disburse(loan=late, amount=50_000_000, on=D(2021, 3, 1), by=fund_staff)
    # Repaid in full ahead of time.
    early = disbursed_loan(org_tan_yen, product, fund_staff, amount=60_000_000, term=12, code="VAY-D")
    fresh = selectors.loans_with_money().get(pk=early.pk)
    owed = sum(line.interest for line in selectors.lines_in_force(fresh, D(2021, 4, 1)) if line.due_on <= D(2021, 4, 1))
    o, i, _p, _ahead = services.allocation(fresh, D(2021, 4, 1), owed + 60_000_000)
    services.repayment_record(loan=early, on=D(2021, 4, 1), amount=o + i + 60_000_000, by=fund_staff)
    assert Loan.objects.get(pk=early.pk).closed_on == D(2021, 4, 1)
    # Applied, never disbursed.
    services.loan_apply(
        borrower=org_tan_yen,
        product=product,
        code="VAY-E",
        project_name="Chưa giải ngân",
        amount=10_000_000,
        term_months=12,
        on=D(2021, 5, 1),
    )
    assert Schedule.objects.filter(loan=paying, number__gt=1).exists()
    days = [D(2020, 6, 1), start - DAY, D(2021, 3, 15), D(2021, 6, 20), D(2025, 1, 1), *event_days()]
    for day in sorted(set(days)):
        assert assert_same_positions(day) == 5
    assert selectors.positions_on(D(2021, 10, 2), Loan.objects.filter(code="VAY-B"))[0].written_off > 0
    behind = selectors.positions_on(D(2021, 7, 1), Loan.objects.filter(code__in=["VAY-A", "VAY-C"]))
    assert all(p.days_past_due > 0 and p.overdue_principal > 0 for p in behind)


# ---------------------------------------------------------------- the fund demo


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    """The demo (register and fund), loaded once for the class and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", "--public-passwords-ok", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.mark.usefixtures("demo")
class TestDemo:
    def test_every_loan_on_every_kind_of_day(self):
        days = event_days()
        chosen = spread(days, 25) + [D(2000, 1, 1), D(2021, 3, 15), D(2021, 12, 31), D(2030, 1, 1)]
        chosen += [s.effective_on for s in Schedule.objects.filter(number__gt=1)[:5]]
        chosen += [loan.written_off_on for loan in Loan.objects.filter(written_off_on__isnull=False)[:5]]
        for day in sorted(set(chosen)):
            assert assert_same_positions(day) > 40

    def test_the_statement_and_arrears_are_unchanged(self):
        """The report's figures (also checked by test_demo) and the arrears list from the SQL positions."""
        day = D(2021, 3, 15)
        st = selectors.fund_statement(as_of=day, date_from=D(2021, 1, 1))
        assert (st.capital, st.loans_outstanding, st.outstanding) == (17_547_000_000, 49, 14_450_000_000)
        expected = sorted(
            (p for p in (selectors.position(loan, day) for loan in selectors.loans_with_money()) if p.days_past_due),
            key=lambda p: -p.days_past_due,
        )
        got = selectors.arrears_by_loan(day)
        assert [(p.loan.code, p.days_past_due) for p in got] == [(p.loan.code, p.days_past_due) for p in expected]
        assert [p.loan.code for p in st.overdue] == [p.loan.code for p in got]

    def test_the_totals_only_statement_has_the_full_statements_totals(self):
        """The quarterly report's statement (totals_only) adds up to the same figures as the page's."""
        totals = [
            "capital",
            "capital_in_period",
            "disbursed",
            "principal_repaid",
            "interest_earned",
            "disbursed_in_period",
            "principal_repaid_in_period",
            "interest_in_period",
            "outstanding",
            "loans_outstanding",
            "borrowers",
            "overdue_principal",
            "overdue_interest",
            "par30",
            "par90",
            "buckets",
        ]
        for day in (D(2020, 6, 30), D(2021, 3, 15), D(2021, 12, 31)):
            full = selectors.fund_statement(as_of=day, date_from=D(2020, 1, 1))
            quick = selectors.fund_statement(as_of=day, date_from=D(2020, 1, 1), totals_only=True)
            assert {f: getattr(quick, f) for f in totals} == {f: getattr(full, f) for f in totals}, day
            assert len(quick.overdue) == len(full.overdue) and not quick.by_area
            assert full.outstanding > 0 and full.overdue

    def test_the_statement_takes_as_many_queries_for_a_few_loans_as_for_all(self):
        day = D(2021, 3, 15)
        late = selectors.fund_statement(as_of=day, date_from=D(2021, 1, 1)).overdue  # the units' cache warms once
        counts = []
        few = Loan.objects.filter(pk__in=[late[0].loan.pk, late[-1].loan.pk])
        for queryset in (Loan.objects.filter(code="không có"), few, Loan.objects.all()):
            with CaptureQueriesContext(connection) as captured:
                st = selectors.fund_statement(as_of=day, date_from=D(2021, 1, 1), queryset=queryset)
                st.as_dict()
            counts.append(len(captured))
        # Nothing past due (or no loan at all) spares the queries that look for and load arrears.
        assert counts[0] <= counts[1] == counts[2], counts


# ---------------------------------------------------------------- national data


@pytest.fixture(scope="class")
def national(django_db_setup, django_db_blocker):
    """manage.py generate_national --scale 0.002, once for the class, rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("generate_national", "--scale", "0.002", "--seed", "7", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.mark.usefixtures("national")
class TestNational:
    def test_every_loan_on_every_kind_of_day(self):
        chosen = spread(event_days(), 20) + [D(2000, 1, 1), D(2025, 12, 31), D(2035, 1, 1)]
        for day in sorted(set(chosen)):
            assert assert_same_positions(day) > 10
