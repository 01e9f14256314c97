"""Writes of the returns app: open, save, submit, send back, approve, reopen; a form version copied.

Each service runs in one transaction, checks who is acting (``by`` None is the system: a
command run by the operator or the demo), keeps a ``ReturnRevision`` of the state it leaves
and writes an audit entry. A save carries the revision the form was opened on and is refused
if someone saved since (no lost update). Approving the grading sheet records the grade.
"""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from hoptac.core.audit import log_action
from hoptac.registry.models import Organization

from . import grading, selectors, validation
from .models import FormVersion, Grading, Respondent, Return, ReturnForm, ReturnRevision, Status, Unit, Value
from .periods import Period


class StaleReturn(Exception):
    """Someone saved the return after the form was opened; ``revisions`` are what they did, oldest first."""

    def __init__(self, revisions: list[ReturnRevision]):
        super().__init__("stale")
        self.revisions = revisions


class ReturnInvalid(ValidationError):
    """Values that cannot be kept or submitted; ``errors`` are messages by indicator code."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__({code: messages for code, messages in errors.items()})
        self.errors = errors


def _user(by):
    return by if getattr(by, "is_authenticated", False) else None


def _check(allowed: bool, by) -> None:
    if by is not None and not allowed:
        raise PermissionDenied


def _locked(ret: Return) -> Return:
    """The return re-read under a row lock, so two saves cannot interleave."""
    return (
        Return.objects.select_for_update(of=("self",)).select_related("form", "version", "organization").get(pk=ret.pk)
    )


def _keep_revision(ret: Return, by, comment: str = "", values: dict | None = None) -> ReturnRevision:
    ret.revision += 1
    ret.modified_by = _user(by)
    ret.save()
    if values is None:
        values = validation.values_of(ret)
    return ReturnRevision.objects.create(
        ret=ret,
        revision=ret.revision,
        status=ret.status,
        values={code: validation.plain(v) for code, v in values.items()},
        comment=comment,
        by=_user(by),
    )


# ---------------------------------------------------------------- open


@transaction.atomic
def return_open(
    *, form: ReturnForm, organization: Organization | None, year: int, quarter: int | None = None, by
) -> Return:
    """Start the draft of a return on the form's version in force for the year.

    Only an organisation of the form's kinds that operated during the period files it; a
    form the alliance files has no organisation.
    """
    _check(selectors.can_fill(by, form=form, organization=organization), by)
    period = Period(year, quarter)
    if not form.active:
        raise ValidationError(_("This form is no longer in use."))
    if (form.frequency == "quarterly") != bool(quarter):
        raise ValidationError(_("The period does not match the form's frequency."))
    if (form.respondent == Respondent.ORGANIZATION) != (organization is not None):
        raise ValidationError(
            _("This form is filed by each organisation.")
            if organization is None
            else _("This form is filed by the alliance, not by an organisation.")
        )
    if organization is not None and not selectors.in_scope(form, period, organization):
        raise ValidationError(
            _("%(name)s does not file this form for %(period)s (its type, or it was not operating then).")
            % {"name": organization.name, "period": period.label}
        )
    if period.start > timezone.localdate():
        raise ValidationError(_("The period %(period)s has not started yet.") % {"period": period.label})
    version = form.version_for(year)
    if version is None:
        raise ValidationError(_("The form has no published version for %(year)s.") % {"year": year})
    if selectors.return_for_period(form, period, organization) is not None:
        raise ValidationError(_("This return has already been started."))
    ret = Return.objects.create(
        form=form,
        version=version,
        organization=organization,
        year=year,
        quarter=quarter,
        status=Status.DRAFT,
        revision=0,
        entered_on_behalf=selectors.is_on_behalf(by, organization) if by is not None else True,
        created_by=_user(by),
        modified_by=_user(by),
    )
    _keep_revision(ret, by, values={})
    log_action("returns.return.opened", instance=ret, user=by, changes={"version": [None, str(version)]})
    return ret


# ---------------------------------------------------------------- values


def _write_values(ret: Return, specs: list[validation.Spec], typed: dict[str, Any]) -> dict[str, list]:
    """Store typed values (code -> value or None); the changes as {code: [old, new]}."""
    current = {v.indicator.code: v for v in ret.values.select_related("indicator")}
    by_code = {s.code: s for s in specs}
    changes, create, update, remove = {}, [], [], []
    for code, value in typed.items():
        spec = by_code[code]
        row = current.get(code)
        old = row.get() if row else None
        if old == value or (old in (None, "") and value in (None, "")):
            continue
        changes[code] = [validation.plain(old), validation.plain(value)]
        if value in (None, ""):
            remove.append(row.pk)
            continue
        row = row or Value(ret=ret, indicator=spec.indicator)
        row.number, row.decimal, row.text = None, None, ""
        if spec.unit == Unit.PERCENT:
            row.decimal = value
        elif spec.is_number:
            row.number = value
        else:
            row.text = value
        (update if row.pk else create).append(row)
    if remove:
        Value.objects.filter(pk__in=remove).delete()
    if create:
        Value.objects.bulk_create(create)
    if update:
        Value.objects.bulk_update(update, ["number", "decimal", "text"])
    return changes


def _save(ret: Return, values: dict[str, Any], by) -> dict[str, list]:
    """Read, check and store values on a locked, editable return; flags refreshed. Returns the changes."""
    specs = validation.specs_for(ret.version)
    unknown = set(values) - {s.code for s in specs}
    if unknown:
        raise ValueError(f"not on {ret.version}: {sorted(unknown)}")
    typed, errors = validation.clean_values(specs, values)
    if errors:
        raise ReturnInvalid(errors)
    changes = _write_values(ret, specs, typed)
    if changes:
        ret.flags = validation.plausibility_flags(
            specs,
            validation.values_of(ret),
            validation.previous_return(ret.form, ret.organization, ret.year, ret.quarter),
            ret.form.plausibility_factor,
        )
        if by is not None and selectors.is_on_behalf(by, ret.organization):
            ret.entered_on_behalf = True
    return changes


def _editable(ret: Return, by) -> None:
    _check(selectors.can_fill(by, form=ret.form, organization=ret.organization), by)
    if ret.status == Status.APPROVED:
        raise ValidationError(_("This return is approved and locked; an administrator may reopen it."))
    if ret.status not in selectors.EDITABLE:
        raise ValidationError(_("This return has been submitted and is waiting for review; it cannot be changed now."))


def _fresh(ret: Return, revision: int | None) -> None:
    if revision is not None and revision != ret.revision:
        raise StaleReturn(list(ret.revisions.filter(revision__gt=revision).select_related("by").order_by("revision")))


@transaction.atomic
def return_save(*, ret: Return, values: dict[str, Any], revision: int | None, by) -> Return:
    """Save values (code -> what was typed) on a draft or returned return.

    Refused when the return changed since ``revision`` (StaleReturn), when a value cannot be
    read or is out of range (ReturnInvalid), or when the return is submitted or approved.
    Required fields and cross-field rules are checked on submission, not here.
    """
    locked = _locked(ret)
    _fresh(locked, revision)
    _editable(locked, by)
    changes = _save(locked, values, by)
    if changes:
        _keep_revision(locked, by)
        log_action("returns.return.saved", instance=locked, user=by, changes=changes)
    return locked


@transaction.atomic
def return_submit(
    *,
    ret: Return,
    by,
    values: dict[str, Any] | None = None,
    revision: int | None = None,
    on: datetime.date | None = None,
) -> Return:
    """Submit a draft or returned return (saving values first, when given) once every check passes.

    The date of the first submission is kept (timeliness counts it) even if the return is
    sent back and submitted again.
    """
    locked = _locked(ret)
    _fresh(locked, revision)
    _editable(locked, by)
    specs = validation.specs_for(locked.version)
    rules = validation.rules_for(locked.version)
    if values:
        typed, problems = validation.clean_values(specs, values)
        if problems:
            # Every problem at once: the unreadable values, and what else keeps the return from being submitted.
            checks = validation.submission_errors(
                specs, rules, locked.organization, {**validation.values_of(locked), **typed}
            )
            raise ReturnInvalid(validation.merge(problems, {k: m for k, m in checks.items() if k not in problems}))
    changes = _save(locked, values, by) if values else {}
    errors = validation.submission_errors(specs, rules, locked.organization, validation.values_of(locked))
    if errors:
        raise ReturnInvalid(errors)
    before = locked.status
    locked.status = Status.SUBMITTED
    if locked.submitted_on is None:
        locked.submitted_on = on or timezone.localdate()
    _keep_revision(locked, by)
    log_action(
        "returns.return.submitted", instance=locked, user=by, changes={"status": [before, Status.SUBMITTED], **changes}
    )
    return locked


# ---------------------------------------------------------------- review


def _reviewable(ret: Return, by) -> None:
    _check(selectors.can_review(by, ret), by)
    if ret.status != Status.SUBMITTED:
        raise ValidationError(_("Only a submitted return can be reviewed."))


@transaction.atomic
def return_send_back(*, ret: Return, comment: str, by) -> Return:
    """Return a submitted return to its filer for correction, with the reviewer's comment."""
    locked = _locked(ret)
    _reviewable(locked, by)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say what must be corrected.")})
    locked.status = Status.RETURNED
    locked.comment = comment
    _keep_revision(locked, by, comment=comment)
    log_action(
        "returns.return.sent_back",
        instance=locked,
        user=by,
        changes={"status": [Status.SUBMITTED, Status.RETURNED], "comment": comment},
    )
    return locked


