"""Pages of the support fund: loans from application to closing, capital, arrears and statements.

Views check access, validate a form, call a service and redirect; every figure comes from
``selectors``. A loan the user may not see answers 404, so its existence is not disclosed;
a write the user may not make answers 403. Only the fund's staff (and administrators)
decide and move money; a cooperative's own account may apply.
"""

import datetime
import os
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hoptac.core.audit import entries_for
from hoptac.core.formatting import vi_date, vi_money, vi_number
from hoptac.core.models import Role
from hoptac.registry import selectors as registry_selectors
from hoptac.registry.models import Organization, OrgKind, Sector

from . import selectors, services
from .forms import (
    ApplyForm,
    AppraiseForm,
    ApproveForm,
    CapitalForm,
    ContractForm,
    DayForm,
    DisburseForm,
    LoanFilterForm,
    RejectForm,
    RepaymentForm,
    RescheduleForm,
    StatementForm,
    WriteOffForm,
)
from .models import Appraisal, CapitalMovement, CapitalSource, Loan, LoanStatus

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

STATUS_BADGES = {
    LoanStatus.APPLIED: "badge-warning",
    LoanStatus.APPRAISAL: "badge-warning",
    LoanStatus.APPROVED: "badge",
    LoanStatus.CONTRACTED: "badge",
    LoanStatus.ACTIVE: "badge-active",
    LoanStatus.CLOSED: "badge-inactive",
    LoanStatus.REJECTED: "badge-danger",
    LoanStatus.WRITTEN_OFF: "badge-danger",
}
IN_PROGRESS = [LoanStatus.APPLIED, LoanStatus.APPRAISAL, LoanStatus.APPROVED, LoanStatus.CONTRACTED]

BUCKET_LABELS = {
    "current": gettext_lazy("Current"),
    "1-30": gettext_lazy("1–30 days"),
    "31-90": gettext_lazy("31–90 days"),
    "91-180": gettext_lazy("91–180 days"),
    ">180": gettext_lazy("More than 180 days"),
}
ROW_STATES = {
    "paid": gettext_lazy("Paid"),
    "partial": gettext_lazy("Partly paid"),
    "due": gettext_lazy("To pay"),
    "late": gettext_lazy("Late"),
}
ACTION_LABELS = {
    "fund.loan.applied": gettext_lazy("Application received"),
    "fund.loan.appraised": gettext_lazy("Appraised"),
    "fund.loan.approved": gettext_lazy("Approved"),
    "fund.loan.rejected": gettext_lazy("Rejected"),
    "fund.loan.contracted": gettext_lazy("Contract signed"),
    "fund.loan.disbursed": gettext_lazy("Disbursed"),
    "fund.loan.repaid": gettext_lazy("Repayment recorded"),
    "fund.loan.rescheduled": gettext_lazy("Rescheduled"),
    "fund.loan.written_off": gettext_lazy("Written off"),
}
# Keys of audit data that are not fields of the loan.
EXTRA_LABELS = {
    "amount": gettext_lazy("amount"),
    "on": gettext_lazy("date"),
    "decision": gettext_lazy("decision no."),
    "number": gettext_lazy("contract no."),
    "reason": gettext_lazy("reason"),
    "recommendation": gettext_lazy("recommendation"),
    "overdue_interest": gettext_lazy("overdue interest"),
    "interest": gettext_lazy("interest"),
    "principal": gettext_lazy("principal"),
    "outstanding": gettext_lazy("outstanding"),
}
MONEY_KEYS = {"amount", "overdue_interest", "interest", "principal", "outstanding"}


# ---------------------------------------------------------------- helpers


def _loan_or_404(user, pk: int) -> Loan:
    return get_object_or_404(selectors.loans_with_money(selectors.loans_for(user)).select_related("product"), pk=pk)


def _require_manage(user) -> None:
    if not selectors.can_manage_fund(user):
        raise PermissionDenied


def _is_cooperative(user) -> bool:
    return user.role == Role.COOPERATIVE and not user.is_alliance


