"""Each organisation's status history as periods: (status, from, to), derived from its events.

The truth stays the founding date and the dated lifecycle events: the status on a day is the
``status_after`` of the latest status-changing event up to that day (the latest recorded, on the
same day), "active" without one, "not yet founded" before the founding date
(``OrganizationQuerySet.active_on_by_events``, ``Organization.status_on``). Counting the
organisations active on an arbitrary date that way needs one lookup per organisation, 116.000
at national scale (issue #9); the periods answer it with one range condition.

The periods are never edited: ``rebuild`` recomputes one organisation's from its founding date
and events, and runs whenever either changes (``Organization.save`` when the founding date
changed, ``LifecycleEvent.save`` and ``delete``). Writes that bypass ``save`` (``bulk_create``
in the demo, the Excel import and the national generator's COPY) call ``rebuild_many`` or
write ``periods_of`` themselves. ``mismatches`` compares the periods with the events.
"""

import datetime
from collections.abc import Iterable

from django.db import transaction

# The status names are the values of ``models.Status``; kept as strings here so that the
# migration that fills the table can use this module with the historical models.
ACTIVE = "active"
BATCH = 5000


def periods_of(
    founded_on: datetime.date, changes: Iterable[tuple[datetime.date, str]]
) -> list[tuple[str, datetime.date, datetime.date | None]]:
    """The (status, from, to) periods of an organisation; ``to`` is exclusive, None while current.

    changes: the (on, status_after) of its status-changing events, in the order they were
    recorded (by date, then id). An event on or before the founding date sets the status the
    organisation starts with; of several events on one day the last one counts.
    """
    periods: list[list] = [[ACTIVE, founded_on, None]]
    for on, status in changes:
        current = periods[-1]
        if on <= current[1]:
            current[0] = status  # on the founding date or earlier, or the same day as the last change
            if len(periods) > 1 and periods[-2][0] == status:
                periods.pop()  # the day's last event undid its first: one period again
                periods[-1][2] = None
        elif status != current[0]:
            current[2] = on
            periods.append([status, on, None])
    return [tuple(p) for p in periods]


def _write(Period, rows: list) -> None:
    Period.objects.bulk_create(
        [Period(organization_id=org_id, status=s, valid_from=f, valid_to=t) for org_id, s, f, t in rows],
        batch_size=BATCH,
    )


def _rebuild(Organization, LifecycleEvent, Period, org_ids: list[int] | None) -> int:
    """Recompute the periods of org_ids (every organisation for None); the number of periods written."""
    orgs = Organization.objects.order_by("pk")
    events = LifecycleEvent.objects.filter(status_after__gt="").order_by("organization_id", "on", "pk")
    periods = Period.objects.all()
    if org_ids is not None:
        orgs, events, periods = (
            orgs.filter(pk__in=org_ids),
            events.filter(organization_id__in=org_ids),
            periods.filter(organization_id__in=org_ids),
        )
    changes: dict[int, list] = {}
    for org_id, on, status in events.values_list("organization_id", "on", "status_after").iterator(chunk_size=BATCH):
        changes.setdefault(org_id, []).append((on, status))
    periods.delete()
    rows, written = [], 0
    for org_id, founded_on in orgs.values_list("pk", "founded_on").iterator(chunk_size=BATCH):
        rows.extend((org_id, *p) for p in periods_of(founded_on, changes.get(org_id, ())))
        if len(rows) >= BATCH:
            _write(Period, rows)
            written, rows = written + len(rows), []
    _write(Period, rows)
    return written + len(rows)


def rebuild_many(org_ids: Iterable[int] | None = None) -> int:
    """Recompute the periods of these organisations (all of them for None), in one transaction."""
    from .models import LifecycleEvent, Organization, StatusPeriod

    ids = None if org_ids is None else list(org_ids)
    with transaction.atomic():
        if ids is None:
            return _rebuild(Organization, LifecycleEvent, StatusPeriod, None)
        written = 0
        for start in range(0, len(ids), BATCH):  # SQLite caps the parameters of one statement
            written += _rebuild(Organization, LifecycleEvent, StatusPeriod, ids[start : start + BATCH])
        return written


def rebuild(org_id: int) -> None:
    """Recompute one organisation's periods (after its founding date or one of its events changed)."""
    rebuild_many([org_id])


def mismatches(days: Iterable[datetime.date]) -> list[tuple[datetime.date, int]]:
    """(day, organisation id) where the periods and the events disagree on "active"; [] when all agree."""
    from .models import Organization

    wrong = []
    for day in days:
        by_periods = set(Organization.objects.active_on(day).values_list("pk", flat=True))
        by_events = set(Organization.objects.active_on_by_events(day).values_list("pk", flat=True))
        wrong.extend((day, pk) for pk in sorted(by_periods ^ by_events))
    return wrong
