"""Reads of the journal and the documents, and who may see and write them."""

import datetime

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from hoptac.core.models import Role

from .models import AREA_ORDER, Document, JournalEntry


def can_read(user) -> bool:
    """The alliance's administrators and staff; area officers and cooperatives see nothing here."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_alliance)


def can_write_journal(user) -> bool:
    """Any staff member, whatever the department, and administrators write the journal."""
    return can_read(user) and (user.is_admin or user.role == Role.STAFF)


def can_write_documents(user) -> bool:
    """Administrators and the staff (the office drafts most documents, every department some)."""
    return can_write_journal(user)


def journal_entries(
    *, date_from: datetime.date, date_to: datetime.date, area: str | None = None, include_archived: bool = False
) -> QuerySet[JournalEntry]:
    """Entries dated within [date_from, date_to], in the report's order of areas, then by date.

    The quarterly report's narrative reads this selector, as do the journal page and its export.
    Archived entries are left out; only the journal page asks for them, when "show archived" is ticked.
    """
    qs = JournalEntry.objects.filter(on__gte=date_from, on__lte=date_to)
    if not include_archived:
        qs = qs.filter(archived_on__isnull=True)
    if area:
        qs = qs.filter(area=area)
    order = Case(*[When(area=k, then=Value(v)) for k, v in AREA_ORDER.items()], output_field=IntegerField())
    return qs.annotate(area_order=order).order_by("area_order", "on", "id").prefetch_related("documents")


def documents(
    *,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    kind: str | None = None,
    status: str | None = None,
    include_archived: bool = False,
) -> QuerySet[Document]:
    """Documents drafted, submitted or issued within the period (either end may be open), newest first.

    Archived documents are left out unless include_archived.
    """
    qs = Document.objects.all()
    if not include_archived:
        qs = qs.filter(archived_on__isnull=True)
    if date_from or date_to:
        cond = Q()
        for field in ("drafted_on", "submitted_on", "issued_on"):
            part = Q(**{f"{field}__isnull": False})
            if date_from:
                part &= Q(**{f"{field}__gte": date_from})
            if date_to:
                part &= Q(**{f"{field}__lte": date_to})
            cond |= part
        qs = qs.filter(cond)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-drafted_on", "-id")
