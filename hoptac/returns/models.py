"""Periodic returns: indicators, versioned forms, the returns organisations file, their values and history.

The shape follows DHIS2's data sets (a form of indicators for a period, entered, validated,
approved and locked), with two differences users asked for: every version of a return is
kept, and statistics are computed live from the values, so nothing must be regenerated.

Indicators and forms are data an administrator edits in the admin: a new indicator or a new
version of a form needs no code. A return keeps the form version it was filed on.
"""

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hoptac.core.models import BaseModel


class Unit(models.TextChoices):
    MONEY = "dong", _("đồng")
    COUNT = "count", _("count")
    PERCENT = "percent", _("percent")
    TEXT = "text", _("text")
    CHOICE = "choice", _("choice")
    SCORE = "score", _("score (points)")


class Aggregation(models.TextChoices):
    SUM = "sum", _("sum")
    AVERAGE = "average", _("average")
    NONE = "none", _("not aggregated")


class Indicator(BaseModel):
    """One thing a return asks: "Doanh thu", in đồng, summed across cooperatives."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_vi = models.CharField(_("Vietnamese name"), max_length=300)
    name_en = models.CharField(_("English name"), max_length=300)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    aggregation = models.CharField(
        _("aggregation"), max_length=10, choices=Aggregation.choices, default=Aggregation.SUM
    )
    # For a choice: [["code", "Vietnamese label", "English label"], ...]
    choices = models.JSONField(_("choices"), default=list, blank=True)
    min_value = models.BigIntegerField(_("smallest value"), null=True, blank=True)
    max_value = models.BigIntegerField(_("largest value"), null=True, blank=True)
    help_vi = models.CharField(_("guidance (Vietnamese)"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} – {self.name_vi}"

    @property
    def is_number(self) -> bool:
        return self.unit in (Unit.MONEY, Unit.COUNT, Unit.PERCENT, Unit.SCORE)


class Frequency(models.TextChoices):
    ANNUAL = "annual", _("Annual")
    QUARTERLY = "quarterly", _("Quarterly")


class Respondent(models.TextChoices):
    ORGANIZATION = "organization", _("Each organisation")
    ALLIANCE = "alliance", _("The alliance")


class ReturnForm(BaseModel):
    """A kind of return: the cooperative's annual report, the alliance's quarterly statistics, the grading sheet."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_vi = models.CharField(_("Vietnamese name"), max_length=300)
    name_en = models.CharField(_("English name"), max_length=300)
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices)
    respondent = models.CharField(_("who files it"), max_length=20, choices=Respondent.choices)
    # Organisation kinds that file it (["HTX", "LHHTX"]); empty = every kind.
    kinds = models.JSONField(_("organisation kinds"), default=list, blank=True)
    # Deadline: for an annual form, day and month in the report year (15/12); for a quarterly
    # one, days after the quarter's end.
    due_day = models.PositiveSmallIntegerField(_("due day"), default=15)
    due_month = models.PositiveSmallIntegerField(_("due month"), null=True, blank=True)
    due_days_after = models.PositiveSmallIntegerField(_("due days after the quarter"), null=True, blank=True)
    # A value that moves more than this factor from last year is flagged for follow-up.
    plausibility_factor = models.DecimalField(_("plausibility factor"), max_digits=6, decimal_places=2, default=3)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("return form")
        verbose_name_plural = _("return forms")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name_vi

    def due_on(self, year: int, quarter: int | None = None) -> datetime.date:
        if self.frequency == Frequency.ANNUAL:
            return datetime.date(year, self.due_month or 12, self.due_day)
        end_month = 3 * (quarter or 1)
        end = datetime.date(year + (end_month == 12), end_month % 12 + 1, 1) - datetime.timedelta(days=1)
        return end + datetime.timedelta(days=self.due_days_after or 15)

    def version_for(self, year: int) -> "FormVersion | None":
        """The version in force for a report year: the newest one starting that year or before."""
        return (
            self.versions.filter(valid_from_year__lte=year, published=True)
            .order_by("-valid_from_year", "-number")
            .first()
        )


