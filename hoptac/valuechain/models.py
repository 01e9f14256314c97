"""Value-chain support: programmes, selection criteria, surveys of candidate cooperatives, selections, support plans.

The alliance's yearly work (seed report, "Hỗ trợ xây dựng chuỗi giá trị"): a programme is
opened, its criteria are set, candidate cooperatives are surveyed and scored against them,
the eligible ones with the best scores are selected, and each selected cooperative gets a
support plan with dated, budgeted activities and the products the chain is built around.

A survey's total score is never stored: ``selectors.with_scores`` computes it from the
answers, so the ranking, the exports, the organisation page and the report agree.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hoptac.core.models import BaseModel


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("value-chain programme", "Being prepared")
    SURVEY = "survey", _("Open for survey")
    SELECTED = "selected", _("Selection done")
    CLOSED = "closed", pgettext_lazy("value-chain programme", "Closed")


class SurveyStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("survey", "Planned")
    UNDER_WAY = "under_way", pgettext_lazy("survey", "Under way")
    DONE = "done", pgettext_lazy("survey", "Done")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("support plan", "Draft")
    APPROVED = "approved", pgettext_lazy("support plan", "Approved")
    IN_PROGRESS = "in_progress", pgettext_lazy("support plan", "In progress")
    DONE = "done", pgettext_lazy("support plan", "Completed")
    CANCELLED = "cancelled", pgettext_lazy("support plan", "Cancelled")


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("plan activity", "Planned")
    IN_PROGRESS = "in_progress", pgettext_lazy("plan activity", "In progress")
    DONE = "done", pgettext_lazy("plan activity", "Done")
    CANCELLED = "cancelled", pgettext_lazy("plan activity", "Cancelled")


class BudgetSource(models.TextChoices):
    CENTRAL = "central", _("Central budget")
    PROVINCE = "province", _("Provincial budget")
    DISTRICT = "district", _("District budget")
    COOPERATIVE = "cooperative", _("The cooperative's own funds")
    PARTNER = "partner", _("Enterprise or partner")
    OTHER = "other", _("Other source")


class Archivable(BaseModel):
    """A record that is archived with a reason (and can be restored) instead of deleted."""

    archived_on = models.DateTimeField(_("archived on"), null=True, blank=True)
    archived_reason = models.TextField(_("reason for archiving"), blank=True)

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_on is not None


class Programme(Archivable):
    """A programme of support for building value chains (chương trình hỗ trợ xây dựng chuỗi giá trị)."""

    name = models.CharField(_("name"), max_length=300)
    year_from = models.PositiveSmallIntegerField(_("from year"))
    year_to = models.PositiveSmallIntegerField(
        _("to year"), null=True, blank=True, help_text=_("Leave empty for a programme of one year.")
    )
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ProgrammeStatus.choices, default=ProgrammeStatus.DRAFT
    )
    budget = models.BigIntegerField(_("budget (đồng)"), null=True, blank=True)

    class Meta:
        verbose_name = _("value-chain programme")
        verbose_name_plural = _("value-chain programmes")
        ordering = ["-year_from", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year_to__isnull=True) | Q(year_to__gte=F("year_from")), name="valuechain_programme_years"
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0), name="valuechain_programme_budget"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def years(self) -> str:
        if self.year_to and self.year_to != self.year_from:
            return f"{self.year_from}–{self.year_to}"
        return str(self.year_from)

    @property
    def status_class(self) -> str:
        return {
            ProgrammeStatus.DRAFT: "badge-inactive",
            ProgrammeStatus.SURVEY: "badge-warning",
            ProgrammeStatus.SELECTED: "badge-active",
            ProgrammeStatus.CLOSED: "",
        }[self.status]


class Criterion(Archivable):
    """A selection criterion of a programme, scored 0..max_score; a required one must reach pass_score."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="criteria"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    text = models.CharField(_("criterion"), max_length=500)
    guidance = models.TextField(_("guidance for surveyors"), blank=True)
    max_score = models.PositiveSmallIntegerField(_("maximum score"))
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, help_text=_("The score counts this many times in the total.")
    )
    required = models.BooleanField(
        _("required"), default=False, help_text=_("A candidate that does not meet it is not eligible.")
    )
    pass_score = models.PositiveSmallIntegerField(
        _("score needed to meet it"),
        null=True,
        blank=True,
        help_text=_("For a required criterion; empty means the full score."),
    )

    class Meta:
        verbose_name = _("selection criterion")
        verbose_name_plural = _("selection criteria")
        ordering = ["programme", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(max_score__gte=1), name="valuechain_criterion_max_positive"),
            models.CheckConstraint(condition=Q(weight__gte=1), name="valuechain_criterion_weight_positive"),
            models.CheckConstraint(
                condition=Q(required=False, pass_score__isnull=True)
                | Q(required=True, pass_score__gte=1, pass_score__lte=F("max_score")),
                name="valuechain_criterion_pass_score",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.text}"