def _can_apply(user) -> bool:
    return selectors.can_manage_fund(user) or (_is_cooperative(user) and bool(user.organization_id))


def _sees_appraisals(user) -> bool:
    # Appraisal notes are the fund's own deliberation: its staff and the area officers read them,
    # the borrower's account sees the decision.
    return not _is_cooperative(user)


def _add_service_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError beside the fields it names, or above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def percent(ratio: float) -> str:
    """0.048 -> "4,8%"."""
    return f"{vi_number(ratio * 100, 1)}%"


def rate(value) -> str:
    """Decimal("7.2000") -> "7,2%"."""
    if value in (None, ""):
        return "—"
    text = format(Decimal(str(value)).normalize(), "f")
    return f"{text.replace('.', ',')}%"


def _label(loan: Loan) -> Loan:
    loan.status_class = STATUS_BADGES.get(loan.status, "badge")
    return loan


def _date_query(**days) -> str:
    return urlencode({k: v.strftime("%d/%m/%Y") for k, v in days.items() if v})


# ---------------------------------------------------------------- home and list


@login_required
@require_GET
def home(request):
    """Today's headline figures of the loans the user may see, and what awaits a decision."""
    today = timezone.localdate()
    loans = selectors.loans_for(request.user)
    st = selectors.fund_statement(as_of=today, queryset=loans)
    pending = [_label(loan) for loan in loans.filter(status__in=IN_PROGRESS).select_related("borrower")[:20]]
    context = {
        "today": today,
        "st": st,
        "par30": percent(st.par30_ratio),
        "pending": pending,
        "can_manage": selectors.can_manage_fund(request.user),
        "can_apply": _can_apply(request.user),
    }
    return render(request, "fund/home.html", context)


@login_required
@require_GET
def loan_list(request):
    """Loans the user may see with today's position; filtered by status, borrower and arrears.

    Positions are computed in Python from one prefetch, so the page takes the same number
    of queries for 2 loans or 200.
    """
    today = timezone.localdate()
    form = LoanFilterForm(request.GET)
    filters = form.filters()
    qs = selectors.loans_for(request.user)
    if filters["status"]:
        qs = qs.filter(status=filters["status"])
    if filters["q"]:
        qs = qs.filter(borrower__in=Organization.objects.search(filters["q"]))
    rows = []
    for loan in selectors.loans_with_money(qs).order_by("-applied_on", "-code"):
        pos = selectors.position(loan, today)
        if filters["overdue"] and not pos.days_past_due:
            continue
        rows.append({"loan": _label(loan), "pos": pos})
    paginator = Paginator(rows, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page_obj": page,
        "page_range": paginator.get_elided_page_range(page.number),
        "today": today,
        "can_apply": _can_apply(request.user),
    }
    return render(request, "fund/loan_list.html", context)


# ---------------------------------------------------------------- apply


def _create_application(form: ApplyForm, borrower: Organization, user) -> Loan:
    data = form.cleaned_data
    kwargs = dict(
        borrower=borrower,
        product=data["product"],
        project_name=data["project_name"],
        purpose=data["purpose"],
        project_cost=data["project_cost"],
        equity_amount=data["equity_amount"],
        amount=data["requested_amount"],
        term_months=data["requested_term_months"],
        on=data["applied_on"],
        by=user,
    )
    code = services.loan_next_code(data["applied_on"].year)
    try:
        return services.loan_apply(code=code, **kwargs)
    except ValidationError as error:
        # Someone took the code between reading and saving it: take the next one once more.
        if not (hasattr(error, "error_dict") and "code" in error.error_dict):
            raise
    return services.loan_apply(code=services.loan_next_code(data["applied_on"].year), **kwargs)


