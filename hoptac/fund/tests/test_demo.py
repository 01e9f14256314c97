"""The demo fund: the Q1-2021 report's figures exactly, a believable history, the services' invariants.

The demo (register and fund) is loaded once for the module inside a transaction rolled
back at the end; each test runs in a savepoint of it.
"""

import datetime
import io
import re
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from hoptac.core.models import AuditEntry
from hoptac.fund import demo, selectors, services
from hoptac.fund.models import CapitalMovement, Loan, LoanStatus, Repayment, SourceKind
from hoptac.registry.models import OrgKind, Status

pytestmark = pytest.mark.django_db
D = datetime.date
REPORT_DAY = D(2021, 3, 15)


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """Load the demo once for the module; its output (how long it takes is in docs/performance.md)."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        call_command("load_demo", "--public-passwords-ok", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def loans():
    return list(selectors.loans_with_money(Loan.objects.order_by("code")))


def test_the_fund_on_15_03_2021_is_the_report(loaded):
    output = loaded
    st = selectors.fund_statement(as_of=REPORT_DAY, date_from=D(2021, 1, 1))
    assert st.capital == 17_547_000_000
    assert st.loans_outstanding == 49
    assert st.outstanding == 14_450_000_000
    # "Tiếp nhận, triển khai nguồn vốn cấp … 3.000.000.000đ" in the quarter.
    vca = CapitalMovement.objects.get(source__kind=SourceKind.VCA_ALLOCATION)
    assert (vca.amount, D(2021, 1, 1) <= vca.on <= REPORT_DAY) == (3_000_000_000, True)
    assert "QĐ" in vca.document and st.capital_in_period == 3_000_000_000
    data = st.as_dict()
    assert (data["total_capital"], data["loans_outstanding"], data["outstanding"]) == (
        17_547_000_000,
        49,
        14_450_000_000,
    )
    assert data["flows"]["capital_in"] == 3_000_000_000
    # A few in arrears, in every bucket.
    buckets = {name: b["loans"] for name, b in st.buckets.items()}
    assert buckets["1-30"] >= 1 and buckets["31-90"] >= 1
    assert buckets["91-180"] + buckets[">180"] >= 1 and buckets[">180"] >= 1
    assert 3 <= sum(buckets.values()) - buckets["current"] <= 10
    # The VCA money was lent out in the quarter.
    assert st.disbursed_in_period > 1_000_000_000
    assert "49 dự án đang vay, dư nợ 14.450.000.000đ" in output and "17.547.000.000đ" in output


def test_every_loan_keeps_the_money_invariants(loaded):
    all_loans = loans()
    assert len(all_loans) > 90
    for loan in all_loans:
        assert loan.project_name and loan.applied_on
        disbursements = sorted(loan.disbursements.all(), key=lambda d: d.on)
        if loan.status in (LoanStatus.REJECTED, LoanStatus.APPLIED, LoanStatus.APPRAISAL):
            assert not disbursements
            continue
        assert loan.decision_number and loan.contract_number and loan.applied_on <= loan.decision_on
        assert loan.decision_on <= loan.contract_on <= disbursements[0].on
        assert sum(d.amount for d in disbursements) == loan.approved_amount
        for version in loan.schedules.all():
            # Every version's principal sums to what had been disbursed when it came into force.
            disbursed = sum(d.amount for d in disbursements if d.on <= version.effective_on)
            assert sum(i.principal for i in version.instalments.all()) == disbursed, (loan.code, version.number)
        for d in disbursements:
            assert loan.borrower.status_on(d.on) == Status.ACTIVE, (loan.code, d.on)
        repaid = sum(r.principal for r in loan.repayments.all())
        last = max([r.on for r in loan.repayments.all()] + [disbursements[-1].on])
        pos = selectors.position(loan, last)
        assert pos.outstanding == loan.approved_amount - repaid - pos.written_off >= 0
        if loan.status == LoanStatus.CLOSED:
            assert pos.outstanding == 0 and loan.closed_on == last
        # One audit entry per payment, bulk-written or not.
        entries = AuditEntry.objects.filter(action="fund.loan.repaid", object_id=str(loan.pk)).count()
        assert entries == len(loan.repayments.all())


def test_the_history_around_the_report_is_believable(loaded):
    all_loans = loans()
    closed_before = [ln for ln in all_loans if ln.status == LoanStatus.CLOSED and ln.closed_on < D(2021, 1, 1)]
    assert len(closed_before) >= 10
    early = [ln for ln in closed_before if ln.closed_on < selectors.lines_in_force(ln, D(2016, 1, 1))[-1].due_on]
    assert early, "some were repaid before maturity"
    # Cooperative groups borrowed only under the old rules, and have repaid.
    groups = [ln for ln in all_loans if ln.borrower.kind == OrgKind.THT]
    assert groups and all(ln in closed_before for ln in groups)
    assert all(ln.borrower.kind in (OrgKind.HTX, OrgKind.LHHTX, OrgKind.THT) for ln in all_loans)
    statuses = Counter(ln.status for ln in all_loans)
    assert statuses[LoanStatus.WRITTEN_OFF] == 1 and statuses[LoanStatus.REJECTED] == 2
    written_off = next(ln for ln in all_loans if ln.status == LoanStatus.WRITTEN_OFF)
    assert written_off.borrower.status_on(written_off.written_off_on) != Status.ACTIVE
    reasons = [s.reason for ln in all_loans for s in ln.schedules.all()]
    assert any("Covid" in r for r in reasons)  # a rescheduling, its old schedule kept
    assert sum(1 for ln in all_loans if len(ln.disbursements.all()) > 1) >= 2  # tranches
    notes = Counter(r.note for ln in all_loans for r in ln.repayments.all())
    for note in ("Trả nợ quá hạn", "Trả một phần lãi quá hạn", "Trả trước một phần nợ gốc", "Tất toán"):
        assert any(n.startswith(note) for n in notes), note
    assert max(ln.approved_amount or 0 for ln in all_loans) <= 2_000_000_000
    assert len({ln.project_name for ln in all_loans}) > 25
    # Money is lent only when the fund has it, and it keeps some of the interest it earns.
    for year in range(2016, 2026):
        st = selectors.fund_statement(as_of=D(year, 12, 31), date_from=D(year, 1, 1))
        assert st.outstanding <= st.capital, year
        retained = CapitalMovement.objects.filter(source__kind=SourceKind.RETAINED_INTEREST, on__year=year)
        assert retained.get().amount < st.interest_in_period, year


def test_today_some_borrowers_pay_and_some_are_late(loaded):
    today = timezone.localdate()
    late = selectors.arrears_by_loan(today)
    assert late and all(p.outstanding > 0 for p in late)
    paying = [
        ln for ln in loans() if ln.status == LoanStatus.ACTIVE and not selectors.position(ln, today).days_past_due
    ]
    assert len(paying) > len(late)


def _replay(loan: Loan, staff) -> list[tuple]:
    """Write the loan again through the services only, from its audit trail; the splits of its payments."""
    entries = AuditEntry.objects.filter(object_id=str(loan.pk), content_type__model="loan").order_by("id")
    copy = services.loan_apply(
        borrower=loan.borrower,
        product=loan.product,
        code=loan.code + "-R",
        project_name=loan.project_name,
        amount=loan.requested_amount,
        term_months=loan.requested_term_months,
        on=loan.applied_on,
        project_cost=loan.project_cost,
        equity_amount=loan.equity_amount,
    )
    services.loan_approve(
        loan=copy,
        amount=loan.approved_amount,
        decision_number=loan.decision_number,
        decision_on=loan.decision_on,
        approver=loan.approver,
    )
    services.loan_contract(loan=copy, number=loan.contract_number + "-R", on=loan.contract_on)
    splits = []
    for entry in entries:
        c = entry.changes
        on = D.fromisoformat(c["on"]) if isinstance(c.get("on"), str) else None
        if entry.action == "fund.loan.disbursed":
            services.loan_disburse(loan=copy, amount=c["amount"], on=on, by=staff)
        elif entry.action == "fund.loan.repaid":
            r = services.repayment_record(loan=copy, on=on, amount=c["amount"], by=staff)
            splits.append((r.on, r.overdue_interest, r.interest, r.principal))
        elif entry.action == "fund.loan.rescheduled":
            services.loan_reschedule(loan=copy, on=on, term_months=c["term_months"][1], reason=c["reason"], by=staff)
        elif entry.action == "fund.loan.written_off":
            services.loan_write_off(loan=copy, on=on, reason=c["reason"], by=staff)
    copy.refresh_from_db()
    assert (copy.status, copy.closed_on, copy.schedules.count()) == (
        loan.status,
        loan.closed_on,
        loan.schedules.count(),
    )
    return splits


def test_bulk_written_instalments_are_what_the_repayment_service_writes(loaded):
    """Replaying loans through the services gives the same split of every payment."""
    all_loans = loans()
    staff = demo.fund_staff()
    chosen = {}
    for ln in all_loans:
        notes = {r.note for r in ln.repayments.all()}
        kinds = [note for note in notes if note] + [s.reason for s in ln.schedules.all() if "Covid" in s.reason]
        if len(ln.disbursements.all()) > 1:
            kinds.append("tranches")
        if ln.status == LoanStatus.WRITTEN_OFF:
            kinds.append("written off")
        if ln.repayments.all() and not notes - {""}:
            kinds.append("on time")
        for kind in kinds:
            chosen.setdefault(kind, ln)
    assert len(chosen) >= 7
    for loan in {ln.pk: ln for ln in chosen.values()}.values():
        original = [(r.on, r.overdue_interest, r.interest, r.principal) for r in loan.repayments.all()]
        assert _replay(loan, staff) == sorted(original), loan.code


def test_the_plan_makes_the_report_exact_whatever_the_seed(loaded):
    for seed in (2021, 7, 99):
        plans = demo.plan(seed, horizon=D(2026, 1, 1))
        on_report_day = [p for p in plans if p.group == "report"]
        assert len(on_report_day) == 49
        total = sum(
            p.amount - demo.principal_paid(p, demo.planned_lines(p, p.amount), REPORT_DAY) for p in on_report_day
        )
        assert total == 14_450_000_000
        assert all(150_000_000 <= p.amount <= 2_000_000_000 for p in on_report_day)
    first = [(p.code, p.borrower.pk, p.amount, p.disbursed_on, p.misses) for p in demo.plan(2021, D(2026, 1, 1))]
    again = [(p.code, p.borrower.pk, p.amount, p.disbursed_on, p.misses) for p in demo.plan(2021, D(2026, 1, 1))]
    assert first == again


def test_repayments_and_loans_are_counted_in_the_summary(loaded):
    output = loaded
    line = next(ln for ln in output.splitlines() if ln.startswith("Quỹ hỗ trợ"))
    loans_count, payments = (int(n) for n in re.findall(r"(\d+) (?:khoản vay|lần thu nợ)", line))
    assert loans_count == Loan.objects.exclude(status__in=["rejected", "applied", "appraisal"]).count()
    assert payments == Repayment.objects.count()
