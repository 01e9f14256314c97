"""Writes of the awards app: each in one transaction, each leaving an audit entry.

Nothing is deleted: a recipient recorded by mistake is archived with a reason (and can be
restored), a nominee is withdrawn; the rest is corrected by editing, every change audited.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoptac.core.audit import diff, entries_for, log_action, snapshot
from hoptac.registry.models import Organization

from .models import (
    SCORE_MAX,
    Bloc,
    Decision,
    Movement,
    Nominee,
    Proposal,
    ProposalStatus,
    Recipient,
    RecipientKind,
    Registration,
)

DECISION_FIELDS = ["number", "on", "issuer", "form", "title"]
RECIPIENT_FIELDS = ["kind", "organization", "person_name", "position", "reason"]
MOVEMENT_FIELDS = ["year", "name", "launched_on", "description"]
REGISTRATION_FIELDS = ["movement", "targets", "signed_on"]
PROPOSAL_FIELDS = ["number", "title", "year", "movement", "issuer", "form", "drafted_on", "note"]


class StaleEdit(Exception):
    """The record changed since the form was opened; saving would lose someone's update.

    ``entries`` are the audit entries of the changes made in between, oldest first.
    """

    def __init__(self, entries: list):
        super().__init__("stale")
        self.entries = entries


def _user(by):
    return by if getattr(by, "is_authenticated", False) else None


def _not_future(field: str, day: datetime.date | None) -> None:
    if day and day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})


def person_key(name: str) -> str:
    """How two spellings of one name compare: spaces collapsed, case ignored (in Python, for every database)."""
    return " ".join((name or "").split()).casefold()


# ---------------------------------------------------------------- movements, blocs, registrations


@transaction.atomic
def movement_create(*, year: int, name: str, launched_on: datetime.date, by=None, description: str = "") -> Movement:
    """Launch an emulation movement for a year."""
    movement = Movement.objects.create(
        year=year, name=name, launched_on=launched_on, description=description, created_by=by, modified_by=by
    )
    log_action("awards.movement.created", instance=movement, user=by)
    return movement


@transaction.atomic
def movement_update(*, movement: Movement, by=None, **fields) -> Movement:
    """Correct a movement's year, name, launch date or description."""
    unknown = set(fields) - set(MOVEMENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    if not (fields.get("name", movement.name) or "").strip():
        raise ValidationError({"name": _("Enter the name.")})
    before = snapshot(movement, MOVEMENT_FIELDS)
    for name, value in fields.items():
        setattr(movement, name, value.strip() if isinstance(value, str) else value)
    changes = diff(before, snapshot(movement, MOVEMENT_FIELDS))
    if changes:
        movement.modified_by = _user(by)
        movement.save()
        log_action("awards.movement.changed", instance=movement, user=by, changes=changes)
    return movement


def _check_bloc_name(name: str, year: int, exclude: Bloc | None = None) -> None:
    same = Bloc.objects.filter(name=name, year=year)
    if exclude is not None:
        same = same.exclude(pk=exclude.pk)
    if same.exists():
        raise ValidationError({"name": _("A bloc with this name already exists for %(year)s.") % {"year": year}})


@transaction.atomic
def bloc_create(*, name: str, year: int, by=None, leader: Organization | None = None, members=()) -> Bloc:
    """Form an emulation bloc; no leader means the alliance leads it."""
    name = name.strip()
    _check_bloc_name(name, year)
    bloc = Bloc.objects.create(name=name, year=year, leader=leader, created_by=by, modified_by=by)
    bloc.members.set(members)
    log_action("awards.bloc.created", instance=bloc, user=by, changes={"members": [None, len(bloc.members.all())]})
    return bloc


@transaction.atomic
def bloc_update(*, bloc: Bloc, name: str, year: int, by=None, leader: Organization | None = None, members=None) -> Bloc:
    """Rename a bloc, change its year or leader, and (when members is given) set its member units."""
    name = name.strip()
    _check_bloc_name(name, year, exclude=bloc)
    before = snapshot(bloc, ["name", "year", "leader"])
    bloc.name, bloc.year, bloc.leader = name, year, leader
    changes = diff(before, snapshot(bloc, ["name", "year", "leader"]))
    if members is not None:
        old = {o.pk: o for o in bloc.members.all()}
        new = {o.pk: o for o in members}
        added = sorted(new[pk].code for pk in new.keys() - old.keys())
        removed = sorted(old[pk].code for pk in old.keys() - new.keys())
        if added or removed:
            bloc.members.set(new.values())
            changes["members"] = {"added": added, "removed": removed}
    if changes:
        bloc.modified_by = _user(by)
        bloc.save()
        log_action("awards.bloc.changed", instance=bloc, user=by, changes=changes)
    return bloc


@transaction.atomic
def bloc_member_add(*, bloc: Bloc, organization: Organization, by=None) -> Bloc:
    """Add one member unit to a bloc."""
    if bloc.members.filter(pk=organization.pk).exists():
        raise ValidationError({"organization": _("This organisation is already a member of the bloc.")})
    bloc.members.add(organization)
    log_action("awards.bloc.changed", instance=bloc, user=by, changes={"members": {"added": [organization.code]}})
    return bloc


def _check_registration(
    *, movement: Movement, signed_on: datetime.date, bloc=None, organization=None, exclude=None
) -> None:
    _not_future("signed_on", signed_on)
    same = Registration.objects.filter(movement=movement, bloc=bloc, organization=organization)
    if exclude is not None:
        same = same.exclude(pk=exclude.pk)
    if same.exists():
        raise ValidationError(_("This unit has already registered for this movement."))
    if bloc is not None and bloc.year != movement.year:
        message = _("The bloc is of %(bloc)s, the movement of %(movement)s.")
        raise ValidationError({"bloc": message % {"bloc": bloc.year, "movement": movement.year}})


@transaction.atomic
def registration_create(
    *,
    movement: Movement,
    targets: str,
    signed_on: datetime.date,
    by=None,
    bloc: Bloc | None = None,
    organization: Organization | None = None,
) -> Registration:
    """Register an organisation for a movement, or record a bloc's covenant (exactly one of the two)."""
    if (bloc is None) == (organization is None):
        raise ValidationError(_("Give either a bloc (covenant) or an organisation (registration), not both."))
    if not (targets or "").strip():
        raise ValidationError({"targets": _("Enter the targets.")})
    _check_registration(movement=movement, signed_on=signed_on, bloc=bloc, organization=organization)
    registration = Registration.objects.create(
        movement=movement,
        bloc=bloc,
        organization=organization,
        targets=targets.strip(),
        signed_on=signed_on,
        created_by=by,
        modified_by=by,
    )
    log_action("awards.registration.created", instance=registration, user=by)
    return registration


@transaction.atomic
def registration_update(
    *, registration: Registration, movement: Movement, targets: str, signed_on: datetime.date, by=None
) -> Registration:
    """Correct a registration's movement, targets or signing date (who registered stays)."""
    if not (targets or "").strip():
        raise ValidationError({"targets": _("Enter the targets.")})
    _check_registration(
        movement=movement,
        signed_on=signed_on,
        bloc=registration.bloc,
        organization=registration.organization,
        exclude=registration,
    )
    before = snapshot(registration, REGISTRATION_FIELDS)
    registration.movement, registration.targets, registration.signed_on = movement, targets.strip(), signed_on
    changes = diff(before, snapshot(registration, REGISTRATION_FIELDS))
    if changes:
        registration.modified_by = _user(by)
        registration.save()
        log_action("awards.registration.changed", instance=registration, user=by, changes=changes)
    return registration


def _check_score(field: str, value: Decimal | None) -> None:
    if value is not None and not (0 <= value <= SCORE_MAX):
        raise ValidationError({field: _("A score is between 0 and %(max)s.") % {"max": SCORE_MAX}})


@transaction.atomic
def registration_self_assess(
    *,
    registration: Registration,
    self_score: Decimal,
    self_assessment: str,
    by=None,
    on: datetime.date | None = None,
) -> Registration:
    """Record a unit's year-end self-assessment (on a day, today by default): its own score and account of the year."""
    on = on or timezone.localdate()
    _not_future("self_assessed_on", on)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.is_covenant:
        raise ValidationError(_("A bloc's covenant is not self-assessed; each member unit assesses its own."))
    if self_score is None:
        raise ValidationError({"self_score": _("Enter the self score.")})
    _check_score("self_score", self_score)
    if not (self_assessment or "").strip():
        raise ValidationError({"self_assessment": _("Write the self-assessment.")})
    fields = ["self_score", "self_assessment"]
    before = snapshot(registration, fields)
    registration.self_score = self_score
    registration.self_assessment = self_assessment.strip()
    changes = diff(before, snapshot(registration, fields))
    if changes:
        registration.self_assessed_on = on
        registration.modified_by = _user(by)
        registration.save()
        log_action("awards.registration.self_assessed", instance=registration, user=by, changes=changes)
    return registration


@transaction.atomic
def bloc_score(*, bloc: Bloc, scores: dict[int, Decimal | None], by=None, on: datetime.date | None = None) -> int:
    """Record the bloc's score of its members' registrations at once; returns how many changed.

    ``scores`` maps a registration's pk to its score (None clears it). A unit is scored only
    after its self-assessment; every error is reported, by registration, and nothing is saved.
    """
    from .selectors import bloc_registrations

    registrations = {r.pk: r for r in bloc_registrations(bloc).select_for_update(of=("self",))}
    unknown = set(scores) - set(registrations)
    if unknown:
        raise ValidationError(_("A registration does not belong to this bloc."))
    errors = {}
    for pk, score in scores.items():
        field = f"score_{pk}"
        try:
            _check_score(field, score)
        except ValidationError as error:
            errors.update(error.error_dict)
            continue
        if score is not None and registrations[pk].self_score is None:
            errors[field] = [_("Not self-assessed yet: a unit is scored after its self-assessment.")]
    if errors:
        raise ValidationError(errors)
    on = on or timezone.localdate()
    _not_future("scored_on", on)
    changed = 0
    for pk, score in scores.items():
        registration = registrations[pk]
        if registration.score == score:
            continue
        old = registration.score
        registration.score = score
        registration.scored_on = on if score is not None else None
        registration.modified_by = _user(by)
        registration.save(update_fields=["score", "scored_on", "modified_by", "modified_on"])
        log_action(
            "awards.registration.scored",
            instance=registration,
            user=by,
            changes={"score": [old, score], "bloc": str(bloc)},
        )
        changed += 1
    return changed


# ---------------------------------------------------------------- decisions


def _check_decision(*, number: str, on: datetime.date, issuer: str, exclude: Decision | None = None) -> None:
    if not number:
        raise ValidationError({"number": _("Enter the decision number.")})
    if on > timezone.localdate():
        raise ValidationError({"on": _("The decision date cannot be in the future.")})
    same = Decision.objects.filter(number=number, on=on, issuer=issuer)
    if exclude is not None:
        same = same.exclude(pk=exclude.pk)
    if same.exists():
        raise ValidationError({"number": _("This decision is already recorded.")})


@transaction.atomic
def award_decision_create(
    *,
    number: str,
    on: datetime.date,
    issuer: str,
    form: str,
    by=None,
    title: str = "",
    proposal: Proposal | None = None,
) -> Decision:
    """Record an award decision. Its date cannot be in the future.

    Recorded from an approved proposal, the decision is linked to it and the proposal's
    nominees become its recipients (to be corrected on the decision's page if need be).
    """
    number = number.strip()
    _check_decision(number=number, on=on, issuer=issuer)
    decision = Decision.objects.create(
        number=number, on=on, issuer=issuer, form=form, title=title, created_by=by, modified_by=by
    )
    log_action("awards.decision.created", instance=decision, user=by)
    if proposal is not None:
        proposal_link_decision(proposal=proposal, decision=decision, add_recipients=True, by=by)
    return decision


@transaction.atomic
def award_decision_update(*, decision: Decision, by=None, expected_version: int | None = None, **fields) -> Decision:
    """Correct a decision's number, date, issuer, form or title; refuses a form opened on an older version."""
    unknown = set(fields) - set(DECISION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    current = Decision.objects.select_for_update().get(pk=decision.pk)
    if expected_version is not None and current.version != expected_version:
        missed = max(current.version - expected_version, 0)
        changes = entries_for(current).filter(action="awards.decision.changed")[:missed]
        raise StaleEdit(list(reversed(changes)))
    values = {name: fields.get(name, getattr(current, name)) for name in DECISION_FIELDS}
    values["number"] = (values["number"] or "").strip()
    values["title"] = (values["title"] or "").strip()
    _check_decision(number=values["number"], on=values["on"], issuer=values["issuer"], exclude=current)
    before = snapshot(current, DECISION_FIELDS)
    for name, value in values.items():
        setattr(current, name, value)
    changes = diff(before, snapshot(current, DECISION_FIELDS))
    if not changes:
        return current
    current.version += 1
    current.modified_by = _user(by)
    current.save()
    log_action("awards.decision.changed", instance=current, user=by, changes=changes)
    return current


# ---------------------------------------------------------------- recipients


def _check_recipient(
    *,
    decision: Decision,
    kind: str,
    organization: Organization | None,
    person_name: str,
    exclude: Recipient | None = None,
) -> None:
    """A collective needs an organisation, an individual a name; no one twice among a decision's current recipients."""
    if kind == RecipientKind.COLLECTIVE:
        if organization is None:
            raise ValidationError({"organization": _("A collective recipient needs an organisation.")})
    elif kind == RecipientKind.INDIVIDUAL:
        if not person_name:
            raise ValidationError({"person_name": _("An individual recipient needs a name.")})
    else:
        raise ValidationError({"kind": _("Choose collective or individual.")})
    if find_duplicate(decision, kind=kind, organization=organization, person_name=person_name, exclude=exclude):
        raise ValidationError(_("This recipient is already in the decision."))


def find_duplicate(
    decision: Decision,
    *,
    kind: str,
    organization: Organization | None,
    person_name: str = "",
    exclude: Recipient | None = None,
) -> Recipient | None:
    """The decision's current recipient that is the same collective, or the same person of the same organisation."""
    same = decision.recipients.filter(archived_on__isnull=True, kind=kind, organization=organization)
    if exclude is not None:
        same = same.exclude(pk=exclude.pk)
    if kind == RecipientKind.COLLECTIVE:
        return same.first()
    key = person_key(person_name)
    return next((r for r in same if person_key(r.person_name) == key), None)


def _clean_person(kind: str, person_name: str, position: str) -> tuple[str, str]:
    if kind == RecipientKind.COLLECTIVE:
        return "", ""
    return " ".join((person_name or "").split()), (position or "").strip()


@transaction.atomic
def award_recipient_add(
    *,
    decision: Decision,
    kind: str,
    by=None,
    organization: Organization | None = None,
    person_name: str = "",
    position: str = "",
    reason: str = "",
) -> Recipient:
    """Add a recipient to a decision: a collective needs an organisation, an individual a name."""
    person_name, position = _clean_person(kind, person_name, position)
    _check_recipient(decision=decision, kind=kind, organization=organization, person_name=person_name)
    recipient = Recipient.objects.create(
        decision=decision,
        kind=kind,
        organization=organization,
        person_name=person_name,
        position=position,
        reason=(reason or "").strip(),
        created_by=by,
        modified_by=by,
    )
    log_action(
        "awards.decision.recipient_added",
        instance=decision,
        user=by,
        changes={"recipient": [None, str(recipient)], "kind": [None, kind]},
    )
    return recipient


@transaction.atomic
def award_recipient_update(
    *,
    recipient: Recipient,
    kind: str,
    by=None,
    organization: Organization | None = None,
    person_name: str = "",
    position: str = "",
    reason: str = "",
) -> Recipient:
    """Correct a recipient; the same rules as when adding one."""
    if recipient.archived_on:
        raise ValidationError(_("This recipient is archived; restore it before editing."))
    person_name, position = _clean_person(kind, person_name, position)
    _check_recipient(
        decision=recipient.decision, kind=kind, organization=organization, person_name=person_name, exclude=recipient
    )
    before = snapshot(recipient, RECIPIENT_FIELDS)
    recipient.kind, recipient.organization = kind, organization
    recipient.person_name, recipient.position, recipient.reason = person_name, position, (reason or "").strip()
    changes = diff(before, snapshot(recipient, RECIPIENT_FIELDS))
    if changes:
        recipient.modified_by = _user(by)
        recipient.save()
        log_action("awards.recipient.changed", instance=recipient, user=by, changes=changes)
    return recipient


@transaction.atomic
def award_recipient_archive(*, recipient: Recipient, reason: str, by=None) -> Recipient:
    """Take a recipient recorded by mistake out of the decision and of every count, keeping it."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for archiving.")})
    recipient = Recipient.objects.select_for_update().get(pk=recipient.pk)
    if recipient.archived_on:
        raise ValidationError(_("This recipient is already archived."))
    recipient.archived_on = timezone.now()
    recipient.archived_reason = reason
    recipient.modified_by = _user(by)
    recipient.save(update_fields=["archived_on", "archived_reason", "modified_by", "modified_on"])
    log_action("awards.recipient.archived", instance=recipient, user=by, changes={"reason": reason})
    return recipient


@transaction.atomic
def award_recipient_restore(*, recipient: Recipient, reason: str = "", by=None) -> Recipient:
    """Undo an archiving, unless the decision meanwhile has the same recipient again."""
    recipient = Recipient.objects.select_for_update().get(pk=recipient.pk)
    if not recipient.archived_on:
        raise ValidationError(_("This recipient is not archived."))
    if find_duplicate(
        recipient.decision, kind=recipient.kind, organization=recipient.organization, person_name=recipient.person_name
    ):
        raise ValidationError(_("This recipient is already in the decision."))
    recipient.archived_on = None
    recipient.archived_reason = ""
    recipient.modified_by = _user(by)
    recipient.save(update_fields=["archived_on", "archived_reason", "modified_by", "modified_on"])
    log_action("awards.recipient.restored", instance=recipient, user=by, changes={"reason": (reason or "").strip()})
    return recipient


# ---------------------------------------------------------------- proposals


def _check_proposal(*, title: str, drafted_on: datetime.date) -> None:
    if not (title or "").strip():
        raise ValidationError({"title": _("A title is required.")})
    _not_future("drafted_on", drafted_on)


@transaction.atomic
def proposal_create(
    *,
    title: str,
    year: int,
    issuer: str,
    form: str,
    drafted_on: datetime.date,
    by=None,
    number: str = "",
    movement: Movement | None = None,
    note: str = "",
    file=None,
) -> Proposal:
    """Start a proposal as a draft; its nominees are added on its page."""
    _check_proposal(title=title, drafted_on=drafted_on)
    proposal = Proposal(
        number=(number or "").strip(),
        title=title.strip(),
        year=year,
        movement=movement,
        issuer=issuer,
        form=form,
        drafted_on=drafted_on,
        note=note or "",
        created_by=by,
        modified_by=by,
    )
    if file:
        proposal.file = file
    proposal.save()
    log_action("awards.proposal.created", instance=proposal, user=by, changes=snapshot(proposal, PROPOSAL_FIELDS))
    return proposal


def _locked(proposal: Proposal) -> Proposal:
    """The proposal as it is now in the database, locked until the transaction ends."""
    return Proposal.objects.select_for_update().get(pk=proposal.pk)


def _file_name(value) -> str:
    return getattr(value, "name", value) or ""


@transaction.atomic
def proposal_update(*, proposal: Proposal, by=None, file=None, remove_file: bool = False, **fields) -> Proposal:
    """Change a proposal's details until it is decided; its status moves only through submit, approve, refuse."""
    unknown = set(fields) - set(PROPOSAL_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    proposal = _locked(proposal)
    if proposal.status in (ProposalStatus.APPROVED, ProposalStatus.REFUSED):
        raise ValidationError(_("A decided proposal can no longer be changed."))
    values = {name: fields.get(name, getattr(proposal, name)) for name in PROPOSAL_FIELDS}
    _check_proposal(title=values["title"], drafted_on=values["drafted_on"])
    if proposal.submitted_on and values["drafted_on"] > proposal.submitted_on:
        raise ValidationError({"drafted_on": _("The draft date cannot be after the submission date.")})
    before = {**snapshot(proposal, PROPOSAL_FIELDS), "file": _file_name(proposal.file)}
    for name, value in values.items():
        setattr(proposal, name, value.strip() if isinstance(value, str) else value)
    if file:
        proposal.file = file
    elif remove_file:
        proposal.file = ""
    proposal.modified_by = _user(by)
    proposal.save()
    changes = diff(before, {**snapshot(proposal, PROPOSAL_FIELDS), "file": _file_name(proposal.file)})
    if changes:
        log_action("awards.proposal.changed", instance=proposal, user=by, changes=changes)
    return proposal


def _require_draft(proposal: Proposal) -> None:
    status = Proposal.objects.select_for_update().values_list("status", flat=True).get(pk=proposal.pk)
    if status != ProposalStatus.DRAFT:
        raise ValidationError(_("Nominees can be changed only while the proposal is a draft."))


def _check_nominee(
    *, proposal: Proposal, kind: str, organization, person_name: str, exclude: Nominee | None = None
) -> None:
    if kind == RecipientKind.COLLECTIVE:
        if organization is None:
            raise ValidationError({"organization": _("A collective nominee needs an organisation.")})
    elif kind == RecipientKind.INDIVIDUAL:
        if not person_name:
            raise ValidationError({"person_name": _("An individual nominee needs a name.")})
    else:
        raise ValidationError({"kind": _("Choose collective or individual.")})
    same = proposal.nominees.filter(archived_on__isnull=True, kind=kind, organization=organization)
    if exclude is not None:
        same = same.exclude(pk=exclude.pk)
    if kind == RecipientKind.COLLECTIVE and same.exists():
        raise ValidationError(_("This nominee is already in the proposal."))
    if kind == RecipientKind.INDIVIDUAL and any(person_key(n.person_name) == person_key(person_name) for n in same):
        raise ValidationError(_("This nominee is already in the proposal."))


@transaction.atomic
def nominee_add(
    *,
    proposal: Proposal,
    kind: str,
    by=None,
    organization: Organization | None = None,
    person_name: str = "",
    position: str = "",
    reason: str = "",
) -> Nominee:
    """Put a unit or a person forward in a draft proposal, with their achievements."""
    _require_draft(proposal)
    person_name, position = _clean_person(kind, person_name, position)
    _check_nominee(proposal=proposal, kind=kind, organization=organization, person_name=person_name)
    nominee = Nominee.objects.create(
        proposal=proposal,
        kind=kind,
        organization=organization,
        person_name=person_name,
        position=position,
        reason=(reason or "").strip(),
        created_by=by,
        modified_by=by,
    )
    log_action("awards.proposal.nominee_added", instance=proposal, user=by, changes={"nominee": [None, str(nominee)]})
    return nominee


@transaction.atomic
def nominee_update(
    *,
    nominee: Nominee,
    kind: str,
    by=None,
    organization: Organization | None = None,
    person_name: str = "",
    position: str = "",
    reason: str = "",
) -> Nominee:
    """Correct a nominee of a draft proposal."""
    _require_draft(nominee.proposal)
    if nominee.archived_on:
        raise ValidationError(_("This nominee is withdrawn; restore it before editing."))
    person_name, position = _clean_person(kind, person_name, position)
    _check_nominee(
        proposal=nominee.proposal, kind=kind, organization=organization, person_name=person_name, exclude=nominee
    )
    before = snapshot(nominee, RECIPIENT_FIELDS)
    nominee.kind, nominee.organization = kind, organization
    nominee.person_name, nominee.position, nominee.reason = person_name, position, (reason or "").strip()
    changes = diff(before, snapshot(nominee, RECIPIENT_FIELDS))
    if changes:
        nominee.modified_by = _user(by)
        nominee.save()
        log_action("awards.nominee.changed", instance=nominee, user=by, changes=changes)
    return nominee


@transaction.atomic
def nominee_withdraw(*, nominee: Nominee, reason: str, by=None) -> Nominee:
    """Take a nominee out of a draft proposal, keeping the record and the reason."""
    _require_draft(nominee.proposal)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for withdrawing.")})
    nominee = Nominee.objects.select_for_update().get(pk=nominee.pk)
    if nominee.archived_on:
        raise ValidationError(_("This nominee is already withdrawn."))
    nominee.archived_on = timezone.now()
    nominee.archived_reason = reason
    nominee.modified_by = _user(by)
    nominee.save(update_fields=["archived_on", "archived_reason", "modified_by", "modified_on"])
    log_action("awards.nominee.withdrawn", instance=nominee, user=by, changes={"reason": reason})
    return nominee


@transaction.atomic
def nominee_restore(*, nominee: Nominee, reason: str = "", by=None) -> Nominee:
    """Put a withdrawn nominee back into its draft proposal."""
    _require_draft(nominee.proposal)
    nominee = Nominee.objects.select_for_update().get(pk=nominee.pk)
    if not nominee.archived_on:
        raise ValidationError(_("This nominee is not withdrawn."))
    _check_nominee(
        proposal=nominee.proposal,
        kind=nominee.kind,
        organization=nominee.organization,
        person_name=nominee.person_name,
        exclude=nominee,
    )
    nominee.archived_on = None
    nominee.archived_reason = ""
    nominee.modified_by = _user(by)
    nominee.save(update_fields=["archived_on", "archived_reason", "modified_by", "modified_on"])
    log_action("awards.nominee.restored", instance=nominee, user=by, changes={"reason": (reason or "").strip()})
    return nominee


@transaction.atomic
def proposal_submit(*, proposal: Proposal, on: datetime.date, by=None) -> Proposal:
    """A draft proposal, with at least one nominee, is sent to its issuer on a date."""
    proposal = _locked(proposal)
    if proposal.status != ProposalStatus.DRAFT:
        raise ValidationError(_("Only a draft proposal can be submitted."))
    _not_future("on", on)
    if on < proposal.drafted_on:
        raise ValidationError({"on": _("A proposal cannot be submitted before it was drafted.")})
    if not proposal.nominees.filter(archived_on__isnull=True).exists():
        raise ValidationError(_("Add at least one nominee before submitting."))
    proposal.status = ProposalStatus.SUBMITTED
    proposal.submitted_on = on
    proposal.modified_by = _user(by)
    proposal.save(update_fields=["status", "submitted_on", "modified_by", "modified_on"])
    log_action(
        "awards.proposal.submitted",
        instance=proposal,
        user=by,
        changes={"status": ["draft", "submitted"], "submitted_on": [None, on]},
    )
    return proposal


def _decide(proposal: Proposal, on: datetime.date) -> Proposal:
    proposal = _locked(proposal)
    if proposal.status != ProposalStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted proposal can be approved or refused."))
    _not_future("on", on)
    if on < proposal.submitted_on:
        raise ValidationError({"on": _("A proposal cannot be decided before it was submitted.")})
    return proposal


@transaction.atomic
def proposal_approve(*, proposal: Proposal, on: datetime.date, by=None) -> Proposal:
    """The issuer approved a submitted proposal on a date; its decision is recorded or linked next."""
    proposal = _decide(proposal, on)
    proposal.status = ProposalStatus.APPROVED
    proposal.decided_on = on
    proposal.modified_by = _user(by)
    proposal.save(update_fields=["status", "decided_on", "modified_by", "modified_on"])
    log_action(
        "awards.proposal.approved",
        instance=proposal,
        user=by,
        changes={"status": ["submitted", "approved"], "decided_on": [None, on]},
    )
    return proposal


@transaction.atomic
def proposal_refuse(*, proposal: Proposal, on: datetime.date, reason: str, by=None) -> Proposal:
    """The issuer refused a submitted proposal on a date, for a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the refusal.")})
    proposal = _decide(proposal, on)
    proposal.status = ProposalStatus.REFUSED
    proposal.decided_on = on
    proposal.refusal_reason = reason
    proposal.modified_by = _user(by)
    proposal.save(update_fields=["status", "decided_on", "refusal_reason", "modified_by", "modified_on"])
    log_action(
        "awards.proposal.refused",
        instance=proposal,
        user=by,
        changes={"status": ["submitted", "refused"], "decided_on": [None, on], "reason": reason},
    )
    return proposal


@transaction.atomic
def proposal_link_decision(*, proposal: Proposal, decision: Decision, add_recipients: bool = False, by=None) -> int:
    """Link an approved proposal to the decision that granted it; returns how many recipients were added.

    With add_recipients the proposal's nominees become the decision's recipients, skipping
    those the decision already has.
    """
    proposal = _locked(proposal)
    if proposal.status != ProposalStatus.APPROVED:
        raise ValidationError(_("Only an approved proposal is linked to a decision."))
    if proposal.decision_id:
        raise ValidationError(_("This proposal is already linked to a decision."))
    if decision.on < proposal.submitted_on:
        raise ValidationError({"decision": _("The decision is dated before the proposal was submitted.")})
    proposal.decision = decision
    proposal.modified_by = _user(by)
    proposal.save(update_fields=["decision", "modified_by", "modified_on"])
    log_action("awards.proposal.decision_linked", instance=proposal, user=by, changes={"decision": [None, decision]})
    added = 0
    if add_recipients:
        for nominee in proposal.nominees.filter(archived_on__isnull=True).select_related("organization"):
            if find_duplicate(
                decision, kind=nominee.kind, organization=nominee.organization, person_name=nominee.person_name
            ):
                continue
            award_recipient_add(
                decision=decision,
                kind=nominee.kind,
                organization=nominee.organization,
                person_name=nominee.person_name,
                position=nominee.position,
                reason=nominee.reason,
                by=by,
            )
            added += 1
    return added