@login_required
@require_http_methods(["GET", "POST"])
def loan_apply(request):
    """An application: a cooperative's account for its own organisation, fund staff for any."""
    user = request.user
    if not _can_apply(user):
        raise PermissionDenied
    staff = selectors.can_manage_fund(user)
    borrowers = registry_selectors.organizations_for(user) if staff else None
    own = None if staff else user.organization
    if request.method == "POST":
        form = ApplyForm(request.POST, borrowers=borrowers)
        if form.is_valid():
            borrower = form.cleaned_data["borrower"] if staff else own
            try:
                loan = _create_application(form, borrower, user)
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                messages.success(request, _("Application %(code)s was received.") % {"code": loan.code})
                return redirect("fund:loan", pk=loan.pk)
    else:
        initial = {"applied_on": timezone.localdate()}
        if staff and request.GET.get("borrower", "").isdigit():
            initial["borrower"] = int(request.GET["borrower"])
        form = ApplyForm(borrowers=borrowers, initial=initial)
    return render(request, "fund/apply.html", {"form": form, "own": own})


# ---------------------------------------------------------------- one loan


@dataclass
class Action:
    """A staff decision on the loan page: its form, the statuses it applies to and its service call."""

    name: str
    title: str
    button: str
    form_class: type
    statuses: tuple
    danger: bool = False


ACTIONS = {
    a.name: a
    for a in [
        Action(
            "appraise",
            gettext_lazy("Appraisal"),
            gettext_lazy("Record the appraisal"),
            AppraiseForm,
            (LoanStatus.APPLIED, LoanStatus.APPRAISAL),
        ),
        Action(
            "approve",
            gettext_lazy("Approval decision"),
            pgettext_lazy("loan", "Approve"),
            ApproveForm,
            (LoanStatus.APPLIED, LoanStatus.APPRAISAL),
        ),
        Action(
            "reject",
            gettext_lazy("Rejection"),
            gettext_lazy("Reject the application"),
            RejectForm,
            (LoanStatus.APPLIED, LoanStatus.APPRAISAL),
            danger=True,
        ),
        Action(
            "contract",
            gettext_lazy("Contract"),
            gettext_lazy("Record the contract"),
            ContractForm,
            (LoanStatus.APPROVED,),
        ),
        Action(
            "disburse",
            gettext_lazy("Disbursement"),
            gettext_lazy("Record the disbursement"),
            DisburseForm,
            (LoanStatus.CONTRACTED, LoanStatus.ACTIVE),
        ),
        Action(
            "repay",
            gettext_lazy("Repayment"),
            gettext_lazy("Record the repayment"),
            RepaymentForm,
            (LoanStatus.ACTIVE,),
        ),
        Action(
            "reschedule",
            gettext_lazy("Rescheduling"),
            gettext_lazy("Reschedule"),
            RescheduleForm,
            (LoanStatus.ACTIVE,),
        ),
        Action(
            "write_off",
            gettext_lazy("Write-off"),
            gettext_lazy("Write off the loan"),
            WriteOffForm,
            (LoanStatus.ACTIVE,),
            danger=True,
        ),
    ]
}


def _available(loan: Loan, pos: selectors.Position) -> list[str]:
    names = [name for name, action in ACTIONS.items() if loan.status in action.statuses]
    if "disburse" in names and loan.status == LoanStatus.ACTIVE and pos.disbursed >= (loan.approved_amount or 0):
        names.remove("disburse")
    return names


def _initial(name: str, loan: Loan, pos: selectors.Position, today: datetime.date) -> dict:
    initial = {"on": today}
    if name == "approve":
        initial.update(
            amount=loan.requested_amount, term_months=loan.requested_term_months, decision_on=today, approver=""
        )
    elif name == "reject":
        initial = {"decision_on": today}
    elif name == "disburse":
        initial["amount"] = max(0, (loan.approved_amount or 0) - pos.disbursed) or None
    elif name == "reschedule":
        initial["term_months"] = loan.term_months
    return initial


