"""Template filters of the returns pages: names in the interface language, statuses, grades."""

from django import template
from django.utils.translation import get_language, pgettext_lazy

from hoptac.returns.models import Grade, Status

register = template.Library()

STATUS_BADGES = {
    Status.DRAFT: "badge",
    Status.SUBMITTED: "badge-warning",
    Status.RETURNED: "badge-danger",
    Status.APPROVED: "badge-active",
}
# A return's status in the returns' own words ("nộp báo cáo", not a document's "trình").
STATUS_LABELS = {
    Status.DRAFT: pgettext_lazy("return status", "Draft"),
    Status.SUBMITTED: pgettext_lazy("return status", "Submitted"),
    Status.RETURNED: pgettext_lazy("return status", "Returned for correction"),
    Status.APPROVED: pgettext_lazy("return status", "Approved"),
}
GRADE_BADGES = {
    Grade.GOOD: "badge-active",
    Grade.FAIR: "badge",
    Grade.AVERAGE: "badge-warning",
    Grade.WEAK: "badge-danger",
    Grade.NOT_GRADED: "badge-inactive",
}


@register.filter
def local_name(obj) -> str:
    """An indicator's or a form's name in the interface language (Vietnamese unless English is chosen)."""
    if obj is None:
        return ""
    language = get_language() or "vi"
    if language.startswith("en") and getattr(obj, "name_en", ""):
        return obj.name_en
    return getattr(obj, "name_vi", str(obj))


@register.filter
def status_badge(status: str) -> str:
    return STATUS_BADGES.get(status, "badge")


@register.filter
def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


@register.filter
def grade_badge(grade: str) -> str:
    return GRADE_BADGES.get(grade, "badge")
