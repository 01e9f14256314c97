"""Reads of the API app: tokens, and the public data (directory, profiles, areas, open data).

Everything an anonymous visitor can get about organisations is read here, from the columns
in ``PUBLIC_FIELDS`` only: the public directory page, the profile, the area view, the open
data files and the API's public endpoints cannot show more than this module loads.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Max, QuerySet
from django.utils import timezone

from hoptac.awards.models import RecipientKind
from hoptac.awards.selectors import awards_of
from hoptac.core.text import normalize
from hoptac.geo import selectors as geo
from hoptac.geo.models import REFORM_2025, Level
from hoptac.registry.models import LifecycleEvent, Organization, OrgKind
from hoptac.valuechain.models import PlanProduct, PlanStatus
from hoptac.valuechain.selectors import live_plans, value_chains_of

from .models import ApiToken

# ---------------------------------------------------------------- tokens


def tokens_for(user) -> QuerySet[ApiToken]:
    """Tokens user may see and revoke: their own; an administrator's, everyone's."""
    qs = ApiToken.objects.select_related("user")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if user.is_admin:
        return qs
    return qs.filter(user=user)


# ---------------------------------------------------------------- public organisations

# The columns the public may see (decided with the registry, issue #2): no person, no contact,
# no members, no capital. Loading only these means a template cannot show anything else.
PUBLIC_FIELDS = [
    "code",
    "name",
    "kind",
    "sector",
    "founded_on",
    "commune",
    "commune__code",
    "commune__name",
    "commune__parent",
    "commune__parent__code",
    "commune__parent__name",
    "commune__parent__level",
    "commune__current",
    "commune__current__code",
    "commune__current__name",
]
# Districts were abolished on 01/07/2025; people still look for organisations by the district they knew.
LAST_DISTRICT_DAY = REFORM_2025 - datetime.timedelta(days=1)


def public_organizations(day: datetime.date | None = None) -> QuerySet[Organization]:
    """Organisations operating on day (today by default), not archived, public columns only."""
    day = day or timezone.localdate()
    return (
        Organization.objects.current()
        .active_on(day)
        .select_related("commune__parent", "commune__current")
        .only(*PUBLIC_FIELDS)
        .order_by("name", "id")
    )


def public_organization(code: str) -> Organization | None:
    """One organisation of the public directory by its code, or None if the public may not see it."""
    return public_organizations().filter(code=code).first()


def last_update() -> datetime.datetime | None:
    """When the registry last changed: the latest edit of a record or of a lifecycle event."""
    times = [
        Organization.objects.aggregate(at=Max("modified_on"))["at"],
        LifecycleEvent.objects.aggregate(at=Max("modified_on"))["at"],
    ]
    times = [t for t in times if t]
    return max(times) if times else None


# ---------------------------------------------------------------- the public profile


@dataclass(frozen=True)
class PublicAward:
    on: datetime.date
    number: str
    issuer: str
    issuer_label: str
    form: str
    form_label: str
    title: str


@dataclass(frozen=True)
class PublicValueChain:
    programme: str
    year_from: int
    year_to: int | None
    selected_on: datetime.date
    plans: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PublicProduct:
    name: str
    ocop_stars: int | None
    certification: str


def public_awards(org: Organization) -> list[PublicAward]:
    """Awards the organisation received as a collective; awards to people are never public."""
    rows = awards_of(org).filter(kind=RecipientKind.COLLECTIVE)
    return [
        PublicAward(
            on=r.decision.on,
            number=r.decision.number,
            issuer=r.decision.issuer,
            issuer_label=str(r.decision.get_issuer_display()),
            form=r.decision.form,
            form_label=str(r.decision.get_form_display()),
            title=r.decision.title,
        )
        for r in rows
    ]


# Plans that are decided: a draft may never happen and a cancelled one did not.
PUBLIC_PLAN_STATUSES = (PlanStatus.APPROVED, PlanStatus.IN_PROGRESS, PlanStatus.DONE)


def public_value_chains(org: Organization) -> list[PublicValueChain]:
    """Value-chain programmes the organisation was selected for (not surveys, not scores)."""
    chains = []
    for p in value_chains_of(org):
        if p.selection is None or not p.selection.selected:
            continue
        chains.append(
            PublicValueChain(
                programme=p.programme.name,
                year_from=p.programme.year_from,
                year_to=p.programme.year_to,
                selected_on=p.selection.decided_on,
                plans=[plan.title for plan in p.plans if plan.status in PUBLIC_PLAN_STATUSES],
            )
        )
    return chains


def public_products(org: Organization) -> list[PublicProduct]:
    """Products of the organisation's decided value-chain plans, each name once."""
    rows = (
        PlanProduct.objects.filter(
            archived_on__isnull=True,
            plan__in=live_plans().filter(
                selection__survey__organization=org, selection__selected=True, status__in=PUBLIC_PLAN_STATUSES
            ),
        )
        .order_by("name", "id")
        .values_list("name", "ocop_stars", "certification")
    )
    seen, products = set(), []
    for name, stars, certification in rows:
        if name in seen:
            continue
        seen.add(name)
        products.append(PublicProduct(name=name, ocop_stars=stars, certification=certification))
    return products