def _perform(name: str, loan: Loan, data: dict, user) -> str:
    """Call the action's service; the message to show after it. Raises services.StaleLoan on a stale form."""
    who = {"by": user, "expected_version": data.get("version")}
    if name == "appraise":
        services.loan_appraise(
            loan=loan,
            on=data["on"],
            text=data["text"],
            recommendation=data["recommendation"],
            attachment=data["attachment"],
            **who,
        )
        return _("The appraisal was recorded.")
    if name == "approve":
        services.loan_approve(
            loan=loan,
            amount=data["amount"],
            term_months=data["term_months"],
            decision_number=data["decision_number"],
            decision_on=data["decision_on"],
            approver=data["approver"],
            **who,
        )
        return _("The loan was approved.")
    if name == "reject":
        services.loan_reject(loan=loan, reason=data["reason"], decision_on=data["decision_on"], **who)
        return _("The application was rejected.")
    if name == "contract":
        services.loan_contract(loan=loan, number=data["number"], on=data["on"], **who)
        return _("The contract was recorded.")
    if name == "disburse":
        services.loan_disburse(loan=loan, amount=data["amount"], on=data["on"], document=data["document"], **who)
        return _("The disbursement of %(amount)s was recorded; the schedule is updated.") % {
            "amount": vi_money(data["amount"])
        }
    if name == "repay":
        r = services.repayment_record(
            loan=loan, on=data["on"], amount=data["amount"], document=data["document"], note=data["note"], **who
        )
        return _(
            "Repayment of %(amount)s recorded: %(overdue)s overdue interest, %(interest)s interest, "
            "%(principal)s principal."
        ) % {
            "amount": vi_money(r.amount),
            "overdue": vi_money(r.overdue_interest),
            "interest": vi_money(r.interest),
            "principal": vi_money(r.principal),
        }
    if name == "reschedule":
        services.loan_reschedule(
            loan=loan,
            on=data["on"],
            term_months=data["term_months"],
            annual_rate=data["annual_rate"],
            reason=data["reason"],
            **who,
        )
        return _("The loan was rescheduled; the previous schedule is kept in its history.")
    if name == "write_off":
        services.loan_write_off(loan=loan, on=data["on"], reason=data["reason"], **who)
        return _("The loan was written off.")
    raise Http404


def _display(name: str, value) -> str:
    """A value of the audit log as people read it."""
    if value is None or value == "":
        return "—"
    if name in MONEY_KEYS and isinstance(value, int):
        return vi_money(value)
    if name == "annual_rate":
        return rate(value)
    if name == "recommendation":
        return str(dict(Appraisal.Recommendation.choices).get(value, value))
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return vi_date(datetime.date.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, int) and not isinstance(value, bool):
        return vi_number(value)
    return str(value)