class FormVersion(BaseModel):
    form = models.ForeignKey(ReturnForm, verbose_name=_("form"), on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    valid_from_year = models.PositiveSmallIntegerField(_("used from the year"))
    published = models.BooleanField(_("published"), default=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("form version")
        verbose_name_plural = _("form versions")
        ordering = ["form", "number"]
        constraints = [models.UniqueConstraint(fields=["form", "number"], name="returns_version_unique")]

    def __str__(self) -> str:
        return f"{self.form.code} v{self.number}"


class FormField(models.Model):
    """An indicator on a version of a form, in its place, with the version's own rules."""

    version = models.ForeignKey(
        FormVersion, verbose_name=_("form version"), on_delete=models.CASCADE, related_name="fields"
    )
    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    section = models.CharField(_("section"), max_length=200, blank=True)
    required = models.BooleanField(_("required"), default=True)
    # Override the indicator's range on this form (the grading sheet's per-criterion maxima).
    min_value = models.BigIntegerField(_("smallest value"), null=True, blank=True)
    max_value = models.BigIntegerField(_("largest value"), null=True, blank=True)

    class Meta:
        verbose_name = _("form field")
        verbose_name_plural = _("form fields")
        ordering = ["version", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "indicator"], name="returns_field_unique")]

    def __str__(self) -> str:
        return f"{self.version} · {self.indicator.code}"


class Operator(models.TextChoices):
    LE = "le", "≤"
    LT = "lt", "<"
    GE = "ge", "≥"
    GT = "gt", ">"
    EQ = "eq", "="


