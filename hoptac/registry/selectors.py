"""Reads of the registry: who may see what, lists, and the statistics every page shares.

Every figure about organisations comes from ``registry_statistics``, so the statistics
page, its xlsx, the ``stats`` command and later the quarterly report cannot disagree.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import BigIntegerField, Case, Count, Exists, F, OuterRef, Q, QuerySet, When

from hoptac.core.models import Role
from hoptac.core.text import normalize
from hoptac.geo import selectors as geo
from hoptac.geo.models import AdminUnit, Level, UnitChange, bare_name

from .models import (
    ENDING_KINDS,
    LifecycleEvent,
    Membership,
    NationalGroup,
    Organization,
    OrgKind,
    Sector,
    national_group,
)

# ---------------------------------------------------------------- access


def area_commune_ids(user) -> set[int]:
    """Communes (of every era) inside an area officer's units.

    The communes under the units, plus every later commune they became: after 07/2025
    communes hang directly under the province, and a Tân Yên officer keeps seeing the
    organisations of the communes Tân Yên's communes were merged into.
    """
    area_ids = list(user.areas.values_list("pk", flat=True))
    if not area_ids:
        return set()
    ids = set(
        AdminUnit.objects.filter(
            Q(pk__in=area_ids) | Q(parent_id__in=area_ids) | Q(parent__parent_id__in=area_ids), level=Level.COMMUNE
        ).values_list("pk", flat=True)
    )
    frontier = ids
    while frontier:
        later = set(UnitChange.objects.filter(predecessor_id__in=frontier).values_list("successor_id", flat=True))
        frontier = later - ids
        ids |= frontier
    return ids


def organizations_for(user) -> QuerySet[Organization]:
    """Organisations user may see: all for the alliance, their area's, or their own."""
    qs = Organization.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if user.is_alliance:
        return qs
    if user.role == Role.AREA_OFFICER:
        return qs.filter(commune_id__in=area_commune_ids(user))
    if user.role == Role.COOPERATIVE and user.organization_id:
        return qs.filter(pk=user.organization_id)
    return qs.none()


def can_edit(user, organization: Organization) -> bool:
    """Alliance staff and area officers edit what they see; a cooperative edits its own record."""
    return organizations_for(user).filter(pk=organization.pk).exists()


def can_manage_registry(user) -> bool:
    """Import, archive and lifecycle events: the alliance and area officers, not cooperatives."""
    return getattr(user, "is_authenticated", False) and (user.is_alliance or user.role == Role.AREA_OFFICER)


# ---------------------------------------------------------------- lists


@dataclass
class ListFilters:
    q: str = ""
    kind: str = ""
    sector: str = ""
    status: str = ""  # active / inactive / all
    as_of: datetime.date | None = None
    district: int | None = None  # a district-level unit, as it was then
    commune_now: int | None = None  # a commune of the current era
    member: str = ""  # "yes" / "no"
    archived: bool = False


def organization_list(user, filters: ListFilters) -> QuerySet[Organization]:
    """The organisations user may see, filtered; one query, related rows joined."""
    day = filters.as_of or datetime.date.today()
    qs = organizations_for(user)
    qs = qs.filter(archived_on__isnull=not filters.archived)
    if filters.q:
        qs = qs.search(filters.q)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.sector:
        qs = qs.filter(sector=filters.sector)
    if filters.status == "active":
        qs = qs.active_on(day)
    elif filters.status == "inactive":
        qs = qs.exclude(pk__in=Organization.objects.active_on(day).values("pk"))
    if filters.district:
        qs = qs.filter(commune_id__in=communes_in_district_on(filters.district, day))
    if filters.commune_now:
        qs = qs.filter(commune__current_id=filters.commune_now)
    if filters.member in ("yes", "no"):
        member = Membership.objects.filter(
            Q(left_on__isnull=True) | Q(left_on__gte=day), organization=OuterRef("pk"), joined_on__lte=day
        )
        qs = qs.filter(Exists(member)) if filters.member == "yes" else qs.exclude(Exists(member))
    return qs.with_status_on(day).select_related("commune", "commune__parent").order_by("name", "id")


