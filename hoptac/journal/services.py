"""Writes of the journal and the documents: validated, atomic and audited."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoptac.core.audit import diff, log_action, snapshot

from .models import Area, Document, DocumentKind, DocumentStatus, JournalEntry

DOCUMENT_FIELDS = ["kind", "title", "number", "drafted_on", "partner", "year", "note"]
ENTRY_FIELDS = ["on", "area", "title", "text", "conference", "attendance"]


class StaleEdit(Exception):
    """The record was saved by someone else after the form was opened; saving would lose their update."""


def entry_values(entry: JournalEntry) -> dict:
    """An entry's editable values and links as plain data: what an edit form shows, to compare later."""
    values = snapshot(entry, ENTRY_FIELDS)
    values["documents"] = sorted(entry.documents.values_list("pk", flat=True))
    values["organizations"] = sorted(entry.organizations.values_list("pk", flat=True))
    return values


def document_values(document: Document) -> dict:
    """A document's editable values, its status and file as plain data (see entry_values)."""
    values = snapshot(document, [*DOCUMENT_FIELDS, "status", "submitted_on", "issued_on"])
    values["file"] = document.file.name or ""
    return values


def _check_version(instance, expected_version: int | None) -> None:
    if expected_version is not None and instance.version != expected_version:
        raise StaleEdit


def _refuse_archived(instance) -> None:
    if instance.archived_on:
        raise ValidationError(_("This item is archived; restore it before changing it."))


def _not_future(field: str, day: datetime.date | None) -> None:
    if day and day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})


def _check_entry(*, on, area, title, text, conference, attendance) -> None:
    _not_future("on", on)
    errors = {}
    if area not in Area.values:
        errors["area"] = _("Choose an area of work.")
    if not (title or "").strip():
        errors["title"] = _("A title is required.")
    if not (text or "").strip():
        errors["text"] = _("The text is required.")
    if attendance is not None:
        if not conference:
            errors["attendance"] = _("Attendance is recorded only for a conference.")
        elif attendance < 0:
            errors["attendance"] = _("Attendance cannot be negative.")
    if errors:
        raise ValidationError(errors)


def _links(entry: JournalEntry, documents, organizations) -> dict:
    changes = {}
    if documents is not None:
        before = sorted(entry.documents.values_list("pk", flat=True))
        added = {d.pk for d in documents} - set(before)
        if Document.objects.filter(pk__in=added, archived_on__isnull=False).exists():
            raise ValidationError({"documents": _("An archived document cannot be linked; restore it first.")})
        entry.documents.set(documents)
        after = sorted(entry.documents.values_list("pk", flat=True))
        if before != after:
            changes["documents"] = [before, after]
    if organizations is not None:
        before = sorted(entry.organizations.values_list("pk", flat=True))
        entry.organizations.set(organizations)
        after = sorted(entry.organizations.values_list("pk", flat=True))
        if before != after:
            changes["organizations"] = [before, after]
    return changes


@transaction.atomic
def journal_entry_create(
    *,
    on: datetime.date,
    area: str,
    title: str,
    text: str,
    conference: bool = False,
    attendance: int | None = None,
    documents: Iterable[Document] = (),
    organizations: Iterable = (),
    by=None,
) -> JournalEntry:
    """Record an activity of the alliance; attendance only with a conference."""
    _check_entry(on=on, area=area, title=title, text=text, conference=conference, attendance=attendance)
    entry = JournalEntry.objects.create(
        on=on,
        area=area,
        title=title.strip(),
        text=text.strip(),
        conference=conference,
        attendance=attendance if conference else None,
        created_by=by,
        modified_by=by,
    )
    _links(entry, list(documents), list(organizations))
    log_action("journal.entry.created", instance=entry, user=by, changes=snapshot(entry, ENTRY_FIELDS))
    return entry


