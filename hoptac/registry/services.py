"""Writes to the registry. Each service validates, saves in one transaction and audits."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoptac.core.audit import diff, log_action, snapshot

from .models import STATUS_AFTER, EventKind, LifecycleEvent, Membership, Organization, OrgKind, Status

# Fields people edit; the audit compares these before and after.
EDITABLE_FIELDS = [
    "kind",
    "sector",
    "code",
    "name",
    "commune",
    "street",
    "founded_on",
    "registration_number",
    "registration_date",
    "registration_office",
    "registration_law",
    "representative",
    "official_members",
    "associate_members",
    "employees",
    "charter_capital",
    "business_lines",
    "phone",
    "email",
    "website",
]


class StaleEdit(Exception):
    """The record changed since the form was opened; saving would lose someone's update."""

    def __init__(self, changes: dict):
        super().__init__("stale")
        self.changes = changes


def _check_rules(org: Organization) -> None:
    errors = {}
    if org.founded_on and org.founded_on > timezone.localdate():
        errors["founded_on"] = _("The founding date cannot be in the future.")
    if (
        org.registration_date
        and org.founded_on
        and org.registration_date < org.founded_on - datetime.timedelta(days=366)
    ):
        errors["registration_date"] = _("The registration date is more than a year before the founding date.")
    if org.charter_capital is not None and org.charter_capital < 0:
        errors["charter_capital"] = _("Charter capital cannot be negative.")
    if org.commune_id and org.founded_on and not org.commune.is_valid_on(org.founded_on):
        errors["commune"] = _("%(unit)s did not exist on %(day)s; choose the unit as it was then.") % {
            "unit": org.commune.name,
            "day": org.founded_on.strftime("%d/%m/%Y"),
        }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def organization_create(*, by=None, **fields) -> Organization:
    """Register a new organisation and audit it."""
    org = Organization(**fields)
    _check_rules(org)
    org.full_clean(exclude=["created_by", "modified_by"])
    org.refresh_search_text()
    org.created_by = org.modified_by = by if getattr(by, "is_authenticated", False) else None
    org.save()
    log_action(
        "registry.organization.created",
        instance=org,
        user=by,
        changes={k: [None, v] for k, v in snapshot(org, EDITABLE_FIELDS).items() if v not in (None, "")},
    )
    return org


@transaction.atomic
def organization_update(*, organization: Organization, by=None, data: dict, expected_version: int | None = None):
    """Change fields of an organisation; refuses a form opened on an older version."""
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    before = snapshot(org, EDITABLE_FIELDS)
    if expected_version is not None and org.version != expected_version:
        raise StaleEdit(diff(snapshot(organization, EDITABLE_FIELDS), before))
    for name, value in data.items():
        if name not in EDITABLE_FIELDS:
            raise ValueError(f"{name} is not an editable field")
        setattr(org, name, value)
    _check_rules(org)
    org.full_clean(exclude=["created_by", "modified_by"])
    changes = diff(before, snapshot(org, EDITABLE_FIELDS))
    if not changes:
        return org
    org.refresh_search_text()
    org.version += 1
    org.modified_by = by if getattr(by, "is_authenticated", False) else None
    org.save()
    log_action("registry.organization.changed", instance=org, user=by, changes=changes)
    return org


@transaction.atomic
def organization_archive(*, organization: Organization, by, reason: str) -> Organization:
    """Hide a record entered by mistake from lists and figures, keeping it and its history."""
    if not reason or not reason.strip():
        raise ValidationError({"reason": _("Give the reason for archiving.")})
    if organization.archived_on:
        raise ValidationError(_("This record is already archived."))
    organization.archived_on = timezone.now()
    organization.archived_reason = reason.strip()
    organization.version += 1
    organization.save(update_fields=["archived_on", "archived_reason", "version", "modified_on"])
    log_action("registry.organization.archived", instance=organization, user=by, changes={"reason": reason.strip()})
    return organization