def communes_in_district_on(district_id: int, day: datetime.date) -> list[int]:
    """Communes (with organisations) whose district on day was district_id, following unit changes."""
    successors = geo.successor_map()
    communes = AdminUnit.objects.filter(level=Level.COMMUNE, organizations__isnull=False).values_list("pk", flat=True)
    then = {c: geo.unit_on(c, day, successors) for c in set(communes)}
    parent = dict(AdminUnit.objects.filter(pk__in=set(then.values())).values_list("pk", "parent_id"))
    return [c for c, t in then.items() if parent.get(t) == district_id]


def district_choices(day: datetime.date, province_code: str):
    """District-level units of the province as they were on day (none after 07/2025)."""
    return AdminUnit.objects.valid_on(day).filter(level=Level.DISTRICT, parent__code=province_code).order_by("name")


def current_commune_choices(province_code: str):
    """Communes of the province today, for "as it is now" filters."""
    return AdminUnit.objects.filter(
        level=Level.COMMUNE, valid_to__isnull=True, parent__code=province_code, parent__valid_to__isnull=True
    ).order_by("name")


# ---------------------------------------------------------------- statistics

UNKNOWN = "—"
# The area id a drilldown uses for the organisations the statistics put under UNKNOWN.
UNKNOWN_AREA = 0
# The national split (nông nghiệp / phi nông nghiệp / QTDND) counts cooperatives, unions and
# credit funds, the types of the annual report form; cooperative groups are counted apart.
NATIONAL_SPLIT_KINDS = (OrgKind.HTX, OrgKind.LHHTX, OrgKind.QTDND)


def national_group_filter(group: str) -> Q:
    """The organisations one national group of ``Statistics.active_by_group`` counts."""
    coops = Q(kind__in=[OrgKind.HTX, OrgKind.LHHTX])
    if group == NationalGroup.QTDND:
        return Q(kind=OrgKind.QTDND)
    if group == NationalGroup.AGRICULTURE:
        return coops & Q(sector=Sector.AGRICULTURE)
    if group == NationalGroup.NON_AGRICULTURE:
        return coops & ~Q(sector=Sector.AGRICULTURE)
    raise ValueError(f"unknown national group {group!r}")


@dataclass
class Statistics:
    """Counts on a date, and flows over a period, grouped by area."""

    as_of: datetime.date
    date_from: datetime.date | None
    grouping: str  # "then": district-level units on as_of; "now": communes of today; "province": provinces of today
    active: dict[str, int] = field(default_factory=dict)  # by kind
    active_by_group: dict[str, int] = field(default_factory=dict)  # national split (HTX, LHHTX, QTDND)
    active_by_sector: dict[str, dict[str, int]] = field(default_factory=dict)  # kind -> sector -> n
    areas: list[dict] = field(default_factory=list)  # [{"area", "area_id", "parent", "by_kind", "total"}]
    founded: dict[str, int] = field(default_factory=dict)
    dissolved: dict[str, int] = field(default_factory=dict)

    @property
    def total_active(self) -> int:
        return sum(self.active.values())

    def as_dict(self) -> dict:
        data = {
            "as_of": self.as_of.isoformat(),
            "from": self.date_from.isoformat() if self.date_from else None,
            "grouping": self.grouping,
            "active": self.active,
            "active_total": self.total_active,
            "active_by_national_group": self.active_by_group,
            "active_by_kind_and_sector": self.active_by_sector,
            "areas": self.areas,
        }
        if self.date_from:
            data["founded"] = self.founded
            data["dissolved"] = self.dissolved
        return data


# The grouping of figures without areas: the counts by kind and sector only (the quarterly report's).
NO_AREAS = "none"

# Past this many ids, reading every unit (about 15.000 rows of three numbers) is quicker than
# naming the ids in the query: at national scale the driver spent 0,1–0,2 s writing 10.000 of them.
IN_LIST_LIMIT = 1000