def _field_label(name: str) -> str:
    if name in EXTRA_LABELS:
        return capfirst(EXTRA_LABELS[name])
    try:
        return capfirst(Loan._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name.replace("_", " ")


def _history(loan: Loan, *, hide: tuple = (), after: int | None = None) -> list[dict]:
    """The loan's audit entries as people read them, newest first; with after, only entries newer than that id."""
    entries = entries_for(loan)
    if after is not None:
        entries = entries.filter(pk__gt=after)
    items = []
    for entry in entries:
        changes = []
        for name, value in (entry.changes or {}).items():
            if name in hide:
                continue
            if isinstance(value, list) and len(value) == 2:
                changes.append(
                    {"label": _field_label(name), "old": _display(name, value[0]), "new": _display(name, value[1])}
                )
            else:
                changes.append({"label": _field_label(name), "value": _display(name, value)})
        items.append(
            {
                "at": timezone.localtime(entry.at),
                "entry": entry,
                "label": ACTION_LABELS.get(entry.action, entry.action),
                "changes": changes,
            }
        )
    return items


def _schedules(loan: Loan, today: datetime.date):
    """The version in force today and the older ones, newest first."""
    versions = sorted(loan.schedules.all(), key=lambda s: s.number)
    if not versions:
        return None, []
    current = versions[0]
    for version in versions:
        if version.effective_on <= today:
            current = version
    older = [v for v in versions if v.number < current.number]
    for version in older:
        version.lines = sorted(version.instalments.all(), key=lambda i: i.seq)
    return current, list(reversed(older))


def _last_entry_id(loan: Loan) -> int:
    return entries_for(loan).values_list("pk", flat=True).first() or 0


def _render_loan(request, loan: Loan, *, bound: dict | None = None, stale: list | None = None, status: int = 200):
    user = request.user
    today = timezone.localdate()
    pos = selectors.position(loan, today)
    can_manage = selectors.can_manage_fund(user)
    actions = []
    if can_manage:
        # Every form carries the version it was opened on, so a step someone took meanwhile refuses it.
        opened = {"version": loan.version, "seen": _last_entry_id(loan)}
        for name in _available(loan, pos):
            action = ACTIONS[name]
            form = (bound or {}).get(name) or action.form_class(
                prefix=name, initial={**_initial(name, loan, pos, today), **opened}
            )
            item = {"action": action, "form": form, "url": reverse(f"fund:{name}", args=[loan.pk])}
            if name in (bound or {}) and stale is not None:
                item["stale"] = stale
            actions.append(item)
    warnings = []
    precheck = can_manage and loan.status in (LoanStatus.APPLIED, LoanStatus.APPRAISAL)
    if precheck:
        warnings = services.eligibility(
            borrower=loan.borrower,
            product=loan.product,
            on=today,
            amount=loan.requested_amount,
            project_cost=loan.project_cost,
            equity_amount=loan.equity_amount,
            term_months=loan.requested_term_months,
        )
    current, older = _schedules(loan, today)
    rows = selectors.schedule_rows(loan, today)
    for row in rows:
        row["state_label"] = ROW_STATES.get(row["state"], row["state"])
    context = {
        "loan": _label(loan),
        "today": today,
        "pos": pos,
        "rate": rate(loan.annual_rate),
        "can_manage": can_manage,
        "borrower_visible": registry_selectors.organizations_for(user).filter(pk=loan.borrower_id).exists(),
        "warnings": warnings,
        "precheck": precheck,
        "sees_appraisals": _sees_appraisals(user),
        "appraisals": list(loan.appraisals.select_related("created_by")) if _sees_appraisals(user) else [],
        "disbursements": list(loan.disbursements.all()),
        "repayments": list(loan.repayments.all()),
        "current_schedule": current,
        "rows": rows,
        "totals": {
            "principal": sum(r["line"].principal for r in rows),
            "interest": sum(r["line"].interest for r in rows),
            "total": sum(r["line"].total for r in rows),
            "paid": sum(r["paid"] for r in rows),
            "left": sum(r["left"] for r in rows),
        },
        "older_schedules": older,
        "history": _history(loan, hide=_hidden_for(user)),
        "actions": actions,
        "open_action": next(iter(bound or {}), ""),
    }
    return render(request, "fund/loan_detail.html", context, status=status)


@login_required
@require_GET
def loan_detail(request, pk: int):
    """The loan: application, decision, terms, money, schedule (and its older versions), history."""
    return _render_loan(request, _loan_or_404(request.user, pk))


@login_required
@require_POST
def loan_action(request, pk: int, action: str):
    """A staff decision posted from the loan page; on an error the page comes back with the form as typed."""
    loan = _loan_or_404(request.user, pk)
    _require_manage(request.user)
    spec = ACTIONS[action]
    if action not in _available(loan, selectors.position(loan, timezone.localdate())):
        # Usually a page opened before someone else's decision: show the loan as it is now, and what they did.
        message = _("This step does not apply to a loan in status “%(status)s”.") % {
            "status": loan.get_status_display()
        }
        seen = request.POST.get(f"{action}-seen", "")
        if seen.isdigit():
            changes = _stale_summary(_history(loan, after=int(seen), hide=_hidden_for(request.user)))
            if changes:
                message += " " + _("Changed since you opened the form: %(changes)s.") % {"changes": changes}
        messages.error(request, message)
        return redirect("fund:loan", pk=loan.pk)
    form = spec.form_class(request.POST, request.FILES, prefix=action)
    if form.is_valid():
        try:
            message = _perform(action, loan, form.cleaned_data, request.user)
        except services.StaleLoan:
            return _refuse_stale(request, pk, action, form)
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, message)
            return redirect(
                reverse("fund:loan", args=[loan.pk]) + f"#{'repayments' if action == 'repay' else 'status'}"
            )
    # Rolled back: read the loan again, as it is, for the page.
    loan = _loan_or_404(request.user, pk)
    return _render_loan(request, loan, bound={action: form})


