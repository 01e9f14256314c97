"""Repayment schedules: pure functions of the loan's terms, in whole đồng.

Rounding rule (one, documented in docs/decisions/0007-fund-money.md):
- principal: each principal instalment is ``amount // n`` đồng; the last one takes the
  remainder, so a schedule's principal always sums exactly to the amount;
- interest: for each period, balance × annual rate × day-count fraction, computed exactly
  with Decimal and rounded to the nearest đồng, halves up.
"""

import calendar
import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

EQUAL_PRINCIPAL = "equal_principal"
ANNUITY = "annuity"
ACTUAL_365 = "actual_365"
THIRTY_360 = "30_360"


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, clamped to the month's end (31/01 + 1 month = 28/02)."""
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def days_360(start: datetime.date, end: datetime.date) -> int:
    """30/360 (US/NASD-free, "30E/360") day count between two dates."""
    d1, d2 = min(start.day, 30), min(end.day, 30)
    return (end.year - start.year) * 360 + (end.month - start.month) * 30 + (d2 - d1)


def year_fraction(start: datetime.date, end: datetime.date, day_count: str) -> Decimal:
    if day_count == THIRTY_360:
        return Decimal(days_360(start, end)) / Decimal(360)
    return Decimal((end - start).days) / Decimal(365)


def round_dong(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Line:
    """One instalment: what is due on due_on."""

    seq: int
    due_on: datetime.date
    principal: int
    interest: int
    balance_after: int  # scheduled principal balance after this instalment

    @property
    def total(self) -> int:
        return self.principal + self.interest


@dataclass(frozen=True)
class Terms:
    annual_rate: Decimal  # percent a year, e.g. Decimal("7.2")
    term_months: int
    principal_every: int = 1  # months between principal instalments
    interest_every: int = 1  # months between interest payments
    grace_months: int = 0  # months at the start with interest only
    method: str = EQUAL_PRINCIPAL
    day_count: str = THIRTY_360


def grid(start: datetime.date, terms: Terms) -> list[tuple[datetime.date, bool, bool]]:
    """Due dates of a loan first disbursed on start: (day, principal falls due, interest falls due).

    Interest every ``interest_every`` months; principal every ``principal_every`` months after
    the grace period; both at maturity (start + term).
    """
    if terms.term_months <= 0 or terms.principal_every <= 0 or terms.interest_every <= 0:
        raise ValueError("term and frequencies must be positive")
    if terms.grace_months >= terms.term_months:
        raise ValueError("grace must be shorter than the term")
    principal_months = set(
        range(terms.grace_months + terms.principal_every, terms.term_months + 1, terms.principal_every)
    ) | {terms.term_months}
    interest_months = set(range(terms.interest_every, terms.term_months + 1, terms.interest_every)) | {
        terms.term_months
    }
    return [
        (add_months(start, m), m in principal_months, m in interest_months)
        for m in sorted(principal_months | interest_months)
    ]


def accrued(events: list[tuple[datetime.date, int]], start: datetime.date, end: datetime.date, terms: Terms) -> Decimal:
    """Interest from start to end on a balance that changes by each event's amount on its day."""
    balance = sum(amount for day, amount in events if day <= start)
    total, cursor = Decimal(0), start
    for day, amount in sorted(e for e in events if start < e[0] <= end):
        total += Decimal(balance) * Decimal(terms.annual_rate) / 100 * year_fraction(cursor, day, terms.day_count)
        balance += amount
        cursor = day
    total += Decimal(balance) * Decimal(terms.annual_rate) / 100 * year_fraction(cursor, end, terms.day_count)
    return total


def rebuild(
    *,
    terms: Terms,
    first_disbursed_on: datetime.date,
    disbursements: list[tuple[datetime.date, int]],
    past: list[Line],
    effective_on: datetime.date,
    principal_paid: int = 0,
) -> list[Line]:
    """A new schedule in force from effective_on: lines due by then kept as they were.

    Used for the first schedule (no past), a new tranche, a prepayment and a rescheduling.
    Principal paid beyond what had fallen due becomes a line on effective_on (with the
    interest accrued to that day), so every version's principal sums to the amount
    disbursed. What is left is spread over the remaining principal dates of the loan's
    grid, and each remaining period's interest accrues on the scheduled balance.
    """
    kept = [line for line in past if line.due_on <= effective_on]
    disbursed = sum(amount for day, amount in disbursements if day <= effective_on)
    scheduled = sum(line.principal for line in kept)
    prepaid = max(0, principal_paid - scheduled)
    remaining = disbursed - scheduled - prepaid
    if remaining < 0:
        raise ValueError("more principal scheduled or paid than disbursed")
    future = [g for g in grid(first_disbursed_on, terms) if g[0] > effective_on]
    if remaining and not any(is_principal for _day, is_principal, _i in future):
        raise ValueError("no principal date left before maturity")

    events = [(day, amount) for day, amount in disbursements if day <= effective_on]
    events += [(line.due_on, -line.principal) for line in kept if line.principal]
    interest_days = [line.due_on for line in kept if line.interest] or [first_disbursed_on]
    last_interest = max(interest_days + [first_disbursed_on])
    lines = list(kept)
    seq = len(lines)
    if prepaid:
        interest = round_dong(accrued(events, last_interest, effective_on, terms))
        events.append((effective_on, -prepaid))
        seq += 1
        lines.append(
            Line(
                seq=seq,
                due_on=effective_on,
                principal=prepaid,
                interest=interest,
                balance_after=disbursed - scheduled - prepaid,
            )
        )
        last_interest = effective_on

    principal_days = [day for day, is_principal, _i in future if is_principal]
    parts = _principal_parts(remaining, len(principal_days), terms) if principal_days else []
    principal_at = dict(zip(principal_days, parts, strict=True))
    events += [(day, -amount) for day, amount in principal_at.items()]
    balance = disbursed - scheduled - prepaid
    for day, _is_principal, is_interest in future:
        interest = 0
        if is_interest:
            interest = round_dong(accrued(events, last_interest, day, terms))
            last_interest = day
        principal = principal_at.get(day, 0)
        balance -= principal
        seq += 1
        lines.append(Line(seq=seq, due_on=day, principal=principal, interest=interest, balance_after=balance))
    return lines


def build(amount: int, start: datetime.date, terms: Terms) -> list[Line]:
    """The schedule of a loan of `amount` đồng disbursed in one tranche on `start`."""
    if amount <= 0:
        raise ValueError("amount must be positive")
    return rebuild(terms=terms, first_disbursed_on=start, disbursements=[(start, amount)], past=[], effective_on=start)


def _principal_parts(amount: int, n: int, terms: Terms) -> list[int]:
    if terms.method == ANNUITY:
        return _annuity_principal(amount, n, terms)
    part = amount // n
    return [part] * (n - 1) + [amount - part * (n - 1)]


def _annuity_principal(amount: int, n: int, terms: Terms) -> list[int]:
    """Principal parts of level payments (principal + interest) at the periodic rate."""
    rate = Decimal(terms.annual_rate) / 100 * Decimal(terms.principal_every) / 12
    if rate == 0:
        part = amount // n
        return [part] * (n - 1) + [amount - part * (n - 1)]
    payment = Decimal(amount) * rate / (1 - (1 + rate) ** -n)
    parts, balance = [], amount
    for _ in range(n - 1):
        principal = min(balance, max(0, round_dong(payment - Decimal(balance) * rate)))
        parts.append(principal)
        balance -= principal
    parts.append(balance)
    return parts