class Survey(Archivable):
    """The survey (khảo sát) of one candidate cooperative in a programme."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="surveys"
    )
    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("cooperative"),
        on_delete=models.PROTECT,
        related_name="value_chain_surveys",
    )
    # The planned date while planned; the day it started once under way.
    surveyed_on = models.DateField(_("survey date"))
    done_on = models.DateField(_("finished on"), null=True, blank=True)
    surveyors = models.CharField(_("surveyors"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=SurveyStatus.choices, default=SurveyStatus.PLANNED)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-surveyed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "organization"],
                condition=Q(archived_on__isnull=True),
                name="valuechain_survey_one_per_candidate",
            ),
            models.CheckConstraint(
                condition=Q(status="done", done_on__isnull=False) | (~Q(status="done") & Q(done_on__isnull=True)),
                name="valuechain_survey_done_dated",
            ),
            models.CheckConstraint(
                condition=Q(done_on__isnull=True) | Q(done_on__gte=F("surveyed_on")),
                name="valuechain_survey_done_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} – {self.programme}"

    @property
    def is_done(self) -> bool:
        return self.status == SurveyStatus.DONE

    @property
    def status_class(self) -> str:
        return {"planned": "badge-inactive", "under_way": "badge-warning", "done": "badge-active"}[self.status]

    # Set by selectors.with_scores.
    @property
    def eligible(self) -> bool:
        return self.required_met >= self.required_total

    @property
    def complete(self) -> bool:
        return self.answered >= self.criteria_count


class Answer(BaseModel):
    """The surveyors' answer to one criterion and the score they gave."""

    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.PROTECT, related_name="answers")
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="answers"
    )
    text = models.TextField(_("answer"), blank=True)
    score = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        ordering = ["survey", "criterion__order", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "criterion"], name="valuechain_answer_one_per_criterion"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


class Selection(BaseModel):
    """The programme's decision on one surveyed candidate: selected, or not with the reason."""

    survey = models.OneToOneField(Survey, verbose_name=_("survey"), on_delete=models.PROTECT, related_name="selection")
    selected = models.BooleanField(_("selected"))
    reason = models.TextField(_("reason"), blank=True)
    decided_on = models.DateField(_("decided on"))
    decision_number = models.CharField(_("decision no."), max_length=60, blank=True)

    class Meta:
        verbose_name = _("selection decision")
        verbose_name_plural = _("selection decisions")
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(selected=True) | ~Q(reason=""), name="valuechain_selection_reason_if_not"
            ),
        ]

    def __str__(self) -> str:
        return str(self.survey.organization)


class SupportPlan(Archivable):
    """A plan of support for a selected cooperative: its activities and products."""

    selection = models.ForeignKey(
        Selection, verbose_name=_("selection"), on_delete=models.PROTECT, related_name="plans"
    )
    title = models.CharField(_("plan title"), max_length=300)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    # The day it was completed or cancelled.
    closed_on = models.DateField(pgettext_lazy("support plan", "closed on"), null=True, blank=True)
    partners = models.TextField(_("partners"), blank=True, help_text=_("Enterprises, agencies, other cooperatives."))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("support plan")
        verbose_name_plural = _("support plans")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="valuechain_plan_dates"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "in_progress", "done"]) | Q(approved_on__isnull=False),
                name="valuechain_plan_approved_dated",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["done", "cancelled"], closed_on__isnull=False)
                | (~Q(status__in=["done", "cancelled"]) & Q(closed_on__isnull=True)),
                name="valuechain_plan_closed_dated",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def organization(self):
        return self.selection.survey.organization

    @property
    def programme(self):
        return self.selection.survey.programme

    @property
    def is_closed(self) -> bool:
        return self.status in (PlanStatus.DONE, PlanStatus.CANCELLED)

    @property
    def status_class(self) -> str:
        return {
            PlanStatus.DRAFT: "badge-inactive",
            PlanStatus.APPROVED: "badge-warning",
            PlanStatus.IN_PROGRESS: "badge-warning",
            PlanStatus.DONE: "badge-active",
            PlanStatus.CANCELLED: "badge-danger",
        }[self.status]


class PlanActivity(Archivable):
    """One activity of a support plan: what, when, how much (đồng) from which source, with whom."""

    plan = models.ForeignKey(
        SupportPlan, verbose_name=_("support plan"), on_delete=models.PROTECT, related_name="activities"
    )
    description = models.CharField(_("activity"), max_length=500)
    planned_on = models.DateField(_("planned date"))
    budget = models.BigIntegerField(_("budget (đồng)"), default=0)
    budget_source = models.CharField(_("budget source"), max_length=20, choices=BudgetSource.choices, blank=True)
    partner = models.CharField(_("partner"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("plan activity")
        verbose_name_plural = _("plan activities")
        ordering = ["planned_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(budget__gte=0), name="valuechain_activity_budget"),
            models.CheckConstraint(
                condition=Q(status="done", done_on__isnull=False) | (~Q(status="done") & Q(done_on__isnull=True)),
                name="valuechain_activity_done_dated",
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def status_class(self) -> str:
        return {
            ActivityStatus.PLANNED: "badge-inactive",
            ActivityStatus.IN_PROGRESS: "badge-warning",
            ActivityStatus.DONE: "badge-active",
            ActivityStatus.CANCELLED: "badge-danger",
        }[self.status]


class PlanProduct(Archivable):
    """A product the chain is built around, with its certification (OCOP stars, VietGAP…)."""

    plan = models.ForeignKey(
        SupportPlan, verbose_name=_("support plan"), on_delete=models.PROTECT, related_name="products"
    )
    name = models.CharField(_("product"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    ocop_stars = models.PositiveSmallIntegerField(_("OCOP stars"), null=True, blank=True)
    certification = models.CharField(
        _("certification"), max_length=200, blank=True, help_text=_("For example VietGAP, GlobalGAP, organic.")
    )

    class Meta:
        verbose_name = _("chain product")
        verbose_name_plural = _("chain products")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ocop_stars__isnull=True) | Q(ocop_stars__gte=3, ocop_stars__lte=5),
                name="valuechain_product_ocop_stars",
            ),
        ]

    def __str__(self) -> str:
        return self.name
