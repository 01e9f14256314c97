"""Training (bồi dưỡng, tập huấn): the annual plan, its planned courses, the courses held and their participants.

The alliance issues a training plan each year listing the courses it means to run (topic,
target group, quarter, number of learners, budget and where the money comes from). Courses
actually held are recorded with their dates, place, trainers and cost, linked to the
planned course they carry out, and with the people who came: cooperative managers and
accountants from the register, and people the register does not know (commune officials).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hoptac.core.formatting import ROMAN
from hoptac.core.models import BaseModel


class TargetGroup(models.TextChoices):
    MANAGERS = "managers", _("Cooperative managers")
    ACCOUNTANTS = "accountants", _("Cooperative accountants")
    MEMBERS = "members", _("Cooperative members")
    GROUPS = "groups", _("Cooperative groups (THT)")
    ALLIANCE_STAFF = "alliance_staff", _("Alliance staff")
    OTHER = "other", pgettext_lazy("target group", "Other")


class BudgetSource(models.TextChoices):
    PROVINCE = "province", _("Provincial budget")
    CENTRAL = "central", _("Central budget")
    ALLIANCE = "alliance", _("The alliance's own funds")
    PARTNER = "partner", _("Partner funding")
    OTHER = "other", pgettext_lazy("budget source", "Other")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("training plan", "Draft")
    ISSUED = "issued", pgettext_lazy("training plan", "Issued")


class CourseStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("course", "Planned")
    HELD = "held", pgettext_lazy("course", "Held")
    CANCELLED = "cancelled", pgettext_lazy("course", "Cancelled")


class ParticipantRole(models.TextChoices):
    LEARNER = "learner", _("Learner")
    TRAINER = "trainer", _("Trainer")
    ORGANISER = "organiser", _("Organiser")


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Plan(BaseModel):
    """The alliance's training plan of a year (kế hoạch bồi dưỡng, tập huấn); issued once, with a number."""

    year = models.PositiveSmallIntegerField(_("year"))
    number = models.CharField(_("plan no."), max_length=60, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    title = models.CharField(pgettext_lazy("training plan", "title"), max_length=300)
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    budget = models.BigIntegerField(_("total budget (đồng)"), default=0)
    # The journal records the plan as one of the alliance's documents; the same paper, linked.
    document = models.ForeignKey(
        "journal.Document",
        verbose_name=_("document in the journal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="training_plans",
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("training plan")
        verbose_name_plural = _("training plans")
        ordering = ["-year", "-issued_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(budget__gte=0), name="training_plan_budget_not_negative"),
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(issued_on__isnull=False) & ~Q(number="")),
                name="training_plan_issued_numbered",
            ),
            models.UniqueConstraint(
                fields=["year", "number"], condition=~Q(number=""), name="training_plan_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    @property
    def is_issued(self) -> bool:
        return self.status == PlanStatus.ISSUED

    @property
    def status_class(self) -> str:
        return "badge-active" if self.is_issued else "badge-inactive"


PLANNED_ORDER = ["quarter", models.F("month").asc(nulls_last=True), "id"]


class PlannedCourse(BaseModel):
    """A course the plan means to run: what, for whom, when, for how many and with what money."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="planned_courses")
    topic = models.CharField(_("topic"), max_length=300)
    target_group = models.CharField(_("target group"), max_length=20, choices=TargetGroup.choices)
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True)
    participants = models.PositiveIntegerField(_("planned participants"))
    budget = models.BigIntegerField(_("planned budget (đồng)"), default=0)
    budget_source = models.CharField(_("budget source"), max_length=20, choices=BudgetSource.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("planned course")
        verbose_name_plural = _("planned courses")
        # A course planned for a quarter only comes after those of its months, on every database.
        ordering = ["plan", "quarter", models.F("month").asc(nulls_last=True), "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="training_planned_quarter"),
            models.CheckConstraint(
                condition=Q(month__isnull=True) | Q(month__gte=1, month__lte=12), name="training_planned_month"
            ),
            models.CheckConstraint(condition=Q(budget__gte=0), name="training_planned_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return self.topic

    @property
    def when(self) -> str:
        """ "Quý II/2021" or "Tháng 4/2021", as plans write it."""
        if self.month:
            return _("Month %(month)s/%(year)s") % {"month": self.month, "year": self.plan.year}
        return _("Quarter %(quarter)s/%(year)s") % {"quarter": ROMAN[self.quarter], "year": self.plan.year}


class Course(BaseModel):
    """A course (lớp bồi dưỡng, tập huấn) as organised: planned, then held or cancelled."""

    planned = models.ForeignKey(
        PlannedCourse,
        verbose_name=_("planned course"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="courses",
    )
    topic = models.CharField(_("topic"), max_length=300)
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"))
    place = models.CharField(_("venue"), max_length=300)
    trainers = models.TextField(_("trainers"), blank=True)
    target_group = models.CharField(_("target group"), max_length=20, choices=TargetGroup.choices)
    budget = models.BigIntegerField(_("budget (đồng)"), default=0)
    budget_source = models.CharField(_("budget source"), max_length=20, choices=BudgetSource.choices)
    status = models.CharField(_("status"), max_length=10, choices=CourseStatus.choices, default=CourseStatus.PLANNED)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["status", "ends_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="training_course_dates"),
            models.CheckConstraint(condition=Q(budget__gte=0), name="training_course_budget_not_negative"),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancel_reason=""), name="training_course_cancel_reason"
            ),
        ]

    def __str__(self) -> str:
        return self.topic

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1

    @property
    def status_class(self) -> str:
        return {"planned": "badge-warning", "held": "badge-active", "cancelled": "badge-inactive"}[self.status]


class ParticipantQuerySet(models.QuerySet):
    def current(self):
        """Participants not archived (archived ones were entered by mistake and are kept for history)."""
        return self.filter(archived_on__isnull=True)


class Participant(BaseModel):
    """A person at a course: from an organisation of the register, or from a unit named in text."""

    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="participants")
    full_name = models.CharField(_("full name"), max_length=120)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    position = models.CharField(_("position"), max_length=120, blank=True)
    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="training_participations",
    )
    organization_name = models.CharField(_("unit (not in the register)"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=ParticipantRole.choices, default=ParticipantRole.LEARNER)
    attended = models.BooleanField(_("attended"), default=False)
    days_attended = models.PositiveSmallIntegerField(_("days attended"), null=True, blank=True)
    certificate = models.BooleanField(_("certificate given"), default=False)
    # The name and organisation, normalised: a person is at a course once (see services.person_key).
    person_key = models.CharField(max_length=450, editable=False)
    archived_on = models.DateTimeField(_("archived on"), null=True, blank=True)
    archived_reason = models.TextField(_("reason for archiving"), blank=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["course", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "person_key"],
                condition=Q(archived_on__isnull=True),
                name="training_participant_once_per_course",
            ),
            models.CheckConstraint(
                condition=Q(organization__isnull=False) | ~Q(organization_name=""),
                name="training_participant_has_unit",
            ),
            models.CheckConstraint(
                condition=Q(days_attended__isnull=True) | Q(attended=True), name="training_days_only_attended"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def unit(self) -> str:
        """The organisation's name, from the register or as typed."""
        return self.organization.name if self.organization_id else self.organization_name
