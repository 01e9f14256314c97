"""Reads of the fund: a loan's position on any date, arrears, capital and statements.

A position is computed from the dated records (disbursements, repayments, the schedule
version in force), never stored, so a statement "as of 15/03/2021" has one answer years
later. Every figure a fund page, export, command or report prints comes from here.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet, Sum

from hoptac.core.models import Role
from hoptac.geo import selectors as geo
from hoptac.registry.models import OrgKind, Sector
from hoptac.registry.selectors import organizations_for

from . import schedule as sched
from .models import CapitalMovement, Instalment, Loan, LoanStatus, Schedule

BUCKETS = [("current", 0, 0), ("1-30", 1, 30), ("31-90", 31, 90), ("91-180", 91, 180), (">180", 181, None)]
DISBURSED_STATUSES = [LoanStatus.ACTIVE, LoanStatus.CLOSED, LoanStatus.WRITTEN_OFF]


# ---------------------------------------------------------------- access


def loans_for(user) -> QuerySet[Loan]:
    """Loans user may see: the fund's staff and administrators all; others those of the organisations they see."""
    qs = Loan.objects.all()
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.is_alliance:
        return qs
    if user.role in (Role.AREA_OFFICER, Role.COOPERATIVE):
        return qs.filter(borrower__in=organizations_for(user))
    return qs.none()


def can_manage_fund(user) -> bool:
    """Appraise, decide, disburse, record repayments: administrators and fund staff only."""
    from hoptac.core.models import Department

    return getattr(user, "is_authenticated", False) and (
        user.is_admin or (user.role == Role.STAFF and user.department == Department.FUND)
    )


# ---------------------------------------------------------------- one loan


def lines_in_force(loan: Loan, day: datetime.date) -> list[sched.Line]:
    """The instalments of the schedule version in force on day (the first one before it existed)."""
    versions = sorted(loan.schedules.all(), key=lambda s: s.number)
    if not versions:
        return []
    chosen = versions[0]
    for version in versions:
        if version.effective_on <= day:
            chosen = version
    return [
        sched.Line(seq=i.seq, due_on=i.due_on, principal=i.principal, interest=i.interest, balance_after=0)
        for i in sorted(chosen.instalments.all(), key=lambda i: i.seq)
    ]


@dataclass
class Position:
    """A loan on a date."""

    loan: Loan
    day: datetime.date
    disbursed: int = 0
    principal_repaid: int = 0
    interest_paid: int = 0
    written_off: int = 0
    principal_due: int = 0  # scheduled principal due up to and including day
    interest_due: int = 0
    days_past_due: int = 0
    oldest_unpaid_on: datetime.date | None = None
    next_due: sched.Line | None = None

    @property
    def outstanding(self) -> int:
        return self.disbursed - self.principal_repaid - self.written_off

    @property
    def overdue_principal(self) -> int:
        return max(0, self.principal_due - self.principal_repaid) if self.days_past_due else 0

    @property
    def overdue_interest(self) -> int:
        return max(0, self.interest_due - self.interest_paid) if self.days_past_due else 0

    @property
    def bucket(self) -> str:
        for name, low, high in BUCKETS:
            if self.days_past_due >= low and (high is None or self.days_past_due <= high):
                return name
        return "current"


def position(loan: Loan, day: datetime.date) -> Position:
    """Where a loan stood at the end of day: disbursed, repaid, outstanding, what is overdue and for how long.

    Days past due count from the oldest instalment not fully paid, where payments cover the
    schedule in date order (interest and principal of an instalment together), which is the
    allocation order the repayment service uses.
    """
    pos = Position(loan=loan, day=day)
    pos.disbursed = sum(d.amount for d in loan.disbursements.all() if d.on <= day)
    paid_total = 0
    for r in loan.repayments.all():
        if r.on <= day:
            pos.principal_repaid += r.principal
            pos.interest_paid += r.overdue_interest + r.interest
            paid_total += r.amount
    if loan.written_off_on and loan.written_off_on <= day:
        pos.written_off = max(0, pos.disbursed - pos.principal_repaid)
    if pos.disbursed == 0:
        return pos
    covered = paid_total
    for line in lines_in_force(loan, day):
        if line.due_on <= day:
            pos.principal_due += line.principal
            pos.interest_due += line.interest
            if pos.oldest_unpaid_on is None:
                if covered >= line.total:
                    covered -= line.total
                else:
                    pos.oldest_unpaid_on = line.due_on
        elif pos.next_due is None:
            pos.next_due = line
    # A loan with nothing outstanding (repaid, which closes it, or written off) is not in arrears,
    # whatever interest a historic split left short of the schedule.
    if pos.oldest_unpaid_on and pos.oldest_unpaid_on < day and pos.outstanding > 0:
        pos.days_past_due = (day - pos.oldest_unpaid_on).days
    elif pos.outstanding <= 0:
        pos.oldest_unpaid_on = None
    return pos


