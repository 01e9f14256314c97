"""Reads of the training app, and who may see and write what.

Every figure about training comes from here: the plan page, its Excel export and the
quarterly report (``training_summary``) can never disagree. A learner counts when they
are on the list (not archived), came as a learner (not as a trainer or organiser) and
attended; each person is on a course's list once, so they count once per course.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from hoptac.core.models import Department, Role
from hoptac.registry.models import Organization
from hoptac.registry.selectors import organizations_for

from .models import PLANNED_ORDER, Course, CourseStatus, Participant, ParticipantRole, Plan, PlannedCourse, PlanStatus


def counted(prefix: str = "") -> Q:
    """A participant who counts in the figures: on the list, a learner, present (``prefix`` from a course)."""
    return Q(
        **{f"{prefix}archived_on__isnull": True, f"{prefix}role": ParticipantRole.LEARNER, f"{prefix}attended": True}
    )


def can_manage_training(user) -> bool:
    """Record plans, courses and participants: administrators and the training department only."""
    return bool(getattr(user, "is_authenticated", False)) and (
        user.is_admin or (user.role == Role.STAFF and user.department == Department.TRAINING)
    )


def sees_plans(user) -> bool:
    """The plans are the alliance's own papers: its administrators and staff read them."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_alliance)


def plans_for(user) -> QuerySet[Plan]:
    return Plan.objects.all() if sees_plans(user) else Plan.objects.none()


def participants_for(user) -> QuerySet[Participant]:
    """Participants user may see (archived ones too): all for the alliance, else of organisations they see."""
    qs = Participant.objects.select_related("organization")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if user.is_alliance:
        return qs
    return qs.filter(organization__in=organizations_for(user))


def courses_for(user) -> QuerySet[Course]:
    """Courses user may see: all for the alliance; else those attended by people of organisations they see."""
    qs = Course.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if user.is_alliance:
        return qs
    return qs.filter(pk__in=participants_for(user).filter(archived_on__isnull=True).values("course_id"))


def course_list(
    user, *, year: int | None = None, status: str = "", target_group: str = "", planned: PlannedCourse | None = None
) -> QuerySet[Course]:
    """Courses user sees, filtered, newest first, with how many (visible) people are on each list."""
    listed = Q(participants__archived_on__isnull=True)
    if not getattr(user, "is_alliance", False):
        listed &= Q(participants__organization__in=organizations_for(user))
    qs = (
        courses_for(user)
        .select_related("planned__plan")
        .annotate(participant_count=Count("participants", filter=listed))
    )
    if year:
        qs = qs.filter(starts_on__year=year)
    if status:
        qs = qs.filter(status=status)
    if target_group:
        qs = qs.filter(target_group=target_group)
    if planned is not None:
        qs = qs.filter(planned=planned)
    return qs.order_by("-starts_on", "-id")


def course_participants(user, course: Course) -> QuerySet[Participant]:
    """The people on a course's list that user may see, archived ones last, learners after trainers."""
    return participants_for(user).filter(course=course).order_by("archived_on", "role", "id")


def upcoming_courses(user, today: datetime.date, limit: int = 5) -> list[Course]:
    """Planned courses not yet over, soonest first."""
    qs = course_list(user, status=CourseStatus.PLANNED).filter(ends_on__gte=today)
    return list(qs.order_by("starts_on", "id")[:limit])


def recent_courses(user, today: datetime.date, limit: int = 5) -> list[Course]:
    """Courses held, the latest first."""
    qs = course_list(user, status=CourseStatus.HELD).filter(starts_on__lte=today)
    return list(qs[:limit])


def training_of(organization: Organization) -> QuerySet[Participant]:
    """The participations of an organisation's people (not archived), with their course, newest first."""
    return (
        Participant.objects.current()
        .filter(organization=organization)
        .select_related("course")
        .order_by("-course__starts_on", "-course_id", "role", "full_name", "id")
    )


# ---------------------------------------------------------------- plan progress


@dataclass(frozen=True)
class PlannedProgress:
    """One planned course against what was done: the courses held for it, their learners and cost."""

    planned: PlannedCourse
    held: list[Course]
    scheduled: list[Course]  # recorded, not yet held
    participants_done: int
    budget_spent: int

    @property
    def courses_held(self) -> int:
        return len(self.held)

    @property
    def participants_planned(self) -> int:
        return self.planned.participants

    @property
    def budget_planned(self) -> int:
        return self.planned.budget


def _percent(done: int, planned: int) -> int | None:
    return round(100 * done / planned) if planned else None


@dataclass(frozen=True)
class PlanProgress:
    """A plan's planned courses against what was done, with the totals the plan page and export print."""

    plan: Plan
    rows: list[PlannedProgress]
    courses_planned: int
    courses_held: int
    participants_planned: int
    participants_done: int
    budget_planned: int
    budget_spent: int
    held_course_ids: list[int] = field(default_factory=list)

    @property
    def courses_percent(self) -> int | None:
        return _percent(sum(1 for r in self.rows if r.held), self.courses_planned)

    @property
    def participants_percent(self) -> int | None:
        return _percent(self.participants_done, self.participants_planned)

    @property
    def budget_percent(self) -> int | None:
        return _percent(self.budget_spent, self.budget_planned)


