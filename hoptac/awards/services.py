"""Writes of the awards app: each in one transaction, each leaving an audit entry."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoptac.core.audit import log_action
from hoptac.registry.models import Organization

from .models import Bloc, Decision, Movement, Recipient, RecipientKind, Registration


@transaction.atomic
def movement_create(*, year: int, name: str, launched_on: datetime.date, by=None, description: str = "") -> Movement:
    """Launch an emulation movement for a year."""
    movement = Movement.objects.create(
        year=year, name=name, launched_on=launched_on, description=description, created_by=by, modified_by=by
    )
    log_action("awards.movement.created", instance=movement, user=by)
    return movement


@transaction.atomic
def bloc_create(*, name: str, year: int, by=None, leader: Organization | None = None, members=()) -> Bloc:
    """Form an emulation bloc; no leader means the alliance leads it."""
    if Bloc.objects.filter(name=name, year=year).exists():
        raise ValidationError(_("A bloc with this name already exists for %(year)s.") % {"year": year})
    bloc = Bloc.objects.create(name=name, year=year, leader=leader, created_by=by, modified_by=by)
    bloc.members.set(members)
    log_action("awards.bloc.created", instance=bloc, user=by, changes={"members": [None, len(bloc.members.all())]})
    return bloc


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
    registration = Registration.objects.create(
        movement=movement,
        bloc=bloc,
        organization=organization,
        targets=targets,
        signed_on=signed_on,
        created_by=by,
        modified_by=by,
    )
    log_action("awards.registration.created", instance=registration, user=by)
    return registration


@transaction.atomic
def award_decision_create(
    *, number: str, on: datetime.date, issuer: str, form: str, by=None, title: str = ""
) -> Decision:
    """Record an award decision. Its date cannot be in the future."""
    number = number.strip()
    if not number:
        raise ValidationError({"number": _("Enter the decision number.")})
    if on > timezone.localdate():
        raise ValidationError({"on": _("The decision date cannot be in the future.")})
    if Decision.objects.filter(number=number, on=on, issuer=issuer).exists():
        raise ValidationError({"number": _("This decision is already recorded.")})
    decision = Decision.objects.create(
        number=number, on=on, issuer=issuer, form=form, title=title, created_by=by, modified_by=by
    )
    log_action("awards.decision.created", instance=decision, user=by)
    return decision


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
    person_name = person_name.strip()
    if kind == RecipientKind.COLLECTIVE:
        if organization is None:
            raise ValidationError({"organization": _("A collective recipient needs an organisation.")})
        person_name, position = "", ""
        duplicate = decision.recipients.filter(kind=kind, organization=organization)
    elif kind == RecipientKind.INDIVIDUAL:
        if not person_name:
            raise ValidationError({"person_name": _("An individual recipient needs a name.")})
        duplicate = decision.recipients.filter(kind=kind, person_name__iexact=person_name, organization=organization)
    else:
        raise ValidationError({"kind": _("Choose collective or individual.")})
    if duplicate.exists():
        raise ValidationError(_("This recipient is already in the decision."))
    recipient = Recipient.objects.create(
        decision=decision,
        kind=kind,
        organization=organization,
        person_name=person_name,
        position=position,
        reason=reason,
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
