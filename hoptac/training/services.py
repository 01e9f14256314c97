"""Writes of the training app: each validated, in one transaction, leaving an audit entry.

Only administrators and the training department write (``selectors.can_manage_training``);
a service given a ``by`` who may not raises PermissionDenied, whatever page called it.
Money is whole đồng, never negative. Nothing is deleted: a participant entered by mistake
is archived with a reason and can be restored; a course that will not take place is cancelled.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoptac.core.audit import diff, log_action, snapshot
from hoptac.core.formatting import vi_date
from hoptac.core.text import normalize
from hoptac.journal.models import Document, DocumentKind
from hoptac.registry.models import Organization

from .models import (
    BudgetSource,
    Course,
    CourseStatus,
    Gender,
    Participant,
    ParticipantRole,
    Plan,
    PlannedCourse,
    PlanStatus,
    TargetGroup,
)
from .selectors import can_manage_training

PLAN_FIELDS = ["year", "number", "title", "budget", "document", "note", "issued_on"]
PLANNED_FIELDS = ["topic", "target_group", "quarter", "month", "participants", "budget", "budget_source", "note"]
COURSE_FIELDS = [
    "planned",
    "topic",
    "starts_on",
    "ends_on",
    "place",
    "trainers",
    "target_group",
    "budget",
    "budget_source",
    "note",
]
PARTICIPANT_FIELDS = ["full_name", "gender", "position", "organization", "organization_name", "phone", "role"]
MIN_YEAR, MAX_YEAR = 2000, 2100


def _allowed(by) -> None:
    if by is not None and not can_manage_training(by):
        raise PermissionDenied("only administrators and the training department record training")


def _user(by):
    return by if getattr(by, "is_authenticated", False) else None


def _check_money(errors: dict, field: str, value) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        errors[field] = _("Enter the amount in whole đồng.")
    elif value < 0:
        errors[field] = _("The amount cannot be negative.")


def _required_text(errors: dict, field: str, value, message: str) -> None:
    if not (value or "").strip():
        errors[field] = message


def _strip(values: dict) -> dict:
    return {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}


def _update(instance, values: dict, fields: list[str], by) -> dict:
    """Set fields from values on instance, save it, and return what changed as {field: [old, new]}."""
    before = snapshot(instance, fields)
    for name in fields:
        setattr(instance, name, values[name])
    instance.modified_by = _user(by)
    instance.save()
    return diff(before, snapshot(instance, fields))


# ---------------------------------------------------------------- plans


def _check_plan(values: dict, plan: Plan | None = None) -> None:
    errors: dict = {}
    year = values["year"]
    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        errors["year"] = _("Enter a year between %(min)s and %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR}
    _required_text(errors, "title", values["title"], _("A title is required."))
    _check_money(errors, "budget", values["budget"])
    document = values["document"]
    if document is not None and document.kind != DocumentKind.PLAN:
        errors["document"] = _("Link the plan to a document of the kind “plan”.")
    if errors:
        raise ValidationError(errors)
    if values["number"]:
        taken = Plan.objects.filter(year=year, number__iexact=values["number"])
        if plan is not None:
            taken = taken.exclude(pk=plan.pk)
        if taken.exists():
            raise ValidationError({"number": _("Another plan of %(year)s has this number.") % {"year": year}})


def _check_issue_date(plan_year: int, issued_on: datetime.date | None) -> None:
    if issued_on is None:
        raise ValidationError({"issued_on": _("Enter the date the plan was issued.")})
    if issued_on > timezone.localdate():
        raise ValidationError({"issued_on": _("The date cannot be in the future.")})
    if not plan_year - 1 <= issued_on.year <= plan_year:
        raise ValidationError(
            {"issued_on": _("A plan for %(year)s is issued in that year or the year before.") % {"year": plan_year}}
        )


@transaction.atomic
def plan_create(
    *,
    year: int,
    title: str,
    budget: int = 0,
    number: str = "",
    document: Document | None = None,
    note: str = "",
    by=None,
) -> Plan:
    """Start the training plan of a year as a draft (the number may wait until it is issued)."""
    _allowed(by)
    values = _strip(
        {"year": year, "title": title, "budget": budget, "number": number or "", "document": document, "note": note}
    )
    _check_plan(values)
    plan = Plan.objects.create(**values, created_by=_user(by), modified_by=_user(by))
    log_action("training.plan.created", instance=plan, user=by, changes=snapshot(plan, PLAN_FIELDS))
    return plan


@transaction.atomic
def plan_update(*, plan: Plan, by=None, **fields) -> Plan:
    """Change a plan's details (any of PLAN_FIELDS); an issued plan keeps a number and an issue date."""
    _allowed(by)
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    values = _strip({name: fields.get(name, getattr(plan, name)) for name in PLAN_FIELDS})
    values["number"] = values["number"] or ""
    _check_plan(values, plan)
    if plan.is_issued:
        if not values["number"]:
            raise ValidationError({"number": _("An issued plan keeps its number.")})
        _check_issue_date(values["year"], values["issued_on"])
    else:
        values["issued_on"] = None  # a draft has no issue date: issuing sets it
    changes = _update(plan, values, PLAN_FIELDS, by)
    if changes:
        log_action("training.plan.changed", instance=plan, user=by, changes=changes)
    return plan