# ---------------------------------------------------------------- where the organisations are

KINDS = [k.value for k in OrgKind]
# The row for organisations recorded in a commune created after the last districts.
AFTER_DISTRICTS = 0


@dataclass
class AreaRow:
    unit_id: int | None
    name: str
    by_kind: dict[str, int]
    children: list["AreaRow"] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())

    @property
    def cells(self) -> list[int]:
        return [self.by_kind.get(k, 0) for k in KINDS]


@dataclass
class AreaView:
    day: datetime.date
    district_day: datetime.date
    districts: list[AreaRow]  # district as on district_day, with its communes as they were then
    communes_now: list[AreaRow]  # today's communes
    totals: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.totals.values())

    @property
    def total_cells(self) -> list[int]:
        return [self.totals.get(k, 0) for k in KINDS]


def _row(unit_id: int | None, name: str) -> AreaRow:
    return AreaRow(unit_id=unit_id, name=name, by_kind=dict.fromkeys(KINDS, 0))


def _sorted(rows):
    return sorted(rows, key=lambda r: (r.unit_id is None or r.unit_id == AFTER_DISTRICTS, normalize(r.name), r.name))


def area_view(day: datetime.date | None = None) -> AreaView:
    """Organisations operating on day counted by district (as on 30/06/2025) and commune, and by today's commune.

    Built from the administrative units the product ships, so it needs no map server; three
    queries whatever the number of organisations.
    """
    day = day or timezone.localdate()
    district_day = min(day, LAST_DISTRICT_DAY)
    counts = _commune_kind_counts(day)
    successors = geo.successor_map()
    then = {cid: geo.unit_on(cid, district_day, successors) for cid in {c for c, _k, _n in counts}}
    units = geo.units_by_id(set(then) | set(then.values()))
    current_ids = {cid: units[cid].current_id for cid in then if cid in units}
    units.update(geo.units_by_id(v for v in current_ids.values() if v and v not in units))

    totals = dict.fromkeys(KINDS, 0)
    districts: dict[int, AreaRow] = {}
    communes_then: dict[tuple[int, int], AreaRow] = {}
    communes_now: dict[int | None, AreaRow] = {}
    for commune_id, kind, n in counts:
        totals[kind] += n
        unit_then = units.get(then[commune_id])
        # A commune created after the reform has no district: its own row at the end.
        district = unit_then.parent if unit_then and unit_then.parent and unit_then.level == Level.COMMUNE else None
        if district is None or district.level != Level.DISTRICT:
            key, name = AFTER_DISTRICTS, ""
        else:
            key, name = district.pk, district.name
        districts.setdefault(key, _row(key, name)).by_kind[kind] += n
        if key != AFTER_DISTRICTS:
            communes_then.setdefault((key, unit_then.pk), _row(unit_then.pk, unit_then.name)).by_kind[kind] += n
        now_unit = units.get(current_ids.get(commune_id))
        now_key = now_unit.pk if now_unit else None
        communes_now.setdefault(now_key, _row(now_key, now_unit.name if now_unit else "")).by_kind[kind] += n
    for (district_id, _commune), child in communes_then.items():
        districts[district_id].children.append(child)
    for row in districts.values():
        row.children = _sorted(row.children)
    return AreaView(
        day=day,
        district_day=district_day,
        districts=_sorted(districts.values()),
        communes_now=_sorted(communes_now.values()),
        totals=totals,
    )


def _commune_kind_counts(day: datetime.date) -> list[tuple[int, str, int]]:
    return list(
        Organization.objects.current()
        .active_on(day)
        .values("commune_id", "kind")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("commune_id", "kind", "n")
    )