@transaction.atomic
def organization_restore(*, organization: Organization, by, reason: str) -> Organization:
    """Undo an archiving."""
    if not organization.archived_on:
        raise ValidationError(_("This record is not archived."))
    organization.archived_on = None
    organization.archived_reason = ""
    organization.version += 1
    organization.save(update_fields=["archived_on", "archived_reason", "version", "modified_on"])
    log_action("registry.organization.restored", instance=organization, user=by, changes={"reason": reason})
    return organization


# Which status an event may follow; an event outside these is refused.
ALLOWED_FROM = {
    EventKind.REGISTERED: {Status.ACTIVE},
    EventKind.RE_REGISTERED: {Status.ACTIVE, Status.SUSPENDED},
    EventKind.SUSPENDED: {Status.ACTIVE},
    EventKind.RESUMED: {Status.SUSPENDED},
    EventKind.DISSOLUTION_STARTED: {Status.ACTIVE, Status.SUSPENDED},
    EventKind.DISSOLVED: {Status.ACTIVE, Status.SUSPENDED, Status.DISSOLVING},
    EventKind.REVOKED: {Status.ACTIVE, Status.SUSPENDED, Status.DISSOLVING},
    EventKind.MERGED: {Status.ACTIVE, Status.SUSPENDED, Status.DISSOLVING},
}


@transaction.atomic
def event_record(
    *,
    organization: Organization,
    kind: str,
    on: datetime.date,
    by=None,
    document: str = "",
    note: str = "",
    law: str = "",
    merged_into: Organization | None = None,
) -> LifecycleEvent:
    """Record a dated lifecycle event after checking it fits the organisation's history."""
    if on < organization.founded_on:
        raise ValidationError(
            {
                "on": _("The event cannot be before the founding date (%(day)s).")
                % {"day": organization.founded_on.strftime("%d/%m/%Y")}
            }
        )
    if on > timezone.localdate():
        raise ValidationError({"on": _("The event cannot be in the future.")})
    status = organization.status_on(on)
    if status not in ALLOWED_FROM[kind]:
        raise ValidationError(
            {
                "kind": _("On %(day)s the organisation was “%(status)s”; “%(event)s” is not possible.")
                % {
                    "day": on.strftime("%d/%m/%Y"),
                    "status": Status(status).label,
                    "event": EventKind(kind).label,
                }
            }
        )
    later = organization.events.filter(on__gt=on, status_after__gt="").exists()
    if later and kind in STATUS_AFTER:
        raise ValidationError({"on": _("A later event already changed the status; record events in date order.")})
    if kind == EventKind.MERGED and merged_into is None:
        raise ValidationError({"merged_into": _("Choose the organisation it merged into.")})
    if kind == EventKind.RE_REGISTERED and organization.kind == OrgKind.THT:
        raise ValidationError({"kind": _("Cooperative groups did not re-register under the 2012 Law on Cooperatives.")})
    event = LifecycleEvent(
        organization=organization,
        kind=kind,
        on=on,
        document=document,
        note=note,
        law=law,
        merged_into=merged_into,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    event.save()
    log_action(
        "registry.event.recorded",
        instance=organization,
        user=by,
        changes={"event": str(kind), "on": on, "document": document},
    )
    return event


@transaction.atomic
def membership_start(*, organization: Organization, joined_on: datetime.date, by=None, note: str = "") -> Membership:
    """Record that an organisation joined the alliance."""
    if organization.memberships.filter(left_on__isnull=True).exists():
        raise ValidationError(_("The organisation is already a member."))
    membership = Membership.objects.create(
        organization=organization,
        joined_on=joined_on,
        note=note,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    log_action("registry.membership.started", instance=organization, user=by, changes={"joined_on": joined_on})
    return membership


@transaction.atomic
def membership_end(*, organization: Organization, left_on: datetime.date, by=None) -> Membership:
    """Record that an organisation left the alliance."""
    membership = organization.memberships.filter(left_on__isnull=True).first()
    if membership is None:
        raise ValidationError(_("The organisation is not a member."))
    if left_on < membership.joined_on:
        raise ValidationError(_("It cannot leave before it joined."))
    membership.left_on = left_on
    membership.save(update_fields=["left_on", "modified_on"])
    log_action("registry.membership.ended", instance=organization, user=by, changes={"left_on": left_on})
    return membership