@transaction.atomic
def journal_entry_update(
    *,
    entry: JournalEntry,
    by=None,
    documents: Iterable[Document] | None = None,
    organizations=None,
    expected_version: int | None = None,
    **fields,
) -> JournalEntry:
    """Change an entry's fields (any of ENTRY_FIELDS) and links; audits what changed.

    With expected_version, refuses (StaleEdit) an edit of a version someone else has since saved over.
    """
    unknown = set(fields) - set(ENTRY_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    entry = JournalEntry.objects.select_for_update().get(pk=entry.pk)
    _check_version(entry, expected_version)
    _refuse_archived(entry)
    before = snapshot(entry, ENTRY_FIELDS)
    values = {name: fields.get(name, getattr(entry, name)) for name in ENTRY_FIELDS}
    if not values["conference"] and "attendance" not in fields:
        # No longer a conference: its attendance goes with it.
        values["attendance"] = None
    _check_entry(**values)
    for name, value in values.items():
        setattr(entry, name, value.strip() if isinstance(value, str) else value)
    if not entry.conference:
        entry.attendance = None
    changes = diff(before, snapshot(entry, ENTRY_FIELDS))
    changes.update(
        _links(
            entry,
            list(documents) if documents is not None else None,
            list(organizations) if organizations is not None else None,
        )
    )
    if changes:
        entry.modified_by = by
        entry.version += 1
        entry.save()
        log_action("journal.entry.changed", instance=entry, user=by, changes=changes)
    return entry


def _check_document(*, kind, title, drafted_on) -> None:
    _not_future("drafted_on", drafted_on)
    errors = {}
    if kind not in DocumentKind.values:
        errors["kind"] = _("Choose a kind of document.")
    if not (title or "").strip():
        errors["title"] = _("A title is required.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def document_create(
    *,
    kind: str,
    title: str,
    drafted_on: datetime.date,
    number: str = "",
    partner: str = "",
    year: int | None = None,
    note: str = "",
    file=None,
    by=None,
) -> Document:
    """Start a document as a draft (a number is optional until it is approved)."""
    _check_document(kind=kind, title=title, drafted_on=drafted_on)
    document = Document(
        kind=kind,
        title=title.strip(),
        drafted_on=drafted_on,
        number=(number or "").strip(),
        partner=(partner or "").strip(),
        year=year,
        note=note or "",
        created_by=by,
        modified_by=by,
    )
    if file:
        document.file = file
    document.save()
    log_action("journal.document.created", instance=document, user=by, changes=snapshot(document, DOCUMENT_FIELDS))
    return document


@transaction.atomic
def document_update(
    *,
    document: Document,
    by=None,
    file=None,
    remove_file: bool = False,
    expected_version: int | None = None,
    **fields,
) -> Document:
    """Change a document's details; its status moves only through submit and approve.

    With expected_version, refuses (StaleEdit) an edit of a version someone else has since saved over.
    """
    unknown = set(fields) - set(DOCUMENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    document = Document.objects.select_for_update().get(pk=document.pk)
    _check_version(document, expected_version)
    _refuse_archived(document)
    before = snapshot(document, DOCUMENT_FIELDS)
    before["file"] = document.file.name or ""
    values = {name: fields.get(name, getattr(document, name)) for name in DOCUMENT_FIELDS}
    _check_document(kind=values["kind"], title=values["title"], drafted_on=values["drafted_on"])
    if document.status == DocumentStatus.APPROVED and not (values["number"] or "").strip():
        raise ValidationError({"number": _("An approved document keeps its number.")})
    if document.issued_on and values["drafted_on"] > document.issued_on:
        raise ValidationError({"drafted_on": _("The draft date cannot be after the issue date.")})
    if document.submitted_on and values["drafted_on"] > document.submitted_on:
        raise ValidationError({"drafted_on": _("The draft date cannot be after the submission date.")})
    for name, value in values.items():
        setattr(document, name, value.strip() if isinstance(value, str) else value)
    if file:
        document.file = file
    elif remove_file:
        document.file = ""
    after = snapshot(document, DOCUMENT_FIELDS)
    after["file"] = document.file.name or ""
    if diff(before, after):
        document.modified_by = by
        document.version += 1
        document.save()
        after["file"] = document.file.name  # the stored name, known once saved
        log_action("journal.document.changed", instance=document, user=by, changes=diff(before, after))
    return document


@transaction.atomic
def document_submit(*, document: Document, on: datetime.date, by=None) -> Document:
    """A draft is sent for approval (to the province, the partner, the alliance's board) on a date."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    _refuse_archived(document)
    if document.status != DocumentStatus.DRAFT:
        raise ValidationError(_("Only a draft can be submitted."))
    _not_future("on", on)
    if on < document.drafted_on:
        raise ValidationError({"on": _("A document cannot be submitted before it was drafted.")})
    document.status = DocumentStatus.SUBMITTED
    document.submitted_on = on
    document.modified_by = by
    document.version += 1
    document.save(update_fields=["status", "submitted_on", "modified_by", "modified_on", "version"])
    log_action(
        "journal.document.submitted",
        instance=document,
        user=by,
        changes={"status": ["draft", "submitted"], "submitted_on": [None, on]},
    )
    return document


@transaction.atomic
def document_approve(*, document: Document, on: datetime.date, number: str = "", by=None) -> Document:
    """A submitted document is approved, signed or issued on a date, and must then carry a number."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    _refuse_archived(document)
    if document.status != DocumentStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted document can be approved."))
    _not_future("on", on)
    number = (number or document.number).strip()
    if not number:
        raise ValidationError({"number": _("An approved document needs a number.")})
    if on < document.submitted_on:
        raise ValidationError({"on": _("A document cannot be approved before it was submitted.")})
    old_number = document.number
    document.status = DocumentStatus.APPROVED
    document.issued_on = on
    document.number = number
    document.modified_by = by
    document.version += 1
    document.save(update_fields=["status", "issued_on", "number", "modified_by", "modified_on", "version"])
    changes = {"status": ["submitted", "approved"], "issued_on": [None, on]}
    if old_number != number:
        changes["number"] = [old_number, number]
    log_action("journal.document.approved", instance=document, user=by, changes=changes)
    return document


# ---------------------------------------------------------------- archive and restore
# Nothing is deleted: an item entered by mistake or twice is archived with a reason and can be restored.


def _archive(model, instance, *, reason: str, by, action: str):
    instance = model.objects.select_for_update().get(pk=instance.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for archiving.")})
    if instance.archived_on:
        raise ValidationError(_("This item is already archived."))
    instance.archived_on = timezone.now()
    instance.archived_reason = reason
    instance.archived_by = by if getattr(by, "is_authenticated", False) else None
    instance.modified_by = instance.archived_by
    instance.version += 1
    instance.save(
        update_fields=["archived_on", "archived_reason", "archived_by", "modified_by", "modified_on", "version"]
    )
    log_action(action, instance=instance, user=by, changes={"reason": reason})
    return instance


def _restore(model, instance, *, reason: str, by, action: str):
    instance = model.objects.select_for_update().get(pk=instance.pk)
    if not instance.archived_on:
        raise ValidationError(_("This item is not archived."))
    changes = {"archived_reason": [instance.archived_reason, ""]}
    if (reason or "").strip():
        changes["reason"] = reason.strip()
    instance.archived_on = None
    instance.archived_reason = ""
    instance.archived_by = None
    instance.modified_by = by if getattr(by, "is_authenticated", False) else None
    instance.version += 1
    instance.save(
        update_fields=["archived_on", "archived_reason", "archived_by", "modified_by", "modified_on", "version"]
    )
    log_action(action, instance=instance, user=by, changes=changes)
    return instance


@transaction.atomic
def journal_entry_archive(*, entry: JournalEntry, reason: str, by) -> JournalEntry:
    """Hide an entry from the journal, the quarterly report and the export, keeping it and its history."""
    return _archive(JournalEntry, entry, reason=reason, by=by, action="journal.entry.archived")


@transaction.atomic
def journal_entry_restore(*, entry: JournalEntry, by, reason: str = "") -> JournalEntry:
    """Bring an archived entry back into the journal and the report."""
    return _restore(JournalEntry, entry, reason=reason, by=by, action="journal.entry.restored")


@transaction.atomic
def document_archive(*, document: Document, reason: str, by) -> Document:
    """Hide a document from the list and from new links, keeping it, its file and its history."""
    return _archive(Document, document, reason=reason, by=by, action="journal.document.archived")


@transaction.atomic
def document_restore(*, document: Document, by, reason: str = "") -> Document:
    """Bring an archived document back into the list."""
    return _restore(Document, document, reason=reason, by=by, action="journal.document.restored")