def loans_with_money(queryset: QuerySet[Loan] | None = None) -> QuerySet[Loan]:
    """Loans with everything position() reads, in five queries whatever their number."""
    qs = queryset if queryset is not None else Loan.objects.all()
    return qs.select_related("borrower", "borrower__commune", "borrower__commune__parent").prefetch_related(
        "disbursements",
        "repayments",
        Prefetch(
            "schedules",
            queryset=Schedule.objects.prefetch_related(
                Prefetch("instalments", queryset=Instalment.objects.order_by("seq"))
            ),
        ),
    )


# ---------------------------------------------------------------- capital


def capital_on(day: datetime.date) -> int:
    """The fund's total capital at the end of day: every contribution less every withdrawal."""
    return CapitalMovement.objects.filter(on__lte=day).aggregate(total=Sum("amount"))["total"] or 0


def capital_between(start: datetime.date, end: datetime.date) -> int:
    return CapitalMovement.objects.filter(on__gte=start, on__lte=end).aggregate(total=Sum("amount"))["total"] or 0


# ---------------------------------------------------------------- statements


@dataclass
class Breakdown:
    loans: int = 0
    borrowers: set = field(default_factory=set)
    outstanding: int = 0
    overdue_principal: int = 0
    par30: int = 0
    disbursed_in_period: int = 0
    repaid_in_period: int = 0

    def as_dict(self) -> dict:
        return {
            "loans_outstanding": self.loans,
            "borrowers": len(self.borrowers),
            "outstanding": self.outstanding,
            "overdue_principal": self.overdue_principal,
            "outstanding_over_30_days": self.par30,
            "disbursed_in_period": self.disbursed_in_period,
            "principal_repaid_in_period": self.repaid_in_period,
        }


@dataclass
class Statement:
    as_of: datetime.date
    date_from: datetime.date | None
    grouping: str
    capital: int = 0
    capital_in_period: int = 0
    disbursed: int = 0
    principal_repaid: int = 0
    interest_earned: int = 0
    outstanding: int = 0
    loans_outstanding: int = 0
    borrowers: int = 0
    disbursed_in_period: int = 0
    principal_repaid_in_period: int = 0
    interest_in_period: int = 0
    overdue_principal: int = 0
    overdue_interest: int = 0
    par30: int = 0  # outstanding of loans more than 30 days past due
    par90: int = 0
    buckets: dict = field(default_factory=dict)  # name -> {"loans", "outstanding"}
    by_kind: dict = field(default_factory=dict)
    by_sector: dict = field(default_factory=dict)
    by_area: dict = field(default_factory=dict)
    overdue: list = field(default_factory=list)  # positions of loans past due, oldest first

    @property
    def par30_ratio(self) -> float:
        return self.par30 / self.outstanding if self.outstanding else 0.0

    @property
    def par90_ratio(self) -> float:
        return self.par90 / self.outstanding if self.outstanding else 0.0

    def as_dict(self) -> dict:
        data = {
            "as_of": self.as_of.isoformat(),
            "from": self.date_from.isoformat() if self.date_from else None,
            "grouping": self.grouping,
            "total_capital": self.capital,
            "disbursed": self.disbursed,
            "principal_repaid": self.principal_repaid,
            "interest_earned": self.interest_earned,
            "outstanding": self.outstanding,
            "loans_outstanding": self.loans_outstanding,
            "borrowers_outstanding": self.borrowers,
            "overdue_principal": self.overdue_principal,
            "overdue_interest": self.overdue_interest,
            "par30": self.par30,
            "par90": self.par90,
            "par30_ratio": round(self.par30_ratio, 4),
            "par90_ratio": round(self.par90_ratio, 4),
            "buckets": self.buckets,
            "by_kind": {k: v.as_dict() for k, v in self.by_kind.items()},
            "by_sector": {k: v.as_dict() for k, v in self.by_sector.items()},
            "by_area": {k: v.as_dict() for k, v in self.by_area.items()},
            "overdue_loans": [
                {
                    "code": p.loan.code,
                    "borrower": p.loan.borrower.name,
                    "days_past_due": p.days_past_due,
                    "overdue_principal": p.overdue_principal,
                    "overdue_interest": p.overdue_interest,
                    "outstanding": p.outstanding,
                }
                for p in self.overdue
            ],
        }
        if self.date_from:
            data["flows"] = {
                "capital_in": self.capital_in_period,
                "disbursed": self.disbursed_in_period,
                "principal_repaid": self.principal_repaid_in_period,
                "interest_earned": self.interest_in_period,
            }
        return data


