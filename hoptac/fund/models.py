"""The Cooperative Development Support Fund: capital, loan products, loans and their money.

Amounts are whole đồng (BigIntegerField); rates are percent a year (Decimal). A loan copies
its product's terms when approved, so changing a product never changes a signed loan. A
loan's schedule is versioned: rescheduling or a prepayment adds a version and keeps the old
ones, so any past date is answered with the schedule that was in force then.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hoptac.core.models import BaseModel
from hoptac.registry.models import OrgKind

from . import schedule as sched


class SourceKind(models.TextChoices):
    PROVINCIAL_BUDGET = "provincial_budget", _("Provincial budget")
    VCA_ALLOCATION = "vca_allocation", _("VCA allocation")
    VCA_ENTRUSTMENT = "vca_entrustment", _("VCA entrustment")
    RETAINED_INTEREST = "retained_interest", _("Retained interest")
    OTHER = "other", _("Other")


class CapitalSource(BaseModel):
    """Where the fund's money comes from (e.g. "Ngân sách tỉnh", "Liên minh HTX Việt Nam cấp")."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=SourceKind.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("capital source")
        verbose_name_plural = _("capital sources")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CapitalMovement(BaseModel):
    """Money put into (positive) or taken out of (negative) the fund's capital on a date."""

    source = models.ForeignKey(CapitalSource, on_delete=models.PROTECT, related_name="movements")
    on = models.DateField(_("date"))
    amount = models.BigIntegerField(_("amount (đồng)"), help_text=_("Negative for a withdrawal."))
    document = models.CharField(_("document no."), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("capital movement")
        verbose_name_plural = _("capital movements")
        ordering = ["on", "id"]
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="fund_capital_not_zero")]

    def __str__(self) -> str:
        return f"{self.source} {self.on:%d/%m/%Y} {self.amount}"


class Method(models.TextChoices):
    EQUAL_PRINCIPAL = sched.EQUAL_PRINCIPAL, _("Equal principal, interest on the declining balance")
    ANNUITY = sched.ANNUITY, _("Annuity (level payments)")


class DayCount(models.TextChoices):
    THIRTY_360 = sched.THIRTY_360, _("30/360")
    ACTUAL_365 = sched.ACTUAL_365, _("Actual/365")


def default_kinds() -> list[str]:
    return [OrgKind.HTX, OrgKind.LHHTX]


