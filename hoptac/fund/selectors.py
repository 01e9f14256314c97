"""Reads of the fund: a loan's position on any date, arrears, capital and statements.

A position is computed from the dated records (disbursements, repayments, the schedule
version in force), never stored, so a statement "as of 15/03/2021" has one answer years
later. Every figure a fund page, export, command or report prints comes from here.
"""

import datetime
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import BigIntegerField, F, Prefetch, Q, QuerySet, Sum, Window
from django.db.models.functions import Cast

from hoptac.core.models import Role
from hoptac.geo import selectors as geo
from hoptac.geo.models import AdminUnit
from hoptac.registry.models import OrgKind, Sector
from hoptac.registry.selectors import organizations_for

from . import schedule as sched
from .models import CapitalMovement, Disbursement, Instalment, Loan, LoanStatus, Repayment, Schedule

BUCKETS = [("current", 0, 0), ("1-30", 1, 30), ("31-90", 31, 90), ("91-180", 91, 180), (">180", 181, None)]
DISBURSED_STATUSES = [LoanStatus.ACTIVE, LoanStatus.CLOSED, LoanStatus.WRITTEN_OFF]
# What the statement and the arrears page print of a loan's borrower: its name, commune and district.
BORROWER_AND_AREA = ["borrower", "borrower__commune", "borrower__commune__parent"]


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
    return qs.select_related(*BORROWER_AND_AREA).prefetch_related(
        "disbursements",
        "repayments",
        Prefetch(
            "schedules",
            queryset=Schedule.objects.prefetch_related(
                Prefetch("instalments", queryset=Instalment.objects.order_by("seq"))
            ),
        ),
    )


# ---------------------------------------------------------------- every loan at once


@dataclass
class _Money:
    """What position() adds up from a loan's rows, summed by the database (see money_on)."""

    disbursed: int = 0
    principal_repaid: int = 0
    interest_paid: int = 0
    paid: int = 0
    due: tuple[int, int] = (0, 0)  # principal and interest of the version in force due on or before day
    disbursed_in_period: int = 0
    principal_repaid_in_period: int = 0
    interest_in_period: int = 0
    version_in_force: int | None = None
    oldest_unpaid_on: datetime.date | None = None


_NOTHING = _Money()  # a loan with no money by the day


def _sums(queryset, key: str, **sums) -> dict[int, dict[str, int]]:
    """{key: {name: sum}} of queryset grouped by key, in one query (a NULL sum, nothing matched, is 0).

    The sums are cast to bigint and the rows read from the cursor: PostgreSQL's SUM of bigint is
    a numeric (a Decimal each), and Django's converters over 20.000 loans × 5 sums cost more
    than the query (issue #9). Amounts are whole đồng, so the cast loses nothing.
    """
    names = list(sums)
    casts = {name: Cast(total, BigIntegerField()) for name, total in sums.items()}
    sql, params = queryset.order_by().values(key).annotate(**casts).values_list(key, *names).query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return {row[0]: dict(zip(names, (v or 0 for v in row[1:]), strict=True)) for row in rows}