def _area_ids(resolved: dict[int, int | None]) -> dict[int, int | None]:
    """{commune id: id of its district as then} from {commune id: the unit it had become on the date}.

    The area is a commune's district (its parent), or the unit itself above commune level.
    Reads only ids, levels and parents: at national scale (issue #9) that is 10.000 communes,
    and building them as model instances took seconds.
    """
    ids = {v for v in resolved.values() if v}
    units = AdminUnit.objects.order_by()
    if len(ids) <= IN_LIST_LIMIT:
        units = units.filter(pk__in=ids)
    placed = {
        pk: parent_id if level == Level.COMMUNE else pk
        for pk, level, parent_id in units.values_list("pk", "level", "parent_id")
    }
    return {cid: placed.get(unit_id) if unit_id else None for cid, unit_id in resolved.items()}


def province_today(via: str) -> Case:
    """SQL: the id of the province of today the unit at the path via lies in (NULL if none).

    The province is the first unit of level PROVINCE among the unit, its parent and its
    grandparent: after 07/2025 a commune hangs directly under its province, but a commune an
    administrator kept under a district reaches it through the district. A province that has
    ended (Bắc Giang, 30/06/2025) counts as the province it became (its ``current``). In SQL
    so that the national statistics group 116.000 organisations by 34 provinces in one query,
    and the drilldown filters with the very same expression.
    """
    whens = []
    for up in ("", "parent__", "parent__parent__"):
        unit = f"{via}{up}"
        whens += [
            When(**{f"{unit}level": Level.PROVINCE, f"{unit}valid_to__isnull": True}, then=F(f"{unit}id")),
            When(**{f"{unit}level": Level.PROVINCE}, then=F(f"{unit}current_id")),
        ]
    return Case(*whens, default=None, output_field=BigIntegerField())


def registry_statistics(
    *,
    as_of: datetime.date,
    date_from: datetime.date | None = None,
    grouping: str = "then",
    queryset: QuerySet[Organization] | None = None,
) -> Statistics:
    """Organisations active on as_of by kind, sector and area; founded and ended since date_from.

    grouping "then" puts each organisation in the district-level unit its commune belonged
    to on as_of (after 07/2025, the province); "now" in today's commune; "province" in the
    province of today's commune (issue #9: 34 rows at national scale instead of 3.300);
    NO_AREAS counts by kind and sector only (``areas`` stays empty).
    """
    base = (queryset if queryset is not None else Organization.objects.all()).filter(archived_on__isnull=True)
    stats = Statistics(as_of=as_of, date_from=date_from, grouping=grouping)
    kinds = [k.value for k in OrgKind]
    stats.active = dict.fromkeys(kinds, 0)
    stats.active_by_group = {g.value: 0 for g in NationalGroup}
    stats.active_by_sector = {k: dict.fromkeys([s.value for s in Sector], 0) for k in kinds}

    active = base.active_on(as_of)
    # Rows (kind, sector, area id, n) as tuples: at national scale "then" reads 43.000 of them.
    if grouping == NO_AREAS:
        rows = [
            (kind, sector, None, n)
            for kind, sector, n in active.values_list("kind", "sector").annotate(Count("id")).order_by()
        ]
    elif grouping == "province":
        # Grouped by the province itself: a few hundred rows, and no commune to look up.
        area = province_today("commune__current__")
        rows = list(
            active.values("kind", "sector", area_id=area)
            .annotate(n=Count("id"))
            .order_by()
            .values_list("kind", "sector", "area_id", "n")
        )
    elif grouping == "now":
        # Today's commune is a column of the commune: grouped by it in the database.
        rows = list(
            active.values("kind", "sector", area_id=F("commune__current_id"))
            .annotate(n=Count("id"))
            .order_by()
            .values_list("kind", "sector", "area_id", "n")
        )
    else:
        rows = list(
            active.values("kind", "sector", "commune_id")
            .annotate(n=Count("id"))
            .order_by()
            .values_list("kind", "sector", "commune_id", "n")
        )
        successors = geo.successor_map()
        resolved = {c: geo.unit_on(c, as_of, successors) for c in {row[2] for row in rows}}
        area_of = _area_ids(resolved)
        rows = [(kind, sector, area_of[commune_id], n) for kind, sector, commune_id, n in rows]

    by_area: dict[int | None, dict[str, int]] = defaultdict(lambda: dict.fromkeys(kinds, 0))
    for kind, sector, area_id, n in rows:
        stats.active[kind] += n
        if kind in NATIONAL_SPLIT_KINDS:
            stats.active_by_group[national_group(kind, sector)] += n
        stats.active_by_sector[kind][sector] += n
        by_area[area_id][kind] += n

    area_units = geo.units_by_id(k for k in by_area if k)
    for area_id, counts in by_area.items() if grouping != NO_AREAS else ():
        unit = area_units.get(area_id)
        stats.areas.append(
            {
                "area": unit.name if unit else UNKNOWN,
                "area_id": area_id,
                "parent": unit.parent.name if unit and unit.parent_id else "",
                "by_kind": counts,
                "total": sum(counts.values()),
            }
        )
    # Accent-insensitive, so "Phường Đa Mai" sorts among the D's, not after the Y's.
    # Provinces by their own name: "Tỉnh An Giang" before "Thành phố Cần Thơ".
    by_name = bare_name if grouping == "province" else normalize
    stats.areas.sort(key=lambda a: (a["area"] == UNKNOWN, by_name(a["area"]), a["area"]))

    if date_from:
        founded = base.filter(founded_on__gte=date_from, founded_on__lte=as_of)
        stats.founded = dict.fromkeys(kinds, 0) | dict(founded.values_list("kind").annotate(n=Count("id")).order_by())
        ended = base.filter(
            Exists(
                LifecycleEvent.objects.filter(
                    organization=OuterRef("pk"), kind__in=ENDING_KINDS, on__gte=date_from, on__lte=as_of
                )
            )
        )
        stats.dissolved = dict.fromkeys(kinds, 0) | dict(ended.values_list("kind").annotate(n=Count("id")).order_by())
    return stats