class LoanProduct(BaseModel):
    """Lending rules the fund's board sets; settings, not constants."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    eligible_kinds = models.JSONField(_("who may borrow"), default=default_kinds)
    max_amount = models.BigIntegerField(_("maximum amount (đồng)"))
    max_project_share = models.DecimalField(
        _("maximum share of project cost (%)"), max_digits=5, decimal_places=2, default=80
    )
    min_equity_share = models.DecimalField(_("minimum borrower equity (%)"), max_digits=5, decimal_places=2, default=20)
    max_term_months = models.PositiveIntegerField(_("maximum term (months)"), default=60)
    annual_rate = models.DecimalField(_("interest rate (% a year)"), max_digits=7, decimal_places=4)
    principal_every_months = models.PositiveIntegerField(_("principal every (months)"), default=1)
    interest_every_months = models.PositiveIntegerField(_("interest every (months)"), default=1)
    grace_months = models.PositiveIntegerField(_("grace period (months)"), default=0)
    method = models.CharField(_("method"), max_length=20, choices=Method.choices, default=Method.EQUAL_PRINCIPAL)
    day_count = models.CharField(_("day count"), max_length=20, choices=DayCount.choices, default=DayCount.THIRTY_360)
    active = models.BooleanField(_("open for applications"), default=True)

    class Meta:
        verbose_name = _("loan product")
        verbose_name_plural = _("loan products")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class LoanStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    APPRAISAL = "appraisal", _("Under appraisal")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CONTRACTED = "contracted", _("Contract signed")
    ACTIVE = "active", _("Disbursed")
    CLOSED = "closed", _("Closed (repaid)")
    WRITTEN_OFF = "written_off", _("Written off")


class Loan(BaseModel):
    """A loan from application to closing. Terms are copied from the product on approval."""

    code = models.CharField(_("loan code"), max_length=40, unique=True)
    borrower = models.ForeignKey(
        "registry.Organization", verbose_name=_("borrower"), on_delete=models.PROTECT, related_name="loans"
    )
    product = models.ForeignKey(
        LoanProduct,
        verbose_name=_("loan product"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="loans",
    )
    status = models.CharField(_("status"), max_length=20, choices=LoanStatus.choices, default=LoanStatus.APPLIED)

    # The application.
    project_name = models.CharField(_("project"), max_length=300)
    purpose = models.TextField(_("purpose"), blank=True)
    project_cost = models.BigIntegerField(_("project cost (đồng)"), null=True, blank=True)
    equity_amount = models.BigIntegerField(_("borrower's own capital (đồng)"), null=True, blank=True)
    requested_amount = models.BigIntegerField(_("amount requested (đồng)"))
    requested_term_months = models.PositiveIntegerField(_("term requested (months)"))
    applied_on = models.DateField(_("applied on"))

    # The decision.
    approved_amount = models.BigIntegerField(_("amount approved (đồng)"), null=True, blank=True)
    decision_number = models.CharField(_("decision no."), max_length=60, blank=True)
    decision_on = models.DateField(_("decision date"), null=True, blank=True)
    approver = models.CharField(_("approved by"), max_length=200, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)

    # The contract and its terms (copied, never read from the product afterwards).
    contract_number = models.CharField(_("contract no."), max_length=60, blank=True)
    contract_on = models.DateField(_("contract date"), null=True, blank=True)
    annual_rate = models.DecimalField(
        _("interest rate (% a year)"), max_digits=7, decimal_places=4, null=True, blank=True
    )
    term_months = models.PositiveIntegerField(_("term (months)"), null=True, blank=True)
    principal_every_months = models.PositiveIntegerField(_("principal every (months)"), default=1)
    interest_every_months = models.PositiveIntegerField(_("interest every (months)"), default=1)
    grace_months = models.PositiveIntegerField(_("grace period (months)"), default=0)
    method = models.CharField(_("method"), max_length=20, choices=Method.choices, default=Method.EQUAL_PRINCIPAL)
    day_count = models.CharField(_("day count"), max_length=20, choices=DayCount.choices, default=DayCount.THIRTY_360)

    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    written_off_on = models.DateField(_("written off on"), null=True, blank=True)
    write_off_reason = models.TextField(_("reason for writing off"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ["-applied_on", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(requested_amount__gt=0), name="fund_loan_requested_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.borrower}"

    @property
    def terms(self) -> sched.Terms:
        return sched.Terms(
            annual_rate=self.annual_rate,
            term_months=self.term_months,
            principal_every=self.principal_every_months,
            interest_every=self.interest_every_months,
            grace_months=self.grace_months,
            method=self.method,
            day_count=self.day_count,
        )


class Appraisal(BaseModel):
    """A note by fund staff on an application, with an optional attachment."""

    class Recommendation(models.TextChoices):
        NONE = "", _("No recommendation yet")
        APPROVE = "approve", pgettext_lazy("loan", "Approve")
        REJECT = "reject", _("Reject")

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="appraisals")
    on = models.DateField(_("date"))
    text = models.TextField(_("appraisal notes"))
    recommendation = models.CharField(_("recommendation"), max_length=10, choices=Recommendation.choices, blank=True)
    attachment = models.FileField(_("attachment"), upload_to="fund/appraisals/%Y/", blank=True)

    class Meta:
        verbose_name = _("appraisal")
        verbose_name_plural = _("appraisals")
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.loan.code} {self.on:%d/%m/%Y}"


class Disbursement(BaseModel):
    """One tranche paid out to the borrower."""

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="disbursements")
    on = models.DateField(_("date"))
    amount = models.BigIntegerField(_("amount (đồng)"))
    document = models.CharField(_("document no."), max_length=100, blank=True)

    class Meta:
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        ordering = ["on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="fund_disbursement_positive")]

    def __str__(self) -> str:
        return f"{self.loan.code} {self.on:%d/%m/%Y} {self.amount}"


class Schedule(BaseModel):
    """A version of a loan's schedule, in force from ``effective_on`` until the next version."""

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="schedules")
    number = models.PositiveIntegerField(_("version"))
    effective_on = models.DateField(_("in force from"))
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        verbose_name = _("schedule")
        verbose_name_plural = _("schedules")
        ordering = ["loan", "number"]
        constraints = [models.UniqueConstraint(fields=["loan", "number"], name="fund_schedule_version")]

    def __str__(self) -> str:
        return f"{self.loan.code} v{self.number}"


class Instalment(models.Model):
    """What falls due on a date under one schedule version (past instalments are copied forward)."""

    schedule = models.ForeignKey(Schedule, on_delete=models.PROTECT, related_name="instalments")
    seq = models.PositiveIntegerField()
    due_on = models.DateField(_("due on"))
    principal = models.BigIntegerField(_("principal (đồng)"))
    interest = models.BigIntegerField(_("interest (đồng)"))

    class Meta:
        ordering = ["schedule", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "seq"], name="fund_instalment_seq"),
            models.CheckConstraint(condition=Q(principal__gte=0) & Q(interest__gte=0), name="fund_instalment_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.due_on:%d/%m/%Y} {self.principal}+{self.interest}"


class Repayment(BaseModel):
    """A payment by the borrower, split (overdue interest, interest, principal) when recorded."""

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="repayments")
    on = models.DateField(_("date"))
    amount = models.BigIntegerField(_("amount (đồng)"))
    overdue_interest = models.BigIntegerField(_("overdue interest (đồng)"), default=0)
    interest = models.BigIntegerField(_("interest (đồng)"), default=0)
    principal = models.BigIntegerField(_("principal (đồng)"), default=0)
    document = models.CharField(_("document no."), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("repayment")
        verbose_name_plural = _("repayments")
        ordering = ["on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount=models.F("overdue_interest") + models.F("interest") + models.F("principal")),
                name="fund_repayment_split_sums",
            ),
            models.CheckConstraint(
                condition=Q(overdue_interest__gte=0) & Q(interest__gte=0) & Q(principal__gte=0) & Q(amount__gt=0),
                name="fund_repayment_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.loan.code} {self.on:%d/%m/%Y} {self.amount}"

    @property
    def interest_total(self) -> int:
        return self.overdue_interest + self.interest
