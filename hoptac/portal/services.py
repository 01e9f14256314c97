"""Writes of the portal outside Wagtail's editor: the visit counters.

Counters are not audited: a page view is not a change anybody made, and the audit log
would grow by one entry per visitor.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F

from .models import DailyVisits

PATH_MAX = DailyVisits._meta.get_field("path").max_length


def visit_record(*, path: str, day: datetime.date) -> None:
    """Add one view of path on day: one UPDATE, or one INSERT for the day's first view of the page."""
    path = path[:PATH_MAX]
    if DailyVisits.objects.filter(day=day, path=path).update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            DailyVisits.objects.create(day=day, path=path, count=1)
    except IntegrityError:
        # Another request inserted the row between our UPDATE and INSERT.
        DailyVisits.objects.filter(day=day, path=path).update(count=F("count") + 1)