def grading_record(*, ret: Return, by) -> Grading:
    """Compute the total and grade of an approved grading sheet and keep it as the organisation's grade."""
    specs = validation.specs_for(ret.version)
    values = validation.values_of(ret)
    total = sum(values.get(s.code) or 0 for s in specs if s.unit == Unit.SCORE)
    grade, reason = grading.grading_result(ret.organization, ret.year, total)
    existing = Grading.objects.filter(organization=ret.organization, year=ret.year).first()
    before = (existing.total, existing.grade, existing.not_graded_reason) if existing else (None, None, None)
    gradings = existing or Grading(organization=ret.organization, year=ret.year, created_by=_user(by))
    gradings.ret, gradings.total, gradings.grade, gradings.not_graded_reason = ret, total, grade, reason
    gradings.modified_by = _user(by)
    gradings.save()
    log_action(
        "returns.grading.recorded",
        instance=gradings,
        user=by,
        changes={"total": [before[0], total], "grade": [before[1], grade], "not_graded_reason": [before[2], reason]},
    )
    return gradings


@transaction.atomic
def return_approve(*, ret: Return, by, on: datetime.date | None = None) -> Return:
    """Approve a submitted return: it is locked; a grading sheet's grade is recorded."""
    locked = _locked(ret)
    _reviewable(locked, by)
    errors = validation.submission_errors(
        validation.specs_for(locked.version),
        validation.rules_for(locked.version),
        locked.organization,
        validation.values_of(locked),
    )
    if errors:
        raise ReturnInvalid(errors)
    locked.status = Status.APPROVED
    locked.approved_on = on or timezone.localdate()
    locked.approved_by = _user(by)
    _keep_revision(locked, by)
    log_action("returns.return.approved", instance=locked, user=by, changes={"status": [Status.SUBMITTED, "approved"]})
    if locked.form.code == grading.GRADING_FORM and locked.organization_id:
        grading_record(ret=locked, by=by)
    return locked