def plan_progress(plan: Plan) -> PlanProgress:
    """Planned vs done for each planned course of plan, and in total (two queries).

    Done means courses held (not planned, not cancelled) that carry out the planned
    course; their learners who attended; their cost. ``courses_planned`` counts the
    planned courses, ``courses_held`` the courses held for them (a planned course may
    be run as several classes).
    """
    courses = (
        Course.objects.filter(planned__plan=plan)
        .exclude(status=CourseStatus.CANCELLED)
        .annotate(learners=Count("participants", filter=counted("participants__")))
        .order_by("starts_on", "id")
    )
    by_planned: dict[int, list[Course]] = {}
    for course in courses:
        by_planned.setdefault(course.planned_id, []).append(course)
    rows = []
    for planned in plan.planned_courses.select_related("plan").order_by(*PLANNED_ORDER):
        linked = by_planned.get(planned.pk, [])
        held = [c for c in linked if c.status == CourseStatus.HELD]
        rows.append(
            PlannedProgress(
                planned=planned,
                held=held,
                scheduled=[c for c in linked if c.status == CourseStatus.PLANNED],
                participants_done=sum(c.learners for c in held),
                budget_spent=sum(c.budget for c in held),
            )
        )
    return PlanProgress(
        plan=plan,
        rows=rows,
        courses_planned=len(rows),
        courses_held=sum(r.courses_held for r in rows),
        participants_planned=sum(r.participants_planned for r in rows),
        participants_done=sum(r.participants_done for r in rows),
        budget_planned=sum(r.budget_planned for r in rows),
        budget_spent=sum(r.budget_spent for r in rows),
        held_course_ids=[c.pk for r in rows for c in r.held],
    )


def plan_of_year(user, year: int) -> Plan | None:
    """The plan of a year the index page follows: the issued one (the latest if several), else a draft."""
    return plans_for(user).filter(year=year).order_by("-status", "-issued_on", "-id").first()


def latest_plan_year(user) -> int | None:
    plan = plans_for(user).order_by("-year").first()
    return plan.year if plan else None


# ---------------------------------------------------------------- the quarterly report


@dataclass(frozen=True)
class TrainingSummary:
    """Training in a period, for the quarterly report; every figure comes with the records behind it.

    - plans: plans issued in the period (number, issued_on, title), by issue date;
    - courses: courses held whose last day falls in the period, by start date;
    - participant_ids: the learners who attended those courses (a person once per course);
    - organization_ids: the organisations of the register those learners came from;
    - budget_spent: the courses' budgets added up, whole đồng.
    """

    date_from: datetime.date
    date_to: datetime.date
    plans: list[Plan]
    courses: list[Course]
    participant_ids: list[int]
    organization_ids: list[int]
    budget_spent: int

    @property
    def plan_ids(self) -> list[int]:
        return [p.pk for p in self.plans]

    @property
    def course_ids(self) -> list[int]:
        return [c.pk for c in self.courses]

    @property
    def plan_count(self) -> int:
        return len(self.plans)

    @property
    def course_count(self) -> int:
        return len(self.courses)

    @property
    def participant_count(self) -> int:
        return len(self.participant_ids)

    @property
    def organization_count(self) -> int:
        return len(self.organization_ids)

    def participants(self) -> QuerySet[Participant]:
        """The learners counted, with their course and organisation."""
        return (
            Participant.objects.filter(pk__in=self.participant_ids)
            .select_related("course", "organization")
            .order_by("course__starts_on", "course_id", "id")
        )

    def organizations(self) -> QuerySet[Organization]:
        """The organisations reached."""
        return Organization.objects.filter(pk__in=self.organization_ids).order_by("name", "id")


def held_in(date_from: datetime.date, date_to: datetime.date) -> QuerySet[Course]:
    """Courses held whose last day falls within [date_from, date_to]."""
    return Course.objects.filter(status=CourseStatus.HELD, ends_on__gte=date_from, ends_on__lte=date_to)


def training_summary(date_from: datetime.date, date_to: datetime.date) -> TrainingSummary:
    """Plans issued and courses held in [date_from, date_to], their learners, organisations reached and cost.

    A course belongs to the period its last day falls in (it is held once it is over), so a
    report as of 15/03 leaves out a course still running that day.
    """
    plans = list(
        Plan.objects.filter(status=PlanStatus.ISSUED, issued_on__gte=date_from, issued_on__lte=date_to).order_by(
            "issued_on", "id"
        )
    )
    courses = list(held_in(date_from, date_to).order_by("starts_on", "id"))
    learners = list(
        Participant.objects.filter(counted(), course__in=[c.pk for c in courses])
        .order_by("course__starts_on", "course_id", "id")
        .values_list("pk", "organization_id")
    )
    return TrainingSummary(
        date_from=date_from,
        date_to=date_to,
        plans=plans,
        courses=courses,
        participant_ids=[pk for pk, _org in learners],
        organization_ids=sorted({org for _pk, org in learners if org is not None}),
        budget_spent=sum(c.budget for c in courses),
    )