def _area_name(loan: Loan, as_of: datetime.date, grouping: str, successors, units) -> str:
    commune = loan.borrower.commune
    if grouping == "now":
        unit = units.get(commune.current_id)
        return unit.name if unit else "—"
    unit = units.get(geo.unit_on(commune.pk, as_of, successors))
    if unit is None:
        return "—"
    return unit.parent.name if unit.level == 3 and unit.parent_id else unit.name


def fund_statement(
    *,
    as_of: datetime.date,
    date_from: datetime.date | None = None,
    grouping: str = "then",
    queryset: QuerySet[Loan] | None = None,
) -> Statement:
    """The fund on as_of (and its flows from date_from), by organisation type, sector and area."""
    st = Statement(as_of=as_of, date_from=date_from, grouping=grouping)
    st.capital = capital_on(as_of)
    if date_from:
        st.capital_in_period = capital_between(date_from, as_of)
    st.buckets = {name: {"loans": 0, "outstanding": 0} for name, _lo, _hi in BUCKETS}
    st.by_kind = {k.value: Breakdown() for k in OrgKind}
    st.by_sector = {s.value: Breakdown() for s in Sector}
    loans = list(loans_with_money(queryset).filter(status__in=DISBURSED_STATUSES))

    successors = geo.successor_map()
    if grouping == "now":
        unit_ids = {loan.borrower.commune.current_id for loan in loans}
    else:
        unit_ids = {geo.unit_on(loan.borrower.commune_id, as_of, successors) for loan in loans}
    units = geo.units_by_id(u for u in unit_ids if u)
    borrowers = set()
    for loan in loans:
        pos = position(loan, as_of)
        if not pos.disbursed:
            continue
        in_period = [0, 0, 0]
        if date_from:
            in_period[0] = sum(d.amount for d in loan.disbursements.all() if date_from <= d.on <= as_of)
            for r in loan.repayments.all():
                if date_from <= r.on <= as_of:
                    in_period[1] += r.principal
                    in_period[2] += r.overdue_interest + r.interest
        st.disbursed += pos.disbursed
        st.principal_repaid += pos.principal_repaid
        st.interest_earned += pos.interest_paid
        st.disbursed_in_period += in_period[0]
        st.principal_repaid_in_period += in_period[1]
        st.interest_in_period += in_period[2]
        area = _area_name(loan, as_of, grouping, successors, units)
        groups = [
            st.by_kind[loan.borrower.kind],
            st.by_sector[loan.borrower.sector],
            st.by_area.setdefault(area, Breakdown()),
        ]
        for group in groups:
            group.disbursed_in_period += in_period[0]
            group.repaid_in_period += in_period[1]
        if pos.outstanding <= 0:
            continue
        st.outstanding += pos.outstanding
        st.loans_outstanding += 1
        borrowers.add(loan.borrower_id)
        st.overdue_principal += pos.overdue_principal
        st.overdue_interest += pos.overdue_interest
        st.buckets[pos.bucket]["loans"] += 1
        st.buckets[pos.bucket]["outstanding"] += pos.outstanding
        if pos.days_past_due > 30:
            st.par30 += pos.outstanding
        if pos.days_past_due > 90:
            st.par90 += pos.outstanding
        if pos.days_past_due:
            st.overdue.append(pos)
        for group in groups:
            group.loans += 1
            group.borrowers.add(loan.borrower_id)
            group.outstanding += pos.outstanding
            group.overdue_principal += pos.overdue_principal
            group.par30 += pos.outstanding if pos.days_past_due > 30 else 0
    st.borrowers = len(borrowers)
    st.by_area = dict(sorted(st.by_area.items()))
    st.overdue.sort(key=lambda p: -p.days_past_due)
    return st


def arrears_by_loan(as_of: datetime.date, queryset: QuerySet[Loan] | None = None) -> list[Position]:
    """Loans past due on as_of, oldest arrears first, with their borrower (and contacts) loaded."""
    positions = [position(loan, as_of) for loan in loans_with_money(queryset).filter(status__in=DISBURSED_STATUSES)]
    return sorted((p for p in positions if p.days_past_due), key=lambda p: -p.days_past_due)


def schedule_rows(loan: Loan, day: datetime.date) -> list[dict]:
    """The schedule in force on day with, per instalment, what has been paid and what is left (for the loan page)."""
    paid = sum(r.amount for r in loan.repayments.all() if r.on <= day)
    rows = []
    for line in lines_in_force(loan, day):
        covered = min(paid, line.total)
        paid -= covered
        state = "paid" if covered == line.total else ("late" if line.due_on < day else "due")
        if covered and covered < line.total:
            state = "partial" if line.due_on >= day else "late"
        rows.append({"line": line, "paid": covered, "left": line.total - covered, "state": state})
    return rows