@transaction.atomic
def return_reopen(*, ret: Return, reason: str, by) -> Return:
    """Unlock an approved return for correction (administrators only), with the reason; audited.

    It goes back to its filer as returned for correction, the reason as the comment. A grade
    already recorded stays until the sheet is approved again.
    """
    locked = _locked(ret)
    _check(selectors.can_reopen(by, locked), by)
    if locked.status != Status.APPROVED:
        raise ValidationError(_("Only an approved return can be reopened."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for reopening.")})
    locked.status = Status.RETURNED
    locked.comment = reason
    locked.approved_on = None
    locked.approved_by = None
    _keep_revision(locked, by, comment=reason)
    log_action(
        "returns.return.reopened",
        instance=locked,
        user=by,
        changes={"status": [Status.APPROVED, Status.RETURNED], "reason": reason},
    )
    return locked


# ---------------------------------------------------------------- forms


@transaction.atomic
def form_version_copy(*, version: FormVersion, by, valid_from_year: int | None = None) -> FormVersion:
    """A new, unpublished version of the form with the same fields and rules, to edit and then publish.

    Returns already filed keep the version they were filed on.
    """
    number = (FormVersion.objects.filter(form=version.form).aggregate(n=Max("number"))["n"] or 0) + 1
    year = valid_from_year or max(version.valid_from_year, timezone.localdate().year)
    copy = FormVersion.objects.create(
        form=version.form,
        number=number,
        valid_from_year=year,
        published=False,
        note=_("Copy of version %(number)s") % {"number": version.number},
        created_by=_user(by),
        modified_by=_user(by),
    )
    for f in version.fields.all():
        f.pk, f.id, f.version = None, None, copy
        f.save()
    for rule in version.rules.all():
        rule.pk, rule.id, rule.version = None, None, copy
        rule.save()
    log_action(
        "returns.version.copied",
        instance=copy,
        user=by,
        changes={"from": str(version), "fields": copy.fields.count(), "rules": copy.rules.count()},
    )
    return copy
