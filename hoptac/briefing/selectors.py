"""Reads of reports, and who may see and write them."""

from django.db.models import QuerySet

from hoptac.core.models import Department, Role

from .models import Report, ReportStatus
from .periods import Period, make_period


def can_read_reports(user) -> bool:
    """The alliance's administrators and staff read every report, drafts included."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_alliance)


def can_write_reports(user) -> bool:
    """The office writes and issues the reports; administrators too."""
    return can_read_reports(user) and (
        user.is_admin or (user.role == Role.STAFF and user.department == Department.OFFICE)
    )


def reports_for(user, *, year: int | None = None, archived: bool = False) -> QuerySet[Report]:
    qs = Report.objects.all() if can_read_reports(user) else Report.objects.none()
    qs = qs.filter(archived_on__isnull=not archived)
    if year:
        qs = qs.filter(year=year)
    return qs.select_related("created_by").order_by("-date_to", "-id")


def published_reports(year: int | None = None) -> QuerySet[Report]:
    """What the public portal lists: issued and published reports, newest first."""
    qs = Report.objects.filter(status=ReportStatus.ISSUED, published_on__isnull=False, archived_on__isnull=True)
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-date_to", "-id")


def period_of(report: Report) -> Period:
    return make_period(
        report.period_kind,
        report.year,
        report.period_number,
        date_from=report.date_from,
        date_to=report.date_to,
    )