def _refuse_stale(request, pk: int, action: str, form):
    """The form was opened before someone else's step: show what they did, keep what was typed, save nothing.

    The form comes back on the loan's current version, so submitting it again applies it
    to the loan as it is now (and the service checks its rules against that).
    """
    loan = _loan_or_404(request.user, pk)
    stale = _history(loan, after=form.cleaned_data.get("seen") or 0, hide=_hidden_for(request.user))
    refused = _("Someone else acted on this loan after you opened this form, so nothing was saved.")
    if action not in _available(loan, selectors.position(loan, timezone.localdate())):
        # The step no longer applies (the loan was closed, approved…): the page shows the loan as it is.
        changes = _("Changed since you opened the form: %(changes)s.") % {"changes": _stale_summary(stale)}
        messages.error(request, f"{refused} {changes}")
        return redirect("fund:loan", pk=loan.pk)
    data = request.POST.copy()
    data[f"{action}-version"] = loan.version
    data[f"{action}-seen"] = _last_entry_id(loan)
    form = ACTIONS[action].form_class(data, request.FILES, prefix=action)
    form.is_valid()
    form.add_error(
        None,
        _(
            "Someone else acted on this loan after you opened this form, so nothing was saved. "
            "What changed is listed below; your values are kept. Submit again only if the step still applies."
        ),
    )
    return _render_loan(request, loan, bound={action: form}, stale=stale, status=409)


def _hidden_for(user) -> tuple:
    return () if _sees_appraisals(user) else ("recommendation",)


def _stale_summary(stale: list[dict]) -> str:
    """What changed, in one line for a message: "20/02/2021 10:15 Repayment recorded (Nguyễn Văn A): …"."""
    parts = []
    for item in reversed(stale):
        user = item["entry"].user
        who = (user.get_full_name() or user.username) if user else _("system")
        details = ", ".join(f"{c['label']}: {c.get('value') or c.get('new')}" for c in item["changes"])
        parts.append(f"{item['at']:%d/%m/%Y %H:%M} {item['label']} ({who})" + (f": {details}" if details else ""))
    return "; ".join(parts)


@login_required
@require_GET
def appraisal_attachment(request, pk: int):
    """An appraisal's attachment, to those who may read the appraisal, always as a download."""
    appraisal = get_object_or_404(Appraisal.objects.filter(loan__in=selectors.loans_for(request.user)), pk=pk)
    if not _sees_appraisals(request.user) or not appraisal.attachment:
        raise Http404
    try:
        handle = appraisal.attachment.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    return FileResponse(handle, as_attachment=True, filename=os.path.basename(appraisal.attachment.name))


# ---------------------------------------------------------------- capital


def _sources_on(day: datetime.date):
    return CapitalSource.objects.annotate(
        total=Coalesce(Sum("movements__amount", filter=Q(movements__on__lte=day)), 0)
    ).order_by("name")