class Rule(models.Model):
    """A check across fields: left operator right (an indicator, or a constant), with its message.

    A rule may apply only to some organisation kinds and a range of founding dates (the
    2012 and 2023 laws ask different minimum memberships).
    """

    version = models.ForeignKey(
        FormVersion, verbose_name=_("form version"), on_delete=models.CASCADE, related_name="rules"
    )
    left = models.ForeignKey(Indicator, verbose_name=_("left"), on_delete=models.PROTECT, related_name="+")
    operator = models.CharField(_("operator"), max_length=2, choices=Operator.choices)
    right = models.ForeignKey(
        Indicator, verbose_name=_("right"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    constant = models.BigIntegerField(_("constant"), null=True, blank=True)
    kinds = models.JSONField(_("organisation kinds"), default=list, blank=True)
    founded_from = models.DateField(_("founded from"), null=True, blank=True)
    founded_until = models.DateField(_("founded until"), null=True, blank=True)
    message_vi = models.CharField(_("message (Vietnamese)"), max_length=300)

    class Meta:
        verbose_name = _("validation rule")
        verbose_name_plural = _("validation rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(right__isnull=False, constant__isnull=True) | Q(right__isnull=True, constant__isnull=False),
                name="returns_rule_right_or_constant",
            )
        ]

    def __str__(self) -> str:
        right = self.right.code if self.right_id else self.constant
        return f"{self.left.code} {self.get_operator_display()} {right}"


class Status(models.TextChoices):
    # With a context: other apps' "Draft" and "Submitted" (of documents) read differently.
    DRAFT = "draft", pgettext_lazy("return status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("return status", "Submitted")
    RETURNED = "returned", pgettext_lazy("return status", "Returned for correction")
    APPROVED = "approved", pgettext_lazy("return status", "Approved")


class Return(BaseModel):
    """One organisation's (or the alliance's) return of a form for a period, and where it stands."""

    form = models.ForeignKey(ReturnForm, verbose_name=_("form"), on_delete=models.PROTECT, related_name="returns")
    version = models.ForeignKey(
        FormVersion, verbose_name=_("form version"), on_delete=models.PROTECT, related_name="returns"
    )
    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="returns",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approved_by = models.ForeignKey(
        "core.User", verbose_name=_("approved by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    comment = models.TextField(_("reviewer's comment"), blank=True)
    entered_on_behalf = models.BooleanField(_("entered by an officer on its behalf"), default=False)
    # Values that moved more than the form's factor from last year: [{indicator, last, now}].
    flags = models.JSONField(_("plausibility flags"), default=list, blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=1)  # refuses a stale save

    class Meta:
        verbose_name = _("return")
        verbose_name_plural = _("returns")
        ordering = ["-year", "-quarter", "form", "organization__name"]
        constraints = [
            # One return per form, filer and period; NULL (the alliance, an annual period) counts as a value.
            models.UniqueConstraint(
                fields=["form", "organization", "year", "quarter"],
                condition=Q(organization__isnull=False, quarter__isnull=False),
                name="returns_return_unique",
            ),
            models.UniqueConstraint(
                fields=["form", "organization", "year"],
                condition=Q(organization__isnull=False, quarter__isnull=True),
                name="returns_return_unique_annual",
            ),
            models.UniqueConstraint(
                fields=["form", "year", "quarter"],
                condition=Q(organization__isnull=True, quarter__isnull=False),
                name="returns_return_unique_alliance",
            ),
            models.UniqueConstraint(
                fields=["form", "year"],
                condition=Q(organization__isnull=True, quarter__isnull=True),
                name="returns_return_unique_alliance_annual",
            ),
        ]

    def __str__(self) -> str:
        period = f"Q{self.quarter}/{self.year}" if self.quarter else str(self.year)
        return f"{self.form.code} {period} {self.organization or ''}".strip()

    @property
    def locked(self) -> bool:
        return self.status == Status.APPROVED

    def due_on(self) -> datetime.date:
        return self.form.due_on(self.year, self.quarter)


class Value(models.Model):
    """One indicator's value in a return: a whole number (đồng, counts, points), a percentage or a text."""

    ret = models.ForeignKey(Return, verbose_name=_("return"), on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="values"
    )
    number = models.BigIntegerField(_("number"), null=True, blank=True)
    decimal = models.DecimalField(_("percentage"), max_digits=9, decimal_places=2, null=True, blank=True)
    text = models.CharField(_("text"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("value")
        verbose_name_plural = _("values")
        constraints = [models.UniqueConstraint(fields=["ret", "indicator"], name="returns_value_unique")]
        indexes = [models.Index(fields=["indicator", "ret"])]

    def __str__(self) -> str:
        return f"{self.indicator.code}={self.get()}"

    def get(self):
        if self.indicator.unit == Unit.PERCENT:
            return self.decimal
        if self.indicator.is_number:
            return self.number
        return self.text


class ReturnRevision(models.Model):
    """Every saved state of a return, never changed: who, when, what status, which values, why."""

    ret = models.ForeignKey(Return, verbose_name=_("return"), on_delete=models.CASCADE, related_name="revisions")
    revision = models.PositiveIntegerField(_("revision"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    values = models.JSONField(_("values"), default=dict)  # indicator code -> value as saved
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    by = models.ForeignKey(
        "core.User", verbose_name=_("by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("revision of a return")
        verbose_name_plural = _("revisions of returns")
        ordering = ["ret", "revision"]
        constraints = [models.UniqueConstraint(fields=["ret", "revision"], name="returns_revision_unique")]

    def __str__(self) -> str:
        return f"{self.ret} r{self.revision}"


class Grade(models.TextChoices):
    GOOD = "tot", _("Good (Tốt)")
    FAIR = "kha", _("Fair (Khá)")
    AVERAGE = "trung_binh", _("Average (Trung bình)")
    WEAK = "yeu", _("Weak (Yếu)")
    NOT_GRADED = "khong_xep_loai", _("Not graded")


class Grading(BaseModel):
    """A cooperative's grade for a year (Circular 01/2020/TT-BKHĐT), from its approved grading sheet."""

    organization = models.ForeignKey(
        "registry.Organization", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="gradings"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    ret = models.OneToOneField(
        Return, verbose_name=_("grading sheet"), null=True, blank=True, on_delete=models.PROTECT, related_name="grading"
    )
    total = models.PositiveSmallIntegerField(_("total score"), null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=20, choices=Grade.choices)
    not_graded_reason = models.CharField(_("why not graded"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("grade")
        verbose_name_plural = _("grades")
        ordering = ["-year", "organization__name"]
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="returns_grading_unique")]

    def __str__(self) -> str:
        return f"{self.organization} {self.year}: {self.get_grade_display()}"
