"""Grading a cooperative from its score sheet (Circular 01/2020/TT-BKHĐT).

The total is the sum of the sheet's scores; the grade follows from the bands Tốt 80–100,
Khá 65–<80, Trung bình 50–<65, Yếu <50. A cooperative is not graded for a year in which it
operated under 12 months (founded after 1 January of that year) or was stopped — suspended,
dissolving or ended — more than three months in total; the reason is kept with the grade.
"""

import datetime
from collections.abc import Iterable

from hoptac.core.formatting import vi_date
from hoptac.registry.models import LifecycleEvent, Organization, Status

from .models import Grade

GRADING_FORM = "grading"
BANDS = [(80, Grade.GOOD), (65, Grade.FAIR), (50, Grade.AVERAGE)]
# "More than three months": longer than any three consecutive calendar months can be (92 days).
STOPPED_DAYS_MAX = 92


def grade_for(total: int) -> str:
    """The grade of a total score."""
    for lowest, grade in BANDS:
        if total >= lowest:
            return grade
    return Grade.WEAK


def stopped_days(organization: Organization, year: int, events: Iterable[LifecycleEvent] | None = None) -> int:
    """Days of year during which the organisation was not operating (after it was founded).

    events are the organisation's lifecycle events (all of them, any order); read when not given.
    """
    if events is None:
        events = organization.events.all()
    changes = sorted(
        ((e.on, e.pk or 0, e.status_after) for e in events if e.status_after), key=lambda change: change[:2]
    )
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    status = Status.ACTIVE
    for on, _pk, after in changes:
        if on < start:
            status = after
    day = max(start, organization.founded_on)
    if day > end:
        return 0
    stopped = 0
    for on, _pk, after in changes:
        if on < day:
            continue
        if on > end:
            break
        if status != Status.ACTIVE:
            stopped += (on - day).days
        day, status = on, after
    if status != Status.ACTIVE:
        stopped += (end - day).days + 1
    return stopped


def not_graded_reason(organization: Organization, year: int, events=None) -> str:
    """Why the organisation is not graded for year (in Vietnamese, kept with the grade), or ""."""
    if organization.founded_on > datetime.date(year, 1, 1):
        return (
            f"Hoạt động chưa đủ 12 tháng trong năm {year} (thành lập ngày {vi_date(organization.founded_on)}), "
            "không xếp loại."
        )
    days = stopped_days(organization, year, events)
    if days > STOPPED_DAYS_MAX:
        return f"Ngừng hoạt động {days} ngày trong năm {year} (quá 3 tháng), không xếp loại."
    return ""


def grading_result(organization: Organization, year: int, total: int, events=None) -> tuple[str, str]:
    """(grade, reason): NOT_GRADED with the reason, or the band of total."""
    reason = not_graded_reason(organization, year, events)
    if reason:
        return Grade.NOT_GRADED, reason
    return grade_for(total), ""