@transaction.atomic
def plan_issue(*, plan: Plan, issued_on: datetime.date, number: str = "", by=None) -> Plan:
    """A draft plan is issued on a date under a number (the number already given, or this one)."""
    _allowed(by)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.is_issued:
        raise ValidationError(_("This plan is already issued."))
    number = (number or plan.number).strip()
    if not number:
        raise ValidationError({"number": _("An issued plan needs a number.")})
    _check_issue_date(plan.year, issued_on)
    if Plan.objects.filter(year=plan.year, number__iexact=number).exclude(pk=plan.pk).exists():
        raise ValidationError({"number": _("Another plan of %(year)s has this number.") % {"year": plan.year}})
    changes = {"status": [plan.status, PlanStatus.ISSUED], "issued_on": [None, issued_on]}
    if number != plan.number:
        changes["number"] = [plan.number, number]
    plan.status, plan.issued_on, plan.number = PlanStatus.ISSUED, issued_on, number
    plan.modified_by = _user(by)
    plan.save(update_fields=["status", "issued_on", "number", "modified_by", "modified_on"])
    log_action("training.plan.issued", instance=plan, user=by, changes=changes)
    return plan


# ---------------------------------------------------------------- planned courses


def _check_planned(values: dict) -> None:
    errors: dict = {}
    _required_text(errors, "topic", values["topic"], _("A topic is required."))
    if values["target_group"] not in TargetGroup.values:
        errors["target_group"] = _("Choose a target group.")
    if values["budget_source"] not in BudgetSource.values:
        errors["budget_source"] = _("Choose where the money comes from.")
    quarter, month = values["quarter"], values["month"]
    if quarter not in (1, 2, 3, 4):
        errors["quarter"] = _("Choose a quarter (I to IV).")
    elif month is not None and (not 1 <= month <= 12 or (month - 1) // 3 + 1 != quarter):
        errors["month"] = _("The month is not in the quarter chosen.")
    participants = values["participants"]
    if isinstance(participants, bool) or not isinstance(participants, int) or participants < 1:
        errors["participants"] = _("Enter how many people the course is for (at least 1).")
    _check_money(errors, "budget", values["budget"])
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def planned_course_add(
    *,
    plan: Plan,
    topic: str,
    target_group: str,
    quarter: int,
    participants: int,
    budget: int,
    budget_source: str,
    month: int | None = None,
    note: str = "",
    by=None,
) -> PlannedCourse:
    """Add a course to a plan: topic, target group, quarter (and month), learners, budget and its source."""
    _allowed(by)
    values = _strip(
        {
            "topic": topic,
            "target_group": target_group,
            "quarter": quarter,
            "month": month,
            "participants": participants,
            "budget": budget,
            "budget_source": budget_source,
            "note": note,
        }
    )
    _check_planned(values)
    planned = PlannedCourse.objects.create(plan=plan, **values, created_by=_user(by), modified_by=_user(by))
    log_action("training.planned_course.created", instance=planned, user=by, changes=snapshot(planned, PLANNED_FIELDS))
    return planned


@transaction.atomic
def planned_course_update(*, planned: PlannedCourse, by=None, **fields) -> PlannedCourse:
    """Change a planned course (any of PLANNED_FIELDS); audits what changed."""
    _allowed(by)
    unknown = set(fields) - set(PLANNED_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    values = _strip({name: fields.get(name, getattr(planned, name)) for name in PLANNED_FIELDS})
    _check_planned(values)
    changes = _update(planned, values, PLANNED_FIELDS, by)
    if changes:
        log_action("training.planned_course.changed", instance=planned, user=by, changes=changes)
    return planned


# ---------------------------------------------------------------- courses


def _check_course(values: dict, status: str = CourseStatus.PLANNED) -> None:
    errors: dict = {}
    _required_text(errors, "topic", values["topic"], _("A topic is required."))
    _required_text(errors, "place", values["place"], _("Enter where the course takes place."))
    if values["target_group"] not in TargetGroup.values:
        errors["target_group"] = _("Choose a target group.")
    if values["budget_source"] not in BudgetSource.values:
        errors["budget_source"] = _("Choose where the money comes from.")
    _check_money(errors, "budget", values["budget"])
    starts_on, ends_on = values["starts_on"], values["ends_on"]
    if starts_on is None:
        errors["starts_on"] = _("Enter the start date.")
    if ends_on is None:
        errors["ends_on"] = _("Enter the end date.")
    if starts_on and ends_on:
        if ends_on < starts_on:
            errors["ends_on"] = _("The course cannot end before it starts.")
        elif status == CourseStatus.HELD and ends_on > timezone.localdate():
            errors["ends_on"] = _("A course already held cannot end in the future.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def course_create(
    *,
    topic: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    place: str,
    target_group: str,
    budget: int,
    budget_source: str,
    trainers: str = "",
    planned: PlannedCourse | None = None,
    note: str = "",
    by=None,
) -> Course:
    """Record a course to be held (status planned), carrying out a planned course or not."""
    _allowed(by)
    values = _strip(
        {
            "planned": planned,
            "topic": topic,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "place": place,
            "trainers": trainers,
            "target_group": target_group,
            "budget": budget,
            "budget_source": budget_source,
            "note": note,
        }
    )
    _check_course(values)
    course = Course.objects.create(**values, created_by=_user(by), modified_by=_user(by))
    log_action("training.course.created", instance=course, user=by, changes=snapshot(course, COURSE_FIELDS))
    return course


@transaction.atomic
def course_update(*, course: Course, by=None, **fields) -> Course:
    """Change a course's details (any of COURSE_FIELDS); its status moves only by held / cancel."""
    _allowed(by)
    unknown = set(fields) - set(COURSE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    course = Course.objects.select_for_update().get(pk=course.pk)
    values = _strip({name: fields.get(name, getattr(course, name)) for name in COURSE_FIELDS})
    _check_course(values, course.status)
    if values["ends_on"] and values["starts_on"]:
        days = (values["ends_on"] - values["starts_on"]).days + 1
        if course.participants.current().filter(days_attended__gt=days).exists():
            raise ValidationError(
                {"ends_on": _("Some participants attended more days than the new dates allow; correct them first.")}
            )
    changes = _update(course, values, COURSE_FIELDS, by)
    if changes:
        log_action("training.course.changed", instance=course, user=by, changes=changes)
    return course


@transaction.atomic
def course_mark_held(*, course: Course, by=None) -> Course:
    """A planned course took place: possible once its last day has come."""
    _allowed(by)
    course = Course.objects.select_for_update().get(pk=course.pk)
    if course.status != CourseStatus.PLANNED:
        raise ValidationError(_("Only a planned course can be marked as held."))
    if course.ends_on > timezone.localdate():
        raise ValidationError(
            _("The course ends on %(day)s: mark it as held from that day.") % {"day": vi_date(course.ends_on)}
        )
    course.status = CourseStatus.HELD
    course.modified_by = _user(by)
    course.save(update_fields=["status", "modified_by", "modified_on"])
    log_action("training.course.held", instance=course, user=by, changes={"status": ["planned", "held"]})
    return course


@transaction.atomic
def course_cancel(*, course: Course, reason: str, by=None) -> Course:
    """A planned course will not take place; the reason is kept."""
    _allowed(by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for cancelling.")})
    course = Course.objects.select_for_update().get(pk=course.pk)
    if course.status != CourseStatus.PLANNED:
        raise ValidationError(_("Only a planned course can be cancelled."))
    course.status = CourseStatus.CANCELLED
    course.cancel_reason = reason
    course.modified_by = _user(by)
    course.save(update_fields=["status", "cancel_reason", "modified_by", "modified_on"])
    log_action(
        "training.course.cancelled",
        instance=course,
        user=by,
        changes={"status": ["planned", "cancelled"], "reason": reason},
    )
    return course


# ---------------------------------------------------------------- participants


def person_key(full_name: str, organization: Organization | None, organization_name: str = "") -> str:
    """Who a participant is, for "once per course": the name and the organisation, case and accents aside."""
    unit = f"#{organization.pk}" if organization is not None else f"~{normalize(organization_name)}"
    return f"{normalize(full_name)}|{unit}"


def _participant_values(values: dict) -> dict:
    values = _strip(values)
    values = {k: "" if v is None and k != "organization" else v for k, v in values.items()}
    if values["organization"] is not None:
        values["organization_name"] = ""  # the register's name is the one shown
    values["role"] = values["role"] or ParticipantRole.LEARNER
    errors: dict = {}
    _required_text(errors, "full_name", values["full_name"], _("Enter the person's full name."))
    if values["gender"] not in ("", *Gender.values):
        errors["gender"] = _("Choose male or female, or leave it empty.")
    if values["role"] not in ParticipantRole.values:
        errors["role"] = _("Choose a role: learner, trainer or organiser.")
    organization = values["organization"]
    if organization is None and not values["organization_name"]:
        errors["organization"] = _("Choose the organisation from the register, or type the unit's name.")
    elif organization is not None and organization.archived_on:
        errors["organization"] = _("This organisation's record is archived.")
    if errors:
        raise ValidationError(errors)
    return values


def _check_once(course: Course, key: str, full_name: str, exclude: Participant | None = None) -> None:
    taken = course.participants.current().filter(person_key=key)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise ValidationError(_("%(name)s of this unit is already on the course.") % {"name": full_name})


def _open_course(course: Course) -> None:
    # Read from the database: the caller's copy may predate a cancellation.
    if Course.objects.filter(pk=course.pk, status=CourseStatus.CANCELLED).exists():
        raise ValidationError(_("The course was cancelled: its participants can no longer change."))


@transaction.atomic
def participant_add(
    *,
    course: Course,
    full_name: str,
    organization: Organization | None = None,
    organization_name: str = "",
    gender: str = "",
    position: str = "",
    phone: str = "",
    role: str = ParticipantRole.LEARNER,
    by=None,
) -> Participant:
    """Register a person on a course, once: an organisation of the register, or a unit's name as text."""
    _allowed(by)
    _open_course(course)
    values = _participant_values(
        {
            "full_name": full_name,
            "gender": gender,
            "position": position,
            "organization": organization,
            "organization_name": organization_name,
            "phone": phone,
            "role": role,
        }
    )
    key = person_key(values["full_name"], values["organization"], values["organization_name"])
    _check_once(course, key, values["full_name"])
    participant = Participant.objects.create(
        course=course, **values, person_key=key, created_by=_user(by), modified_by=_user(by)
    )
    log_action(
        "training.participant.created", instance=participant, user=by, changes=snapshot(participant, PARTICIPANT_FIELDS)
    )
    return participant


@transaction.atomic
def participant_update(*, participant: Participant, by=None, **fields) -> Participant:
    """Correct a participant's details (any of PARTICIPANT_FIELDS); still once per course."""
    _allowed(by)
    unknown = set(fields) - set(PARTICIPANT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    if participant.archived_on:
        raise ValidationError(_("This participant is archived; restore them before editing."))
    _open_course(participant.course)
    values = _participant_values({name: fields.get(name, getattr(participant, name)) for name in PARTICIPANT_FIELDS})
    key = person_key(values["full_name"], values["organization"], values["organization_name"])
    _check_once(participant.course, key, values["full_name"], exclude=participant)
    participant.person_key = key
    changes = _update(participant, values, PARTICIPANT_FIELDS, by)
    if changes:
        log_action("training.participant.changed", instance=participant, user=by, changes=changes)
    return participant


@transaction.atomic
def participant_archive(*, participant: Participant, reason: str, by=None) -> Participant:
    """Take off the list a participant entered by mistake, keeping the record and its history."""
    _allowed(by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for archiving.")})
    if participant.archived_on:
        raise ValidationError(_("This participant is already archived."))
    participant.archived_on = timezone.now()
    participant.archived_reason = reason
    participant.modified_by = _user(by)
    participant.save(update_fields=["archived_on", "archived_reason", "modified_by", "modified_on"])
    log_action("training.participant.archived", instance=participant, user=by, changes={"reason": reason})
    return participant


@transaction.atomic
def participant_restore(*, participant: Participant, reason: str = "", by=None) -> Participant:
    """Put an archived participant back on the list, unless the same person was registered again since."""
    _allowed(by)
    if not participant.archived_on:
        raise ValidationError(_("This participant is not archived."))
    _check_once(participant.course, participant.person_key, participant.full_name, exclude=participant)
    participant.archived_on = None
    participant.archived_reason = ""
    participant.modified_by = _user(by)
    participant.save(update_fields=["archived_on", "archived_reason", "modified_by", "modified_on"])
    log_action(
        "training.participant.restored", instance=participant, user=by, changes={"reason": (reason or "").strip()}
    )
    return participant


@transaction.atomic
def attendance_mark(
    *,
    course: Course,
    attended: Iterable[int],
    certificates: Iterable[int] = (),
    days: dict[int, int | None] | None = None,
    by=None,
) -> int:
    """Record who attended (and for how many days) and who received a certificate, for the whole list at once.

    ``attended`` and ``certificates`` are the ids ticked; every current participant not in
    them is marked absent / without certificate. Returns how many participants changed.
    """
    _allowed(by)
    _open_course(course)
    if course.starts_on > timezone.localdate():
        raise ValidationError(
            _("The course starts on %(day)s: attendance is marked from that day.") % {"day": vi_date(course.starts_on)}
        )
    people = {p.pk: p for p in course.participants.current().select_for_update()}
    attended, certificates, days = set(attended), set(certificates), dict(days or {})
    strangers = (attended | certificates | set(days)) - set(people)
    if strangers:
        raise ValidationError(_("Some of the people ticked are not on this course's list."))
    errors = []
    for pk, value in days.items():
        person = people[pk].full_name
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= course.days:
            errors.append(
                _("%(name)s: the days attended must be between 1 and %(days)s.") % {"name": person, "days": course.days}
            )
        elif pk not in attended:
            errors.append(_("%(name)s: days attended are given but attendance is not ticked.") % {"name": person})
    errors += [
        _("%(name)s: a certificate needs attendance.") % {"name": people[pk].full_name}
        for pk in sorted(certificates - attended)
    ]
    if errors:
        raise ValidationError(errors)
    changed, changes, now = [], {}, timezone.now()
    for pk, person in people.items():
        before = (person.attended, person.days_attended, person.certificate)
        after = (pk in attended, days.get(pk) if pk in attended else None, pk in certificates)
        if before != after:
            person.attended, person.days_attended, person.certificate = after
            person.modified_by, person.modified_on = _user(by), now
            changed.append(person)
            changes[f"{person.full_name} (#{pk})"] = [list(before), list(after)]
    if changed:
        Participant.objects.bulk_update(
            changed, ["attended", "days_attended", "certificate", "modified_by", "modified_on"]
        )
        log_action("training.course.attendance_marked", instance=course, user=by, changes=changes)
    return len(changed)
