"""Reading administrative units: matching names, and following units through time."""

import datetime
from functools import lru_cache

from django.db.models import Q

from hoptac.core.text import normalize

from .models import AdminUnit, Level, UnitChange, bare_name


def units_matching(text: str, *, level: int, on: datetime.date, parent: AdminUnit | None = None):
    """Units of level valid on day whose GSO code or name (with or without unit word) is text.

    "Huyện Tân Yên", "tan yen" and "216" all find Huyện Tân Yên. With parent, only units
    under it (directly or, for communes of the legacy era, through their district).
    """
    text = (text or "").strip()
    if not text:
        return AdminUnit.objects.none()
    qs = AdminUnit.objects.valid_on(on).filter(level=level)
    if text.isdigit():
        width = {Level.PROVINCE: 2, Level.DISTRICT: 3, Level.COMMUNE: 5}[level]
        qs = qs.filter(code=text.zfill(width))
    else:
        qs = qs.filter(match_name=bare_name(text))
        full = normalize(text)
        if full != bare_name(text):
            # The user wrote the unit word: prefer the unit of that kind when names collide.
            exact = [u for u in qs if normalize(u.name) == full]
            if exact:
                qs = AdminUnit.objects.filter(pk__in=[u.pk for u in exact])
    if parent is not None:
        qs = qs.filter(Q(parent=parent) | Q(parent__parent=parent))
    return qs


@lru_cache(maxsize=1)
def _successors(_token: int) -> dict[int, tuple[int, datetime.date]]:
    return {
        pred: (succ, on)
        for pred, succ, on in UnitChange.objects.filter(primary=True).values_list(
            "predecessor_id", "successor_id", "on"
        )
    }


def successor_map() -> dict[int, tuple[int, datetime.date]]:
    """{unit id: (primary successor id, effective date)}; cached until units change."""
    return _successors(UnitChange.objects.count())


def clear_cache() -> None:
    _successors.cache_clear()


def unit_on(unit_id: int, day: datetime.date, successors=None) -> int:
    """The unit that unit_id had become by day (itself if it had not changed yet)."""
    successors = successor_map() if successors is None else successors
    seen = set()
    while unit_id in successors and unit_id not in seen:
        succ, on = successors[unit_id]
        if on > day:
            break
        seen.add(unit_id)
        unit_id = succ
    return unit_id


def units_by_id(ids) -> dict[int, AdminUnit]:
    """Units with their parents, for labelling groups, in one query."""
    return {u.pk: u for u in AdminUnit.objects.filter(pk__in=set(ids)).select_related("parent", "parent__parent")}


def province_units(code: str):
    """Every unit, of any era, whose province has this code: for pickers and scopes."""
    return AdminUnit.objects.filter(
        Q(level=Level.PROVINCE, code=code)
        | Q(parent__code=code, parent__level=Level.PROVINCE)
        | Q(parent__parent__code=code, parent__parent__level=Level.PROVINCE)
    )