def money_on(
    day: datetime.date, queryset: QuerySet[Loan] | None = None, *, date_from: datetime.date | None = None
) -> dict[int, _Money]:
    """For every loan of queryset, its sums on day (and from date_from), in four or five grouped queries.

    At national scale a loan has about 25 repayments and 36 instalments; one GROUP BY over
    each table is much faster than a subquery per loan or Python walking the rows. The
    version in force is chosen as lines_in_force() chooses it (the highest number in force on
    day, else the first). The oldest unpaid instalment, the first by seq whose running total
    of principal and interest exceeds everything paid (where position()'s loop stops), is
    looked for only in loans that owe more than they paid, with a window sum in the database.
    """
    loans = (queryset if queryset is not None else Loan.objects.all()).order_by().values("pk")
    on_day = Q(on__lte=day)
    interest = F("overdue_interest") + F("interest")
    paid_out = {"total": Sum("amount", filter=on_day)}
    paid_in = {
        "repaid": Sum("principal", filter=on_day),
        "interest_paid": Sum(interest, filter=on_day),
        "paid": Sum("amount", filter=on_day),
    }
    if date_from:
        in_period = Q(on__gte=date_from, on__lte=day)
        paid_out["in_period"] = Sum("amount", filter=in_period)
        paid_in["repaid_in_period"] = Sum("principal", filter=in_period)
        paid_in["interest_in_period"] = Sum(interest, filter=in_period)
    disbursed = _sums(Disbursement.objects.filter(loan__in=loans, on__lte=day), "loan", **paid_out)
    repaid = _sums(Repayment.objects.filter(loan__in=loans, on__lte=day), "loan", **paid_in)
    due = _sums(
        Instalment.objects.filter(schedule__loan__in=loans, due_on__lte=day),
        "schedule",
        principal_due=Sum("principal"),
        interest_due=Sum("interest"),
    )
    money: dict[int, _Money] = {}  # loans with nothing disbursed or paid by day are left out
    for pk, sums in disbursed.items():
        money[pk] = _Money(disbursed=sums["total"], disbursed_in_period=sums.get("in_period", 0))
    for pk, sums in repaid.items():
        m = money.setdefault(pk, _Money())
        m.principal_repaid, m.interest_paid, m.paid = sums["repaid"], sums["interest_paid"], sums["paid"]
        m.principal_repaid_in_period = sums.get("repaid_in_period", 0)
        m.interest_in_period = sums.get("interest_in_period", 0)
    for loan_id, effective_on, pk in (
        Schedule.objects.filter(loan__in=loans).order_by("number").values_list("loan", "effective_on", "pk")
    ):
        m = money.get(loan_id)
        if m is not None and (m.version_in_force is None or effective_on <= day):
            m.version_in_force = pk
    owing = {}
    for m in money.values():
        if m.disbursed and m.version_in_force:
            sums = due.get(m.version_in_force, {"principal_due": 0, "interest_due": 0})
            m.due = (sums["principal_due"], sums["interest_due"])
            if sum(m.due) > m.paid:
                owing[m.version_in_force] = m
    if owing:
        # The ids are few (loans behind or with an instalment due today), well under SQLite's 32.766 parameters.
        running = Window(Sum(F("principal") + F("interest")), partition_by=F("schedule"), order_by=F("seq").asc())
        lines = (
            Instalment.objects.filter(schedule__in=list(owing), due_on__lte=day)
            .annotate(running=running)
            .order_by("schedule", "seq")
            .values_list("schedule", "due_on", "running")
        )
        for schedule_id, due_on, total in lines:
            m = owing[schedule_id]
            if m.oldest_unpaid_on is None and total > m.paid:
                m.oldest_unpaid_on = due_on
    return money


def _position_of(loan: Loan, day: datetime.date, m: _Money) -> Position:
    """The Position of loan from its sums, with the rules that end position().

    loan may be a row with the loan's pk and written_off_on (the statement's), not a Loan.
    """
    pos = Position(loan=loan, day=day)
    pos.disbursed, pos.principal_repaid, pos.interest_paid = m.disbursed, m.principal_repaid, m.interest_paid
    if loan.written_off_on and loan.written_off_on <= day:
        pos.written_off = max(0, pos.disbursed - pos.principal_repaid)
    if pos.disbursed == 0:
        return pos
    pos.principal_due, pos.interest_due = m.due
    pos.oldest_unpaid_on = m.oldest_unpaid_on
    if pos.oldest_unpaid_on and pos.oldest_unpaid_on < day and pos.outstanding > 0:
        pos.days_past_due = (day - pos.oldest_unpaid_on).days
    elif pos.outstanding <= 0:
        pos.oldest_unpaid_on = None
    return pos


def positions_on(day: datetime.date, queryset: QuerySet[Loan] | None = None) -> list[Position]:
    """position(loan, day) of every loan of queryset (all loans by default), in a constant number of queries.

    next_due is left None (the loan page, which shows it, uses position()). The loans come
    with their borrower, its commune and district, which the statement and the arrears page print.
    """
    qs = queryset if queryset is not None else Loan.objects.all()
    money = money_on(day, qs)
    return [_position_of(loan, day, money.get(loan.pk, _NOTHING)) for loan in qs.select_related(*BORROWER_AND_AREA)]


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