@login_required
@require_http_methods(["GET", "POST"])
def capital(request):
    """The fund's capital on a date by source, its movements, and (for staff) a new movement."""
    can_manage = selectors.can_manage_fund(request.user)
    if not (request.user.is_alliance or can_manage):
        raise PermissionDenied
    day_form = DayForm(request.GET)
    day = day_form.day()
    form = None
    if can_manage:
        if request.method == "POST":
            form = CapitalForm(request.POST)
            if form.is_valid():
                try:
                    movement = services.capital_record(by=request.user, **form.service_data())
                except ValidationError as error:
                    _add_service_errors(form, error)
                else:
                    messages.success(
                        request,
                        _("%(amount)s recorded for %(source)s on %(day)s.")
                        % {"amount": vi_money(movement.amount), "source": movement.source, "day": vi_date(movement.on)},
                    )
                    return redirect("fund:capital")
        else:
            form = CapitalForm(initial={"on": timezone.localdate(), "direction": "in"})
    elif request.method == "POST":
        raise PermissionDenied
    movements = CapitalMovement.objects.select_related("source").order_by("-on", "-id")
    page = Paginator(movements, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "day_form": day_form,
        "day": day,
        "total": selectors.capital_on(day),
        "sources": list(_sources_on(day)),
        "page_obj": page,
        "page_range": page.paginator.get_elided_page_range(page.number),
        "form": form,
    }
    return render(request, "fund/capital.html", context)


# ---------------------------------------------------------------- arrears and statement


@login_required
@require_GET
def arrears(request):
    """Loans past due on a date: buckets, PAR30 and PAR90, and the list with whom to call."""
    day_form = DayForm(request.GET)
    day = day_form.day()
    st = selectors.fund_statement(as_of=day, queryset=selectors.loans_for(request.user))
    buckets = [{"name": name, "label": BUCKET_LABELS[name], **values} for name, values in st.buckets.items()]
    context = {
        "day_form": day_form,
        "day": day,
        "st": st,
        "buckets": buckets,
        "par30": percent(st.par30_ratio),
        "par90": percent(st.par90_ratio),
    }
    return render(request, "fund/arrears.html", context)


def _breakdown_rows(groups: dict, labels: dict | None = None) -> list[dict]:
    rows = []
    for key, group in groups.items():
        row = group.as_dict()
        row["label"] = labels.get(key, key) if labels else key
        rows.append(row)
    return rows


def _statement_params(request) -> tuple[StatementForm, datetime.date, datetime.date | None, str]:
    today = timezone.localdate()
    data = request.GET.copy()
    if not data.get("as_of"):
        data["as_of"] = today.strftime("%d/%m/%Y")
    if not data.get("grouping"):
        data["grouping"] = "then"
    form = StatementForm(data)
    form.is_valid()
    cleaned = getattr(form, "cleaned_data", {})
    return form, cleaned.get("as_of") or today, cleaned.get("from"), cleaned.get("grouping") or "then"


@login_required
@require_GET
def statement(request):
    """The fund on a date (and its flows over a period) by organisation type, sector and area; or its xlsx."""
    form, as_of, date_from, grouping = _statement_params(request)
    st = selectors.fund_statement(
        as_of=as_of, date_from=date_from, grouping=grouping, queryset=selectors.loans_for(request.user)
    )
    if request.GET.get("format") == "xlsx":
        # Imported here: the exporter is written apart, and this module must load without it.
        from hoptac.fund.exporters import statement_xlsx

        response = HttpResponse(statement_xlsx(st), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="so-du-quy-{as_of:%Y-%m-%d}.xlsx"'
        return response
    query = {"as_of": as_of.strftime("%d/%m/%Y"), "grouping": grouping}
    if date_from:
        query["from"] = date_from.strftime("%d/%m/%Y")
    context = {
        "form": form,
        "st": st,
        "par30": percent(st.par30_ratio),
        "par90": percent(st.par90_ratio),
        "tables": [
            {
                "id": "by-kind",
                "title": _("By organisation type"),
                "rows": _breakdown_rows(st.by_kind, dict(OrgKind.choices)),
            },
            {"id": "by-sector", "title": _("By sector"), "rows": _breakdown_rows(st.by_sector, dict(Sector.choices))},
            {"id": "by-area", "title": _("By area"), "rows": _breakdown_rows(st.by_area)},
        ],
        "xlsx_url": "?" + urlencode({**query, "format": "xlsx"}),
        "arrears_url": reverse("fund:arrears") + "?" + _date_query(on=as_of),
    }
    return render(request, "fund/statement.html", context)