def statistics_drilldown(
    *,
    as_of: datetime.date,
    kind: str = "",
    area_id: int | None = None,
    grouping: str = "then",
    queryset: QuerySet[Organization] | None = None,
    sector: str = "",
    group: str = "",
    measure: str = "active",
    date_from: datetime.date | None = None,
) -> QuerySet[Organization]:
    """The organisations behind one count of ``registry_statistics``.

    measure "active" counts those active on as_of; "founded" and "dissolved" those founded,
    or ended, between date_from and as_of. sector and group (a national group) narrow as the
    kind × sector table and the national split do; area_id UNKNOWN_AREA gives the "—" row.
    """
    qs = (queryset if queryset is not None else Organization.objects.all()).filter(archived_on__isnull=True)
    if measure == "active":
        qs = qs.active_on(as_of)
    elif measure == "founded":
        qs = qs.filter(founded_on__gte=date_from, founded_on__lte=as_of) if date_from else qs.none()
    elif measure == "dissolved":
        qs = (
            qs.filter(
                Exists(
                    LifecycleEvent.objects.filter(
                        organization=OuterRef("pk"), kind__in=ENDING_KINDS, on__gte=date_from, on__lte=as_of
                    )
                )
            )
            if date_from
            else qs.none()
        )
    else:
        raise ValueError(f"unknown measure {measure!r}")
    if kind:
        qs = qs.filter(kind=kind)
    if sector:
        qs = qs.filter(sector=sector)
    if group:
        qs = qs.filter(national_group_filter(group))
    if grouping == "province" and area_id is not None:
        # The expression the statistics grouped by; NULL is the "—" row.
        qs = qs.alias(province=province_today("commune__current__"))
        qs = qs.filter(province__isnull=True) if area_id == UNKNOWN_AREA else qs.filter(province=area_id)
    elif area_id == UNKNOWN_AREA:
        # Only "as now" can fail to place a commune: one merged away with no successor recorded.
        qs = qs.filter(commune__current__isnull=True) if grouping == "now" else qs.none()
    elif area_id:
        if grouping == "now":
            qs = qs.filter(commune__current_id=area_id)
        else:
            qs = qs.filter(commune_id__in=communes_in_district_on(area_id, as_of))
    return qs.select_related("commune", "commune__parent")