def _area_names(rows, as_of: datetime.date, grouping: str) -> dict[int, str]:
    """{commune id: the area its loans are counted under}: the district it was in on as_of, or its unit of today.

    One query of plain values for every commune at once (the statement only prints names).
    """
    successors = geo.successor_map()
    communes = {(row.commune_id, row.current_id) for row in rows}
    unit_of = {c: (now if grouping == "now" else geo.unit_on(c, as_of, successors)) for c, now in communes}
    units = {
        pk: (name, level, parent_id, parent_name)
        for pk, name, level, parent_id, parent_name in AdminUnit.objects.filter(
            pk__in={u for u in unit_of.values() if u}
        ).values_list("pk", "name", "level", "parent_id", "parent__name")
    }
    names = {}
    for commune_id, unit_id in unit_of.items():
        unit = units.get(unit_id)
        if unit is None:
            names[commune_id] = "—"
        elif grouping == "now":
            names[commune_id] = unit[0]
        else:
            names[commune_id] = unit[3] if unit[1] == 3 and unit[2] else unit[0]
    return names


def fund_statement(
    *,
    as_of: datetime.date,
    date_from: datetime.date | None = None,
    grouping: str = "then",
    queryset: QuerySet[Loan] | None = None,
    totals_only: bool = False,
) -> Statement:
    """The fund on as_of (and its flows from date_from), by organisation type, sector and area.

    totals_only (the quarterly report's figures): the totals only, no breakdown by type, sector
    or area, and the loans past due counted but not loaded with their borrowers.

    The sums come from money_on() (grouped queries) and each loan from a row of the few
    columns the grouping needs; only the loans past due, which the statement lists, are
    loaded as objects (with borrower, commune and district), so the queries are the same
    whatever the number of loans and the national scale's 20.000 loans build no models.
    """
    st = Statement(as_of=as_of, date_from=date_from, grouping=grouping)
    st.capital = capital_on(as_of)
    if date_from:
        st.capital_in_period = capital_between(date_from, as_of)
    st.buckets = {name: {"loans": 0, "outstanding": 0} for name, _lo, _hi in BUCKETS}
    st.by_kind = {k.value: Breakdown() for k in OrgKind}
    st.by_sector = {s.value: Breakdown() for s in Sector}
    qs = (queryset if queryset is not None else Loan.objects.all()).filter(status__in=DISBURSED_STATUSES)
    money = money_on(as_of, qs, date_from=date_from)
    if totals_only:
        loans = list(qs.values_list("pk", "written_off_on", "borrower_id", named=True))
    else:
        loans = list(
            qs.annotate(
                org_kind=F("borrower__kind"),
                org_sector=F("borrower__sector"),
                commune_id=F("borrower__commune_id"),
                current_id=F("borrower__commune__current_id"),
            ).values_list(
                "pk", "written_off_on", "borrower_id", "org_kind", "org_sector", "commune_id", "current_id", named=True
            )
        )

    areas = {} if totals_only else _area_names(loans, as_of, grouping)
    borrowers = set()
    for loan in loans:
        m = money.get(loan.pk, _NOTHING)
        pos = _position_of(loan, as_of, m)
        if not pos.disbursed:
            continue
        in_period = (m.disbursed_in_period, m.principal_repaid_in_period, m.interest_in_period)
        st.disbursed += pos.disbursed
        st.principal_repaid += pos.principal_repaid
        st.interest_earned += pos.interest_paid
        st.disbursed_in_period += in_period[0]
        st.principal_repaid_in_period += in_period[1]
        st.interest_in_period += in_period[2]
        groups = (
            []
            if totals_only
            else [
                st.by_kind[loan.org_kind],
                st.by_sector[loan.org_sector],
                st.by_area.setdefault(areas[loan.commune_id], Breakdown()),
            ]
        )
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
    if totals_only:
        return st
    full = Loan.objects.select_related(*BORROWER_AND_AREA).in_bulk([p.loan.pk for p in st.overdue])
    for p in st.overdue:
        p.loan = full[p.loan.pk]
    return st


def arrears_by_loan(as_of: datetime.date, queryset: QuerySet[Loan] | None = None) -> list[Position]:
    """Loans past due on as_of, oldest arrears first, with their borrower (and its commune) loaded."""
    positions = positions_on(
        as_of, (queryset if queryset is not None else Loan.objects).filter(status__in=DISBURSED_STATUSES)
    )
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
