"""Writes to the fund. Each service checks its rules, saves in one transaction and audits.

Messages are in Vietnamese through gettext (English msgids). Money is whole đồng.
A staff action given ``expected_version`` (the loan's version when the form was opened) is
refused with StaleLoan if anyone acted on the loan since: two officers recording the same
payment from two open pages must not both succeed.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hoptac.core.audit import log_action
from hoptac.core.formatting import vi_date, vi_money
from hoptac.registry.models import Organization, Status

from . import schedule as sched
from .models import (
    Appraisal,
    CapitalMovement,
    CapitalSource,
    Disbursement,
    Instalment,
    Loan,
    LoanProduct,
    LoanStatus,
    Repayment,
    Schedule,
)
from .selectors import lines_in_force, position


def _records_language():
    """Texts the system writes into records are in the install's language, whoever is signed in."""
    return translation.override(settings.LANGUAGE_CODE)


def _by(user):
    return user if getattr(user, "is_authenticated", False) else None


def _not_future(day: datetime.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})


class StaleLoan(Exception):
    """The loan changed after the form was opened; acting on it could pay or decide twice."""

    def __init__(self, loan: Loan):
        super().__init__("stale")
        self.loan = loan


def _lock(loan: Loan, expected_version: int | None = None) -> Loan:
    """The loan, locked until the transaction ends; refused (StaleLoan) if it is past the version the form saw."""
    locked = Loan.objects.select_for_update().get(pk=loan.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleLoan(locked)
    return locked


# ---------------------------------------------------------------- capital


@transaction.atomic
def capital_record(
    *, source: CapitalSource, on: datetime.date, amount: int, by=None, document: str = "", note: str = ""
) -> CapitalMovement:
    """A contribution (amount > 0) or withdrawal (amount < 0) of the fund's capital."""
    from .selectors import capital_on

    _not_future(on, "on")
    if not amount:
        raise ValidationError({"amount": _("The amount cannot be zero.")})
    if amount < 0 and capital_on(on) + amount < 0:
        raise ValidationError({"amount": _("The withdrawal is larger than the fund's capital on that date.")})
    movement = CapitalMovement.objects.create(
        source=source, on=on, amount=amount, document=document, note=note, created_by=_by(by)
    )
    log_action(
        "fund.capital.recorded", instance=movement, user=by, changes={"source": source.name, "on": on, "amount": amount}
    )
    return movement


# ---------------------------------------------------------------- applications


def eligibility(
    *,
    borrower: Organization,
    product: LoanProduct | None,
    on: datetime.date,
    amount: int,
    project_cost: int | None,
    equity_amount: int | None,
    term_months: int | None,
) -> list[str]:
    """Reasons the application does not meet the rules (empty when it does): the pre-check."""
    problems = []
    if product is not None:
        if borrower.kind not in product.eligible_kinds:
            problems.append(_("%(kind)s may not borrow under this product.") % {"kind": borrower.get_kind_display()})
        if amount > product.max_amount:
            problems.append(
                _("The amount is above the product's maximum of %(max)s.") % {"max": vi_money(product.max_amount)}
            )
        if project_cost:
            if Decimal(amount) > Decimal(project_cost) * product.max_project_share / 100:
                problems.append(
                    _("The loan may cover at most %(share)s%% of the project cost.")
                    % {"share": f"{product.max_project_share:g}"}
                )
            if equity_amount is None or Decimal(equity_amount) < Decimal(project_cost) * product.min_equity_share / 100:
                problems.append(
                    _("The borrower's own capital must be at least %(share)s%% of the project cost.")
                    % {"share": f"{product.min_equity_share:g}"}
                )
        else:
            problems.append(_("Give the project cost."))
        if term_months and term_months > product.max_term_months:
            problems.append(
                _("The term is longer than the product's maximum of %(n)d months.") % {"n": product.max_term_months}
            )
    if borrower.archived_on or borrower.status_on(on) != Status.ACTIVE:
        problems.append(_("The organisation is not operating on %(day)s.") % {"day": vi_date(on)})
    for other in borrower.loans.filter(status=LoanStatus.ACTIVE).prefetch_related(
        "disbursements", "repayments", "schedules__instalments"
    ):
        if position(other, on).days_past_due:
            problems.append(_("Loan %(code)s of this organisation is overdue.") % {"code": other.code})
    return problems


@transaction.atomic
def loan_apply(
    *,
    borrower: Organization,
    product: LoanProduct | None,
    code: str,
    project_name: str,
    amount: int,
    term_months: int,
    on: datetime.date,
    by=None,
    purpose: str = "",
    project_cost: int | None = None,
    equity_amount: int | None = None,
) -> Loan:
    """An application for a project. Eligibility is checked on approval, and shown to staff before."""
    _not_future(on, "applied_on")
    if amount <= 0:
        raise ValidationError({"requested_amount": _("The amount must be positive.")})
    if term_months <= 0:
        raise ValidationError({"requested_term_months": _("The term must be positive.")})
    if borrower.archived_on or borrower.status_on(on) != Status.ACTIVE:
        raise ValidationError(_("The organisation is not operating on %(day)s.") % {"day": vi_date(on)})
    if Loan.objects.filter(code=code).exists():
        raise ValidationError({"code": _("A loan with this code already exists.")})
    loan = Loan.objects.create(
        code=code,
        borrower=borrower,
        product=product,
        project_name=project_name,
        purpose=purpose,
        project_cost=project_cost,
        equity_amount=equity_amount,
        requested_amount=amount,
        requested_term_months=term_months,
        applied_on=on,
        created_by=_by(by),
        modified_by=_by(by),
    )
    log_action(
        "fund.loan.applied",
        instance=loan,
        user=by,
        changes={"borrower": borrower.name, "amount": amount, "term_months": term_months},
    )
    return loan


@transaction.atomic
def loan_appraise(
    *,
    loan: Loan,
    on: datetime.date,
    text: str,
    by=None,
    recommendation: str = "",
    attachment=None,
    expected_version: int | None = None,
) -> Appraisal:
    """Fund staff's notes on an application; the first one moves it to appraisal."""
    loan = _lock(loan, expected_version)
    if loan.status not in (LoanStatus.APPLIED, LoanStatus.APPRAISAL):
        raise ValidationError(_("Only applications can be appraised."))
    if not text.strip():
        raise ValidationError({"text": _("Write the appraisal notes.")})
    if on < loan.applied_on:
        raise ValidationError({"on": _("The appraisal cannot be before the application.")})
    appraisal = Appraisal.objects.create(
        loan=loan, on=on, text=text, recommendation=recommendation, attachment=attachment or "", created_by=_by(by)
    )
    if loan.status == LoanStatus.APPLIED:
        loan.status = LoanStatus.APPRAISAL
    # Every step moves the version on, so a form opened before it is refused (StaleLoan).
    loan.version += 1
    loan.save(update_fields=["status", "version", "modified_on"])
    log_action("fund.loan.appraised", instance=loan, user=by, changes={"on": on, "recommendation": recommendation})
    return appraisal


@transaction.atomic
def loan_approve(
    *,
    loan: Loan,
    amount: int,
    decision_number: str,
    decision_on: datetime.date,
    approver: str,
    by=None,
    term_months: int | None = None,
    annual_rate: Decimal | None = None,
    principal_every_months: int | None = None,
    interest_every_months: int | None = None,
    expected_version: int | None = None,
) -> Loan:
    """The approval decision: copies the product's terms onto the loan, which keeps them from now on.

    annual_rate and the principal / interest frequencies, when given, are the loan's terms
    instead of the product's (a loan without a product has no other source for them).
    """
    loan = _lock(loan, expected_version)
    if (annual_rate is not None and annual_rate < 0) or any(
        every is not None and every < 1 for every in (principal_every_months, interest_every_months)
    ):
        raise ValidationError(
            _("The rate cannot be negative, and principal and interest periods are at least one month.")
        )
    if loan.status not in (LoanStatus.APPLIED, LoanStatus.APPRAISAL):
        raise ValidationError(_("Only applications can be approved."))
    if not decision_number.strip() or not approver.strip():
        raise ValidationError(_("Give the decision number and the approver."))
    if decision_on < loan.applied_on:
        raise ValidationError({"decision_on": _("The decision cannot be before the application.")})
    if amount <= 0 or amount > loan.requested_amount:
        raise ValidationError({"amount": _("The approved amount must be positive and at most the amount requested.")})
    term = term_months or loan.requested_term_months
    problems = eligibility(
        borrower=loan.borrower,
        product=loan.product,
        on=decision_on,
        amount=amount,
        project_cost=loan.project_cost,
        equity_amount=loan.equity_amount,
        term_months=term,
    )
    if problems:
        raise ValidationError(problems)
    product = loan.product
    loan.status = LoanStatus.APPROVED
    loan.approved_amount = amount
    loan.decision_number, loan.decision_on, loan.approver = decision_number.strip(), decision_on, approver.strip()
    loan.term_months = term
    if product is not None:
        loan.annual_rate = product.annual_rate
        loan.principal_every_months = product.principal_every_months
        loan.interest_every_months = product.interest_every_months
        loan.grace_months = product.grace_months
        loan.method = product.method
        loan.day_count = product.day_count
    if annual_rate is not None:
        loan.annual_rate = annual_rate
    if principal_every_months is not None:
        loan.principal_every_months = principal_every_months
    if interest_every_months is not None:
        loan.interest_every_months = interest_every_months
    loan.version += 1
    loan.save()
    log_action(
        "fund.loan.approved",
        instance=loan,
        user=by,
        changes={
            "amount": amount,
            "decision": decision_number,
            "on": decision_on,
            "approver": approver,
            "annual_rate": loan.annual_rate,
            "term_months": term,
        },
    )
    return loan


@transaction.atomic
def loan_reject(
    *, loan: Loan, reason: str, decision_on: datetime.date, by=None, expected_version: int | None = None
) -> Loan:
    loan = _lock(loan, expected_version)
    if loan.status not in (LoanStatus.APPLIED, LoanStatus.APPRAISAL):
        raise ValidationError(_("Only applications can be rejected."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    loan.status, loan.rejection_reason, loan.decision_on = LoanStatus.REJECTED, reason.strip(), decision_on
    loan.version += 1
    loan.save()
    log_action("fund.loan.rejected", instance=loan, user=by, changes={"reason": reason})
    return loan


@transaction.atomic
def loan_contract(*, loan: Loan, number: str, on: datetime.date, by=None, expected_version: int | None = None) -> Loan:
    """The signed contract."""
    loan = _lock(loan, expected_version)
    if loan.status != LoanStatus.APPROVED:
        raise ValidationError(_("Only approved loans get a contract."))
    if not number.strip():
        raise ValidationError({"number": _("Give the contract number.")})
    if on < loan.decision_on:
        raise ValidationError({"on": _("The contract cannot be before the decision.")})
    loan.status, loan.contract_number, loan.contract_on = LoanStatus.CONTRACTED, number.strip(), on
    loan.version += 1
    loan.save()
    log_action("fund.loan.contracted", instance=loan, user=by, changes={"number": number, "on": on})
    return loan


# ---------------------------------------------------------------- money


def _save_schedule(loan: Loan, lines: list[sched.Line], effective_on: datetime.date, reason: str, by) -> Schedule:
    number = (loan.schedules.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = Schedule.objects.create(
        loan=loan, number=number, effective_on=effective_on, reason=reason, created_by=_by(by)
    )
    Instalment.objects.bulk_create(
        Instalment(schedule=version, seq=line.seq, due_on=line.due_on, principal=line.principal, interest=line.interest)
        for line in lines
    )
    # Prefetched relations on this instance are stale now.
    getattr(loan, "_prefetched_objects_cache", {}).clear()
    return version


def _rebuild(loan: Loan, effective_on: datetime.date, reason: str, by, principal_paid: int | None = None):
    disbursements = [(d.on, d.amount) for d in loan.disbursements.all()]
    first = min(day for day, _a in disbursements)
    if principal_paid is None:
        principal_paid = sum(r.principal for r in loan.repayments.all() if r.on <= effective_on)
    lines = sched.rebuild(
        terms=loan.terms,
        first_disbursed_on=first,
        disbursements=disbursements,
        past=lines_in_force(loan, effective_on),
        effective_on=effective_on,
        principal_paid=principal_paid,
    )
    return _save_schedule(loan, lines, effective_on, reason, by)


@transaction.atomic
def loan_disburse(
    *,
    loan: Loan,
    amount: int,
    on: datetime.date,
    by=None,
    document: str = "",
    expected_version: int | None = None,
) -> Disbursement:
    """Pay out a tranche; the schedule is (re)built from the disbursements so far."""
    loan = _lock(loan, expected_version)
    _not_future(on, "on")
    if loan.status not in (LoanStatus.CONTRACTED, LoanStatus.ACTIVE):
        raise ValidationError(_("Only a loan with a signed contract can be disbursed."))
    if loan.contract_on and on < loan.contract_on:
        raise ValidationError({"on": _("The disbursement cannot be before the contract.")})
    if on < loan.borrower.founded_on:
        raise ValidationError({"on": _("The borrower was not founded yet on that date.")})
    already = sum(d.amount for d in loan.disbursements.all())
    if amount <= 0 or already + amount > (loan.approved_amount or 0):
        raise ValidationError(
            {
                "amount": _("The disbursements would exceed the approved amount (%(amount)s).")
                % {"amount": vi_money(loan.approved_amount or 0)}
            }
        )
    last = loan.disbursements.order_by("-on").first()
    if last and on < last.on:
        raise ValidationError({"on": _("Record tranches in date order.")})
    first = loan.disbursements.order_by("on").first()
    if first and on >= sched.add_months(first.on, loan.term_months):
        raise ValidationError({"on": _("The loan has matured; no more tranches.")})
    disbursement = Disbursement.objects.create(loan=loan, on=on, amount=amount, document=document, created_by=_by(by))
    getattr(loan, "_prefetched_objects_cache", {}).clear()
    with _records_language():
        reason = _("First disbursement") if not first else _("Tranche of %(amount)s") % {"amount": vi_money(amount)}
    _rebuild(loan, on, reason, by)
    if loan.status == LoanStatus.CONTRACTED:
        loan.status = LoanStatus.ACTIVE
    loan.version += 1
    loan.save()
    log_action("fund.loan.disbursed", instance=loan, user=by, changes={"amount": amount, "on": on})
    return disbursement


def allocation(loan: Loan, on: datetime.date, amount: int) -> tuple[int, int, int, bool]:
    """Split a payment: overdue interest first, then interest, then principal.

    Returns (overdue interest, interest, principal, prepayment). In order, the payment
    covers: interest fallen due before the payment day; interest due on the day; principal
    fallen due up to the day; then, paying ahead, the next instalment's interest and
    principal. What is left repays principal early (a prepayment), and then the interest
    taken is only what has accrued up to the payment day instead of the next instalment's.
    """
    pos = position(loan, on)
    lines = lines_in_force(loan, on)
    interest_before = sum(line.interest for line in lines if line.due_on < on)
    interest_today = sum(line.interest for line in lines if line.due_on == on)
    principal_by_today = sum(line.principal for line in lines if line.due_on <= on)
    overdue_interest_owed = max(0, interest_before - pos.interest_paid)
    interest_owed = max(0, interest_before + interest_today - pos.interest_paid) - overdue_interest_owed
    principal_owed = max(0, principal_by_today - pos.principal_repaid)
    upcoming = next((line for line in lines if line.due_on > on), None)
    paid_interest_beyond = max(0, pos.interest_paid - interest_before - interest_today)
    paid_principal_beyond = max(0, pos.principal_repaid - principal_by_today)
    next_interest = max(0, (upcoming.interest if upcoming else 0) - paid_interest_beyond)
    next_principal = max(0, (upcoming.principal if upcoming else 0) - paid_principal_beyond)
    regular = overdue_interest_owed + interest_owed + principal_owed + next_interest + next_principal
    prepayment = amount > regular and upcoming is not None
    if prepayment:
        # Early repayment: interest only as accrued to the payment day on the scheduled balance.
        disbursements = [(d.on, d.amount) for d in loan.disbursements.all()]
        events = disbursements + [(line.due_on, -line.principal) for line in lines if line.principal]
        paid_days = [line.due_on for line in lines if line.due_on <= on and line.interest]
        last_interest = max(paid_days + [min(day for day, _a in disbursements)])
        accrued = sched.round_dong(sched.accrued(events, last_interest, on, loan.terms))
        next_interest = max(0, accrued - paid_interest_beyond)
    rest = amount
    parts = []
    for owed in (overdue_interest_owed, interest_owed, principal_owed, next_interest):
        taken = min(rest, owed)
        parts.append(taken)
        rest -= taken
    overdue_interest, interest_now, principal_now, interest_next = parts
    principal_ahead = min(rest, pos.outstanding - principal_now)
    rest -= principal_ahead
    if rest > 0:
        raise ValidationError(
            {"amount": _("The payment is %(extra)s more than everything owed.") % {"extra": vi_money(rest)}}
        )
    return overdue_interest, interest_now + interest_next, principal_now + principal_ahead, prepayment


@transaction.atomic
def repayment_record(
    *,
    loan: Loan,
    on: datetime.date,
    amount: int,
    by=None,
    document: str = "",
    split: tuple[int, int] | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Repayment:
    """Record a payment, split by the allocation rule (or, for historic books, as given: (principal, interest)).

    Paying principal ahead of the schedule makes a new schedule version from that day,
    the old one kept; a loan fully repaid is closed.
    """
    loan = _lock(loan, expected_version)
    _not_future(on, "on")
    if loan.status != LoanStatus.ACTIVE:
        raise ValidationError(_("Only a disbursed loan can be repaid."))
    first = loan.disbursements.order_by("on").first()
    if on < first.on:
        raise ValidationError({"on": _("The payment cannot be before the first disbursement.")})
    if loan.repayments.filter(on__gt=on).exists():
        raise ValidationError({"on": _("A later payment is already recorded; record payments in date order.")})
    if amount <= 0:
        raise ValidationError({"amount": _("The amount must be positive.")})
    pos = position(loan, on)
    if split is not None:
        principal, interest = split
        overdue_interest = 0
        if principal < 0 or interest < 0 or principal + interest != amount:
            raise ValidationError({"amount": _("Principal and interest must add up to the amount.")})
        if principal > pos.outstanding:
            raise ValidationError(
                {
                    "amount": _("The principal repaid (%(paid)s) is more than is owed (%(owed)s).")
                    % {"paid": vi_money(principal), "owed": vi_money(pos.outstanding)}
                }
            )
        due = sum(line.principal for line in lines_in_force(loan, on) if line.due_on <= on)
        prepaid = pos.principal_repaid + principal > due
    else:
        overdue_interest, interest, principal, prepaid = allocation(loan, on, amount)
    repayment = Repayment.objects.create(
        loan=loan,
        on=on,
        amount=amount,
        overdue_interest=overdue_interest,
        interest=interest,
        principal=principal,
        document=document,
        note=note,
        created_by=_by(by),
    )
    getattr(loan, "_prefetched_objects_cache", {}).clear()
    if prepaid:
        # Also when the payment repays everything: the schedule in force must end with it, or
        # the instalments it replaced would look unpaid (in arrears) once their dates pass.
        with _records_language():
            reason = _("Prepayment of %(amount)s") % {"amount": vi_money(principal)}
        _rebuild(loan, on, reason, by)
    if pos.outstanding - principal == 0:
        loan.status, loan.closed_on = LoanStatus.CLOSED, on
    loan.version += 1
    loan.save()
    log_action(
        "fund.loan.repaid",
        instance=loan,
        user=by,
        changes={
            "on": on,
            "amount": amount,
            "overdue_interest": overdue_interest,
            "interest": interest,
            "principal": principal,
        },
    )
    return repayment


@transaction.atomic
def loan_reschedule(
    *,
    loan: Loan,
    on: datetime.date,
    term_months: int,
    reason: str,
    by=None,
    annual_rate: Decimal | None = None,
    expected_version: int | None = None,
) -> Schedule:
    """New terms from a date (longer term, new rate); the schedule in force before is kept in history."""
    loan = _lock(loan, expected_version)
    if loan.status != LoanStatus.ACTIVE:
        raise ValidationError(_("Only a disbursed loan can be rescheduled."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    first = loan.disbursements.order_by("on").first()
    if on < first.on or term_months <= 0 or sched.add_months(first.on, term_months) <= on:
        raise ValidationError({"term_months": _("The new maturity must be after the rescheduling date.")})
    before = {"term_months": loan.term_months, "annual_rate": loan.annual_rate}
    loan.term_months = term_months
    if annual_rate is not None:
        loan.annual_rate = annual_rate
    version = _rebuild(loan, on, reason.strip(), by)
    loan.version += 1
    loan.save()
    log_action(
        "fund.loan.rescheduled",
        instance=loan,
        user=by,
        changes={
            "term_months": [before["term_months"], term_months],
            "annual_rate": [before["annual_rate"], loan.annual_rate],
            "reason": reason,
            "on": on,
        },
    )
    return version


@transaction.atomic
def loan_write_off(*, loan: Loan, on: datetime.date, reason: str, by=None, expected_version: int | None = None) -> Loan:
    """Write off what is left of a loan that will not be repaid (decided by the fund's board)."""
    loan = _lock(loan, expected_version)
    if loan.status != LoanStatus.ACTIVE:
        raise ValidationError(_("Only a disbursed loan can be written off."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    if loan.repayments.filter(on__gt=on).exists():
        raise ValidationError({"on": _("A payment is recorded after that date.")})
    outstanding = position(loan, on).outstanding
    loan.status, loan.written_off_on, loan.write_off_reason = LoanStatus.WRITTEN_OFF, on, reason.strip()
    loan.version += 1
    loan.save()
    log_action(
        "fund.loan.written_off",
        instance=loan,
        user=by,
        changes={"on": on, "outstanding": outstanding, "reason": reason},
    )
    return loan


def loan_next_code(year: int) -> str:
    """The next free loan code of a year of application: "VAY-2021-0007".

    Codes of other shapes (imported from older books) are left alone; the sequence
    continues after the highest number already used in the year.
    """
    prefix = f"VAY-{year}-"
    numbers = [
        int(code[len(prefix) :])
        for code in Loan.objects.filter(code__startswith=prefix).values_list("code", flat=True)
        if code[len(prefix) :].isdigit()
    ]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"
