"""Writes of value-chain support: each in one transaction, each leaving an audit entry.

Nothing is deleted: programmes, criteria, surveys, plans, activities and products are
archived with a reason and can be restored. Rules a user can break come back as a
``ValidationError`` with a Vietnamese message and leave the data unchanged.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoptac.core.audit import diff, log_action, snapshot
from hoptac.registry.models import Organization, Status

from .models import (
    ActivityStatus,
    Answer,
    Archivable,
    BudgetSource,
    Criterion,
    PlanActivity,
    PlanProduct,
    PlanStatus,
    Programme,
    ProgrammeStatus,
    Selection,
    SupportPlan,
    Survey,
    SurveyStatus,
)
from .selectors import CANDIDATE_KINDS, with_scores

PROGRAMME_FIELDS = ["name", "year_from", "year_to", "description", "budget"]
CRITERION_FIELDS = ["order", "text", "guidance", "max_score", "weight", "required", "pass_score"]
# Changing these changes scores: not once a survey is done.
SCORING_FIELDS = {"max_score", "weight", "required", "pass_score"}
SURVEY_FIELDS = ["surveyed_on", "surveyors", "notes"]
PLAN_FIELDS = ["title", "starts_on", "ends_on", "partners", "description"]
ACTIVITY_FIELDS = ["description", "planned_on", "budget", "budget_source", "partner"]
PRODUCT_FIELDS = ["name", "description", "ocop_stars", "certification"]

# Where each status may go next.
PROGRAMME_MOVES = {
    ProgrammeStatus.DRAFT: {ProgrammeStatus.SURVEY},
    ProgrammeStatus.SURVEY: {ProgrammeStatus.DRAFT, ProgrammeStatus.SELECTED},
    ProgrammeStatus.SELECTED: {ProgrammeStatus.SURVEY, ProgrammeStatus.CLOSED},
    ProgrammeStatus.CLOSED: {ProgrammeStatus.SELECTED},
}
PLAN_MOVES = {
    PlanStatus.DRAFT: {PlanStatus.APPROVED, PlanStatus.CANCELLED},
    PlanStatus.APPROVED: {PlanStatus.IN_PROGRESS, PlanStatus.CANCELLED},
    PlanStatus.IN_PROGRESS: {PlanStatus.DONE, PlanStatus.CANCELLED},
    PlanStatus.DONE: {PlanStatus.IN_PROGRESS},
    PlanStatus.CANCELLED: set(),
}
ACTIVITY_MOVES = {
    ActivityStatus.PLANNED: {ActivityStatus.IN_PROGRESS, ActivityStatus.DONE, ActivityStatus.CANCELLED},
    ActivityStatus.IN_PROGRESS: {ActivityStatus.DONE, ActivityStatus.CANCELLED, ActivityStatus.PLANNED},
    ActivityStatus.DONE: {ActivityStatus.IN_PROGRESS},
    ActivityStatus.CANCELLED: {ActivityStatus.PLANNED},
}


def _user(by):
    return by if getattr(by, "is_authenticated", False) else None


def _clean(value):
    return value.strip() if isinstance(value, str) else value


def _not_future(field: str, day: datetime.date | None) -> None:
    if day and day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})


def _not_archived(obj: Archivable) -> None:
    if obj.archived_on:
        raise ValidationError(_("This record is archived; restore it first."))


# ---------------------------------------------------------------- archive and restore


def _archive(obj: Archivable, *, reason: str, by, action: str) -> None:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for archiving.")})
    if obj.archived_on:
        raise ValidationError(_("This record is already archived."))
    obj.archived_on = timezone.now()
    obj.archived_reason = reason
    obj.modified_by = _user(by)
    obj.save(update_fields=["archived_on", "archived_reason", "modified_by", "modified_on"])
    log_action(action, instance=obj, user=by, changes={"reason": reason})


def _restore(obj: Archivable, *, reason: str, by, action: str) -> None:
    if not obj.archived_on:
        raise ValidationError(_("This record is not archived."))
    obj.archived_on = None
    obj.archived_reason = ""
    obj.modified_by = _user(by)
    obj.save(update_fields=["archived_on", "archived_reason", "modified_by", "modified_on"])
    log_action(action, instance=obj, user=by, changes={"reason": (reason or "").strip()})


# ---------------------------------------------------------------- programmes


def _check_programme(*, name, year_from, year_to, budget) -> None:
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("A name is required.")
    if year_to is not None and year_from is not None and year_to < year_from:
        errors["year_to"] = _("The last year cannot be before the first.")
    if budget is not None and budget < 0:
        errors["budget"] = _("An amount cannot be negative.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def programme_create(
    *,
    name: str,
    year_from: int,
    by,
    year_to: int | None = None,
    description: str = "",
    budget: int | None = None,
) -> Programme:
    """Prepare a programme of value-chain support; it opens for survey later."""
    _check_programme(name=name, year_from=year_from, year_to=year_to, budget=budget)
    programme = Programme.objects.create(
        name=name.strip(),
        year_from=year_from,
        year_to=year_to if year_to != year_from else None,
        description=description.strip(),
        budget=budget,
        created_by=_user(by),
        modified_by=_user(by),
    )
    log_action(
        "valuechain.programme.created", instance=programme, user=by, changes=snapshot(programme, PROGRAMME_FIELDS)
    )
    return programme


@transaction.atomic
def programme_update(*, programme: Programme, by, **fields) -> Programme:
    """Change a programme's name, years, description or budget; audits what changed."""
    unknown = set(fields) - set(PROGRAMME_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    _not_archived(programme)
    values = {name: _clean(fields.get(name, getattr(programme, name))) for name in PROGRAMME_FIELDS}
    if values["year_to"] == values["year_from"]:
        values["year_to"] = None
    _check_programme(
        name=values["name"], year_from=values["year_from"], year_to=values["year_to"], budget=values["budget"]
    )
    before = snapshot(programme, PROGRAMME_FIELDS)
    for name, value in values.items():
        setattr(programme, name, value)
    changes = diff(before, snapshot(programme, PROGRAMME_FIELDS))
    if changes:
        programme.modified_by = _user(by)
        programme.save()
        log_action("valuechain.programme.changed", instance=programme, user=by, changes=changes)
    return programme


@transaction.atomic
def programme_set_status(*, programme: Programme, status: str, by) -> Programme:
    """Move a programme on: prepared → open for survey → selection done → closed (and back one step)."""
    _not_archived(programme)
    if status not in PROGRAMME_MOVES.get(programme.status, set()):
        raise ValidationError(
            {
                "status": _("A programme that is “%(current)s” cannot become “%(next)s”.")
                % {"current": programme.get_status_display(), "next": ProgrammeStatus(status).label}
            }
        )
    live = programme.surveys.filter(archived_on__isnull=True)
    if status == ProgrammeStatus.SURVEY and programme.status == ProgrammeStatus.DRAFT:
        if not programme.criteria.filter(archived_on__isnull=True).exists():
            raise ValidationError({"status": _("Set the selection criteria before opening the survey.")})
    if status == ProgrammeStatus.DRAFT and live.exists():
        raise ValidationError(
            {"status": _("Candidates are already surveyed: the programme cannot go back to preparation.")}
        )
    if status == ProgrammeStatus.SELECTED and programme.status == ProgrammeStatus.SURVEY:
        if not Selection.objects.filter(survey__in=live).exists():
            raise ValidationError({"status": _("Record the selection first.")})
    old = programme.status
    programme.status = status
    programme.modified_by = _user(by)
    programme.save(update_fields=["status", "modified_by", "modified_on"])
    log_action("valuechain.programme.status_changed", instance=programme, user=by, changes={"status": [old, status]})
    return programme


@transaction.atomic
def programme_archive(*, programme: Programme, reason: str, by) -> Programme:
    """Archive a programme entered by mistake: it and everything under it leave lists and figures."""
    _archive(programme, reason=reason, by=by, action="valuechain.programme.archived")
    return programme


@transaction.atomic
def programme_restore(*, programme: Programme, reason: str, by) -> Programme:
    _restore(programme, reason=reason, by=by, action="valuechain.programme.restored")
    return programme


# ---------------------------------------------------------------- criteria


def _scoring_is_open(programme: Programme) -> None:
    """Scoring rules change only while no survey of the programme is done."""
    _not_archived(programme)
    if programme.status not in (ProgrammeStatus.DRAFT, ProgrammeStatus.SURVEY):
        raise ValidationError(_("The selection is done: the criteria can no longer change."))
    if programme.surveys.filter(archived_on__isnull=True, status=SurveyStatus.DONE).exists():
        raise ValidationError(
            _("A survey of this programme is done: reopen the done surveys before changing how criteria are scored.")
        )


def _check_criterion(values: dict) -> None:
    errors = {}
    if not (values["text"] or "").strip():
        errors["text"] = _("Write the criterion.")
    if values["max_score"] is None or values["max_score"] < 1:
        errors["max_score"] = _("The maximum score must be at least 1.")
    if values["weight"] is None or values["weight"] < 1:
        errors["weight"] = _("The weight must be at least 1.")
    if values["required"] and values["pass_score"] is not None and values["max_score"]:
        if not 1 <= values["pass_score"] <= values["max_score"]:
            errors["pass_score"] = _("The score needed must be between 1 and the maximum score.")
    if errors:
        raise ValidationError(errors)


def _criterion_values(values: dict) -> dict:
    values = {k: _clean(v) for k, v in values.items()}
    if values["required"]:
        if values["pass_score"] is None:
            values["pass_score"] = values["max_score"]
    else:
        values["pass_score"] = None
    return values


@transaction.atomic
def criterion_add(
    *,
    programme: Programme,
    text: str,
    max_score: int,
    by,
    guidance: str = "",
    weight: int = 1,
    required: bool = False,
    pass_score: int | None = None,
    order: int | None = None,
) -> Criterion:
    """Add a selection criterion; a required one is met at pass_score (the full score if not given)."""
    _scoring_is_open(programme)
    if order is None:
        order = programme.criteria.filter(archived_on__isnull=True).count() + 1
    values = {
        "order": order,
        "text": text,
        "guidance": guidance,
        "max_score": max_score,
        "weight": weight if weight is not None else 1,
        "required": required,
        "pass_score": pass_score,
    }
    _check_criterion(values)
    values = _criterion_values(values)
    criterion = Criterion.objects.create(programme=programme, created_by=_user(by), modified_by=_user(by), **values)
    log_action(
        "valuechain.criterion.created", instance=criterion, user=by, changes=snapshot(criterion, CRITERION_FIELDS)
    )
    return criterion


@transaction.atomic
def criterion_update(*, criterion: Criterion, by, **fields) -> Criterion:
    """Change a criterion. Its wording can always be corrected; its scoring only before any survey is done."""
    unknown = set(fields) - set(CRITERION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    _not_archived(criterion)
    _not_archived(criterion.programme)
    values = {name: fields.get(name, getattr(criterion, name)) for name in CRITERION_FIELDS}
    if values["weight"] is None:
        values["weight"] = 1
    _check_criterion(values)
    values = _criterion_values(values)
    before = snapshot(criterion, CRITERION_FIELDS)
    if any(values[name] != before[name] for name in SCORING_FIELDS):
        _scoring_is_open(criterion.programme)
        highest = criterion.answers.order_by("-score").values_list("score", flat=True).first()
        if highest is not None and highest > values["max_score"]:
            raise ValidationError(
                {"max_score": _("A survey already gives this criterion %(score)s points.") % {"score": highest}}
            )
    for name, value in values.items():
        setattr(criterion, name, value)
    changes = diff(before, snapshot(criterion, CRITERION_FIELDS))
    if changes:
        criterion.modified_by = _user(by)
        criterion.save()
        log_action("valuechain.criterion.changed", instance=criterion, user=by, changes=changes)
    return criterion


@transaction.atomic
def criterion_archive(*, criterion: Criterion, reason: str, by) -> Criterion:
    """Take a criterion out of the scoring (its answers are kept)."""
    _scoring_is_open(criterion.programme)
    _archive(criterion, reason=reason, by=by, action="valuechain.criterion.archived")
    return criterion


@transaction.atomic
def criterion_restore(*, criterion: Criterion, reason: str, by) -> Criterion:
    _scoring_is_open(criterion.programme)
    _restore(criterion, reason=reason, by=by, action="valuechain.criterion.restored")
    return criterion


# ---------------------------------------------------------------- surveys


def _survey_is_open(survey: Survey) -> None:
    _not_archived(survey)
    _not_archived(survey.programme)
    if survey.programme.status != ProgrammeStatus.SURVEY:
        raise ValidationError(_("The programme is not open for survey."))


@transaction.atomic
def survey_create(
    *,
    programme: Programme,
    organization: Organization,
    surveyed_on: datetime.date,
    by,
    surveyors: str = "",
    notes: str = "",
    status: str = SurveyStatus.PLANNED,
) -> Survey:
    """Put a candidate cooperative on a programme's survey list, planned or already under way."""
    _not_archived(programme)
    if programme.status != ProgrammeStatus.SURVEY:
        raise ValidationError(_("The programme is not open for survey."))
    if status not in (SurveyStatus.PLANNED, SurveyStatus.UNDER_WAY):
        raise ValidationError({"status": _("A new survey is planned or under way.")})
    if status == SurveyStatus.UNDER_WAY:
        _not_future("surveyed_on", surveyed_on)
    if organization.archived_on or organization.kind not in CANDIDATE_KINDS:
        raise ValidationError({"organization": _("Only a cooperative or a cooperative union can be a candidate.")})
    if organization.status_on(min(surveyed_on, timezone.localdate())) != Status.ACTIVE:
        raise ValidationError({"organization": _("This cooperative is not operating on the survey date.")})
    if programme.surveys.filter(organization=organization, archived_on__isnull=True).exists():
        raise ValidationError({"organization": _("This cooperative is already a candidate of the programme.")})
    survey = Survey.objects.create(
        programme=programme,
        organization=organization,
        surveyed_on=surveyed_on,
        surveyors=surveyors.strip(),
        notes=notes.strip(),
        status=status,
        created_by=_user(by),
        modified_by=_user(by),
    )
    log_action(
        "valuechain.survey.created",
        instance=survey,
        user=by,
        changes={**snapshot(survey, SURVEY_FIELDS), "status": status},
    )
    return survey


@transaction.atomic
def survey_update(*, survey: Survey, by, **fields) -> Survey:
    """Change a survey's date, surveyors or notes; audits what changed."""
    unknown = set(fields) - set(SURVEY_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    _not_archived(survey)
    values = {name: _clean(fields.get(name, getattr(survey, name))) for name in SURVEY_FIELDS}
    if survey.status != SurveyStatus.PLANNED:
        _not_future("surveyed_on", values["surveyed_on"])
    if survey.done_on and values["surveyed_on"] > survey.done_on:
        raise ValidationError({"surveyed_on": _("The survey cannot start after it finished.")})
    before = snapshot(survey, SURVEY_FIELDS)
    for name, value in values.items():
        setattr(survey, name, value)
    changes = diff(before, snapshot(survey, SURVEY_FIELDS))
    if changes:
        survey.modified_by = _user(by)
        survey.save()
        log_action("valuechain.survey.changed", instance=survey, user=by, changes=changes)
    return survey


@transaction.atomic
def survey_start(*, survey: Survey, on: datetime.date, by) -> Survey:
    """A planned survey starts on a day (today or before): it becomes under way."""
    _survey_is_open(survey)
    if survey.status != SurveyStatus.PLANNED:
        raise ValidationError(_("Only a planned survey can start."))
    _not_future("on", on)
    old = survey.surveyed_on
    survey.status = SurveyStatus.UNDER_WAY
    survey.surveyed_on = on
    survey.modified_by = _user(by)
    survey.save(update_fields=["status", "surveyed_on", "modified_by", "modified_on"])
    log_action(
        "valuechain.survey.started",
        instance=survey,
        user=by,
        changes={"status": [SurveyStatus.PLANNED, SurveyStatus.UNDER_WAY], "surveyed_on": [old, on]},
    )
    return survey


@dataclass(frozen=True)
class Score:
    """What the surveyors wrote and scored for one criterion; no score leaves it unanswered."""

    score: int | None
    text: str = ""


@transaction.atomic
def survey_score(*, survey: Survey, answers: Mapping[Criterion, Score], by) -> Survey:
    """Record the answers and scores of a survey (each 0..the criterion's maximum).

    Every score is checked before anything is written. A planned survey becomes under way
    (its date must then not be in the future); a done survey must be reopened first.
    """
    _survey_is_open(survey)
    if survey.status == SurveyStatus.DONE:
        raise ValidationError(_("The survey is done: reopen it to change its scores."))
    existing = {a.criterion_id: a for a in survey.answers.select_for_update()}
    errors = {}
    for criterion, given in answers.items():
        key = f"score_{criterion.pk}"
        if criterion.programme_id != survey.programme_id or criterion.archived_on:
            errors[key] = _("This criterion is not one of the programme's.")
        elif given.score is None:
            if criterion.pk in existing:
                errors[key] = _("A recorded score cannot be emptied; enter 0 instead.")
        elif not 0 <= given.score <= criterion.max_score:
            errors[key] = _("The score must be between 0 and %(max)s.") % {"max": criterion.max_score}
    if errors:
        raise ValidationError(errors)
    changes = {}
    for criterion, given in sorted(answers.items(), key=lambda item: (item[0].order, item[0].pk)):
        if given.score is None:
            continue
        text = (given.text or "").strip()
        answer = existing.get(criterion.pk)
        label = f"{criterion.order}. {criterion.text}"[:80]
        if answer is None:
            Answer.objects.create(
                survey=survey,
                criterion=criterion,
                score=given.score,
                text=text,
                created_by=_user(by),
                modified_by=_user(by),
            )
            changes[label] = [None, given.score]
        elif answer.score != given.score or answer.text != text:
            if answer.score != given.score:
                changes[label] = [answer.score, given.score]
            else:
                changes[f"{label} ({_('answer')})"] = [answer.text, text]
            answer.score, answer.text, answer.modified_by = given.score, text, _user(by)
            answer.save(update_fields=["score", "text", "modified_by", "modified_on"])
    if not changes:
        return survey
    if survey.status == SurveyStatus.PLANNED:
        _not_future("surveyed_on", survey.surveyed_on)
        survey.status = SurveyStatus.UNDER_WAY
        changes["status"] = [SurveyStatus.PLANNED, SurveyStatus.UNDER_WAY]
    survey.modified_by = _user(by)
    survey.save(update_fields=["status", "modified_by", "modified_on"])
    log_action("valuechain.survey.scored", instance=survey, user=by, changes=changes)
    return survey


@transaction.atomic
def survey_mark_done(*, survey: Survey, done_on: datetime.date, by) -> Survey:
    """Finish a survey: every criterion answered, finished on or after it started and not in the future."""
    _survey_is_open(survey)
    if survey.status == SurveyStatus.DONE:
        raise ValidationError(_("The survey is already done."))
    _not_future("done_on", done_on)
    if done_on < survey.surveyed_on:
        raise ValidationError({"done_on": _("The survey cannot finish before it started.")})
    criteria = survey.programme.criteria.filter(archived_on__isnull=True)
    missing = criteria.exclude(pk__in=survey.answers.values("criterion_id"))
    if missing.exists():
        raise ValidationError(
            _("Score every criterion before finishing the survey (%(n)s not scored).") % {"n": missing.count()}
        )
    old = survey.status
    survey.status = SurveyStatus.DONE
    survey.done_on = done_on
    survey.modified_by = _user(by)
    survey.save(update_fields=["status", "done_on", "modified_by", "modified_on"])
    log_action(
        "valuechain.survey.done",
        instance=survey,
        user=by,
        changes={"status": [old, SurveyStatus.DONE], "done_on": [None, done_on]},
    )
    return survey


@transaction.atomic
def survey_reopen(*, survey: Survey, reason: str, by) -> Survey:
    """Reopen a done survey to correct its scores, while no selection has been decided on it."""
    _survey_is_open(survey)
    if survey.status != SurveyStatus.DONE:
        raise ValidationError(_("Only a done survey can be reopened."))
    if Selection.objects.filter(survey=survey).exists():
        raise ValidationError(_("A selection was decided on this survey: it can no longer be reopened."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason.")})
    old = survey.done_on
    survey.status = SurveyStatus.UNDER_WAY
    survey.done_on = None
    survey.modified_by = _user(by)
    survey.save(update_fields=["status", "done_on", "modified_by", "modified_on"])
    log_action(
        "valuechain.survey.reopened",
        instance=survey,
        user=by,
        changes={"status": [SurveyStatus.DONE, SurveyStatus.UNDER_WAY], "done_on": [old, None], "reason": reason},
    )
    return survey


@transaction.atomic
def survey_archive(*, survey: Survey, reason: str, by) -> Survey:
    """Archive a survey entered by mistake; one with a selection decision is kept."""
    if Selection.objects.filter(survey=survey).exists():
        raise ValidationError(_("A selection was decided on this survey: it cannot be archived."))
    _archive(survey, reason=reason, by=by, action="valuechain.survey.archived")
    return survey


@transaction.atomic
def survey_restore(*, survey: Survey, reason: str, by) -> Survey:
    other = Survey.objects.filter(
        programme=survey.programme, organization=survey.organization, archived_on__isnull=True
    ).exclude(pk=survey.pk)
    if other.exists():
        raise ValidationError(_("This cooperative has another survey in the programme."))
    _restore(survey, reason=reason, by=by, action="valuechain.survey.restored")
    return survey


# ---------------------------------------------------------------- selection


@dataclass(frozen=True)
class Decision:
    """The selection decision on one candidate: selected, or not with the reason."""

    survey: Survey
    selected: bool
    reason: str = ""


@transaction.atomic
def selection_record(
    *,
    programme: Programme,
    decisions: Iterable[Decision],
    decided_on: datetime.date,
    by,
    decision_number: str = "",
) -> list[Selection]:
    """Record the programme's selection: only candidates whose survey is done can be decided on.

    Only an eligible candidate (every required criterion met) can be selected; one not
    selected needs a reason; a cooperative with a support plan cannot be unselected. The
    programme moves to "selection done". Every decision is checked before anything is written.
    """
    _not_archived(programme)
    if programme.status not in (ProgrammeStatus.SURVEY, ProgrammeStatus.SELECTED):
        raise ValidationError(_("The programme is not at the selection stage."))
    _not_future("decided_on", decided_on)
    decisions = list(decisions)
    if not decisions:
        raise ValidationError(_("No candidate to decide on."))
    errors = []
    existing = {s.survey_id: s for s in Selection.objects.filter(survey__in=[d.survey for d in decisions])}
    scored = {s.pk: s for s in with_scores(Survey.objects.filter(pk__in=[d.survey.pk for d in decisions]))}
    for d in decisions:
        org = d.survey.organization.name
        if d.survey.programme_id != programme.pk or d.survey.archived_on:
            errors.append(_("%(org)s is not a candidate of this programme.") % {"org": org})
        elif d.survey.status != SurveyStatus.DONE:
            errors.append(_("%(org)s: only a candidate whose survey is done can be selected.") % {"org": org})
        elif decided_on < d.survey.done_on:
            errors.append(_("%(org)s: the decision cannot be before the survey finished.") % {"org": org})
        elif d.selected and not scored[d.survey.pk].eligible:
            errors.append(_("%(org)s does not meet a required criterion: it cannot be selected.") % {"org": org})
        elif not d.selected and not (d.reason or "").strip():
            errors.append(_("%(org)s: give the reason for not selecting.") % {"org": org})
        elif (
            not d.selected
            and d.survey.pk in existing
            and existing[d.survey.pk].plans.filter(archived_on__isnull=True).exists()
        ):
            errors.append(_("%(org)s has a support plan: it cannot be unselected.") % {"org": org})
    if errors:
        raise ValidationError(errors)
    result = []
    number = (decision_number or "").strip()
    for d in decisions:
        reason = "" if d.selected else d.reason.strip()
        values = {"selected": d.selected, "reason": reason, "decided_on": decided_on, "decision_number": number}
        selection = existing.get(d.survey.pk)
        if selection is None:
            selection = Selection.objects.create(survey=d.survey, created_by=_user(by), modified_by=_user(by), **values)
            log_action(
                "valuechain.selection.recorded", instance=selection, user=by, changes=snapshot(selection, list(values))
            )
        else:
            before = snapshot(selection, list(values))
            for name, value in values.items():
                setattr(selection, name, value)
            changes = diff(before, snapshot(selection, list(values)))
            if changes:
                selection.modified_by = _user(by)
                selection.save()
                log_action("valuechain.selection.changed", instance=selection, user=by, changes=changes)
        result.append(selection)
    if programme.status == ProgrammeStatus.SURVEY:
        programme.status = ProgrammeStatus.SELECTED
        programme.modified_by = _user(by)
        programme.save(update_fields=["status", "modified_by", "modified_on"])
        log_action(
            "valuechain.programme.status_changed",
            instance=programme,
            user=by,
            changes={"status": [ProgrammeStatus.SURVEY, ProgrammeStatus.SELECTED]},
        )
    return result


# ---------------------------------------------------------------- support plans


def _check_plan(values: dict) -> None:
    errors = {}
    if not (values["title"] or "").strip():
        errors["title"] = _("A title is required.")
    if values["ends_on"] and values["starts_on"] and values["ends_on"] < values["starts_on"]:
        errors["ends_on"] = _("The end cannot be before the start.")
    if errors:
        raise ValidationError(errors)


def _plan_is_open(plan: SupportPlan) -> None:
    _not_archived(plan)
    if plan.is_closed:
        raise ValidationError(_("The plan is closed (completed or cancelled)."))


@transaction.atomic
def plan_create(
    *,
    selection: Selection,
    title: str,
    starts_on: datetime.date,
    by,
    ends_on: datetime.date | None = None,
    partners: str = "",
    description: str = "",
) -> SupportPlan:
    """Draft a support plan for a selected cooperative, while the programme is at "selection done".

    A closed programme takes no new plan; the plans it has go on to their end.
    """
    if not selection.selected:
        raise ValidationError(_("A support plan is only for a selected cooperative."))
    _not_archived(selection.survey)
    _not_archived(selection.survey.programme)
    if selection.survey.programme.status != ProgrammeStatus.SELECTED:
        raise ValidationError(_("New plans are drafted while the programme is at “selection done”."))
    values = {
        "title": title,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "partners": partners,
        "description": description,
    }
    _check_plan(values)
    plan = SupportPlan.objects.create(
        selection=selection,
        created_by=_user(by),
        modified_by=_user(by),
        **{k: _clean(v) for k, v in values.items()},
    )
    log_action("valuechain.plan.created", instance=plan, user=by, changes=snapshot(plan, PLAN_FIELDS))
    return plan


@transaction.atomic
def plan_update(*, plan: SupportPlan, by, **fields) -> SupportPlan:
    """Change a plan's title, dates, partners or description while it is not closed."""
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    _plan_is_open(plan)
    values = {name: _clean(fields.get(name, getattr(plan, name))) for name in PLAN_FIELDS}
    _check_plan(values)
    before = snapshot(plan, PLAN_FIELDS)
    for name, value in values.items():
        setattr(plan, name, value)
    changes = diff(before, snapshot(plan, PLAN_FIELDS))
    if changes:
        plan.modified_by = _user(by)
        plan.save()
        log_action("valuechain.plan.changed", instance=plan, user=by, changes=changes)
    return plan


@transaction.atomic
def plan_set_status(*, plan: SupportPlan, status: str, on: datetime.date, by) -> SupportPlan:
    """Move a plan on: draft → approved → in progress → completed, or cancelled; each move dated."""
    _not_archived(plan)
    if status not in PLAN_MOVES.get(plan.status, set()):
        raise ValidationError(
            {
                "status": _("A plan that is “%(current)s” cannot become “%(next)s”.")
                % {"current": plan.get_status_display(), "next": PlanStatus(status).label}
            }
        )
    _not_future("on", on)
    old = {"status": plan.status, "approved_on": plan.approved_on, "closed_on": plan.closed_on}
    if status == PlanStatus.APPROVED:
        plan.approved_on = on
    elif status in (PlanStatus.DONE, PlanStatus.CANCELLED):
        if plan.approved_on and on < plan.approved_on:
            raise ValidationError({"on": _("The plan cannot close before it was approved.")})
        if (
            status == PlanStatus.DONE
            and plan.activities.filter(
                archived_on__isnull=True, status__in=[ActivityStatus.PLANNED, ActivityStatus.IN_PROGRESS]
            ).exists()
        ):
            raise ValidationError(_("Some activities are not done or cancelled yet."))
        plan.closed_on = on
    elif status == PlanStatus.IN_PROGRESS:
        if on < plan.approved_on:
            raise ValidationError({"on": _("The plan cannot start before it was approved.")})
        plan.closed_on = None
    plan.status = status
    plan.modified_by = _user(by)
    plan.save(update_fields=["status", "approved_on", "closed_on", "modified_by", "modified_on"])
    new = {"status": plan.status, "approved_on": plan.approved_on, "closed_on": plan.closed_on}
    log_action("valuechain.plan.status_changed", instance=plan, user=by, changes=diff(old, new))
    return plan


@transaction.atomic
def plan_archive(*, plan: SupportPlan, reason: str, by) -> SupportPlan:
    _archive(plan, reason=reason, by=by, action="valuechain.plan.archived")
    return plan


@transaction.atomic
def plan_restore(*, plan: SupportPlan, reason: str, by) -> SupportPlan:
    if not plan.selection.selected:
        raise ValidationError(_("The cooperative is no longer selected."))
    _restore(plan, reason=reason, by=by, action="valuechain.plan.restored")
    return plan


# ---------------------------------------------------------------- activities


def _check_activity(values: dict) -> None:
    errors = {}
    if not (values["description"] or "").strip():
        errors["description"] = _("Describe the activity.")
    if values["budget"] is None or values["budget"] < 0:
        errors["budget"] = _("An amount cannot be negative.")
    if values["budget_source"] and values["budget_source"] not in BudgetSource.values:
        errors["budget_source"] = _("Choose a budget source.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def activity_add(
    *,
    plan: SupportPlan,
    description: str,
    planned_on: datetime.date,
    by,
    budget: int = 0,
    budget_source: str = "",
    partner: str = "",
) -> PlanActivity:
    """Add an activity to a plan that is not closed; its budget is whole đồng."""
    _plan_is_open(plan)
    values = {
        "description": description,
        "planned_on": planned_on,
        "budget": budget if budget is not None else 0,
        "budget_source": budget_source or "",
        "partner": partner,
    }
    _check_activity(values)
    activity = PlanActivity.objects.create(
        plan=plan, created_by=_user(by), modified_by=_user(by), **{k: _clean(v) for k, v in values.items()}
    )
    log_action("valuechain.activity.created", instance=activity, user=by, changes=snapshot(activity, ACTIVITY_FIELDS))
    return activity


@transaction.atomic
def activity_update(*, activity: PlanActivity, by, **fields) -> PlanActivity:
    unknown = set(fields) - set(ACTIVITY_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    _not_archived(activity)
    _plan_is_open(activity.plan)
    values = {name: _clean(fields.get(name, getattr(activity, name))) for name in ACTIVITY_FIELDS}
    values["budget_source"] = values["budget_source"] or ""
    _check_activity(values)
    before = snapshot(activity, ACTIVITY_FIELDS)
    for name, value in values.items():
        setattr(activity, name, value)
    changes = diff(before, snapshot(activity, ACTIVITY_FIELDS))
    if changes:
        activity.modified_by = _user(by)
        activity.save()
        log_action("valuechain.activity.changed", instance=activity, user=by, changes=changes)
    return activity


@transaction.atomic
def activity_set_status(*, activity: PlanActivity, status: str, by, on: datetime.date | None = None) -> PlanActivity:
    """Move an activity on; done needs the day it was done (not in the future)."""
    _not_archived(activity)
    _plan_is_open(activity.plan)
    if status not in ACTIVITY_MOVES.get(activity.status, set()):
        raise ValidationError(
            {
                "status": _("An activity that is “%(current)s” cannot become “%(next)s”.")
                % {"current": activity.get_status_display(), "next": ActivityStatus(status).label}
            }
        )
    old = {"status": activity.status, "done_on": activity.done_on}
    if status == ActivityStatus.DONE:
        if on is None:
            raise ValidationError({"on": _("Give the day the activity was done.")})
        _not_future("on", on)
        activity.done_on = on
    else:
        activity.done_on = None
    activity.status = status
    activity.modified_by = _user(by)
    activity.save(update_fields=["status", "done_on", "modified_by", "modified_on"])
    log_action(
        "valuechain.activity.status_changed",
        instance=activity,
        user=by,
        changes=diff(old, {"status": activity.status, "done_on": activity.done_on}),
    )
    return activity


@transaction.atomic
def activity_archive(*, activity: PlanActivity, reason: str, by) -> PlanActivity:
    _archive(activity, reason=reason, by=by, action="valuechain.activity.archived")
    return activity


@transaction.atomic
def activity_restore(*, activity: PlanActivity, reason: str, by) -> PlanActivity:
    _restore(activity, reason=reason, by=by, action="valuechain.activity.restored")
    return activity


# ---------------------------------------------------------------- products


def _check_product(values: dict) -> None:
    errors = {}
    if not (values["name"] or "").strip():
        errors["name"] = _("Name the product.")
    if values["ocop_stars"] is not None and not 3 <= values["ocop_stars"] <= 5:
        errors["ocop_stars"] = _("OCOP products have 3 to 5 stars.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def product_add(
    *,
    plan: SupportPlan,
    name: str,
    by,
    description: str = "",
    ocop_stars: int | None = None,
    certification: str = "",
) -> PlanProduct:
    """Link a product to a plan, with its OCOP stars or other certification if any."""
    _not_archived(plan)
    values = {"name": name, "description": description, "ocop_stars": ocop_stars, "certification": certification}
    _check_product(values)
    product = PlanProduct.objects.create(
        plan=plan, created_by=_user(by), modified_by=_user(by), **{k: _clean(v) for k, v in values.items()}
    )
    log_action("valuechain.product.created", instance=product, user=by, changes=snapshot(product, PRODUCT_FIELDS))
    return product


@transaction.atomic
def product_update(*, product: PlanProduct, by, **fields) -> PlanProduct:
    unknown = set(fields) - set(PRODUCT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    _not_archived(product)
    _not_archived(product.plan)
    values = {name: _clean(fields.get(name, getattr(product, name))) for name in PRODUCT_FIELDS}
    _check_product(values)
    before = snapshot(product, PRODUCT_FIELDS)
    for name, value in values.items():
        setattr(product, name, value)
    changes = diff(before, snapshot(product, PRODUCT_FIELDS))
    if changes:
        product.modified_by = _user(by)
        product.save()
        log_action("valuechain.product.changed", instance=product, user=by, changes=changes)
    return product


@transaction.atomic
def product_archive(*, product: PlanProduct, reason: str, by) -> PlanProduct:
    _archive(product, reason=reason, by=by, action="valuechain.product.archived")
    return product


@transaction.atomic
def product_restore(*, product: PlanProduct, reason: str, by) -> PlanProduct:
    _restore(product, reason=reason, by=by, action="valuechain.product.restored")
    return product
