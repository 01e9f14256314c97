"""Reads of the returns app: who may do what, which organisations must file, lists, completeness, dashboard.

Permissions, in one place (each a plain function the views, services and tests call):

- a cooperative's account fills, saves and submits its own organisation's returns, while
  they are drafts or returned for correction;
- area officers enter returns on behalf of the organisations they see, and review them;
- alliance staff of the registry department and administrators do both for every organisation,
  and fill the alliance's own returns;
- only administrators reopen an approved return;
- every alliance account sees every return; area officers and cooperatives their organisations'.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from hoptac.core.models import Department, Role
from hoptac.core.text import normalize
from hoptac.geo import selectors as geo
from hoptac.geo.models import Level
from hoptac.registry.models import Organization
from hoptac.registry.selectors import communes_in_district_on, organizations_for

from .models import Respondent, Return, ReturnForm, Status
from .periods import Period, recent_periods

EDITABLE = (Status.DRAFT, Status.RETURNED)
# A return that was handed in (even if sent back since) counts as submitted for completeness.
HANDED_IN = (Status.SUBMITTED, Status.RETURNED, Status.APPROVED)
DUE_SOON_DAYS = 30
OVERDUE_LOOKBACK_DAYS = 365

# ---------------------------------------------------------------- permissions


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active


def _registry_staff(user) -> bool:
    return _active(user) and (user.is_admin or (user.role == Role.STAFF and user.department == Department.REGISTRY))


def own_organization_id(user) -> int | None:
    if _active(user) and user.role == Role.COOPERATIVE and not user.is_alliance:
        return user.organization_id
    return None


def can_enter_on_behalf(user) -> bool:
    """Enter returns for organisations, download templates and import them: officers, registry staff, admins."""
    return _registry_staff(user) or (_active(user) and user.role == Role.AREA_OFFICER)


def is_reviewer(user) -> bool:
    """Send back and approve returns of organisations one sees: the same people as those who enter on behalf."""
    return can_enter_on_behalf(user)


def sees_return_lists(user) -> bool:
    """The lists, completeness and timeliness of a form: every alliance account and area officers."""
    return _active(user) and (user.is_alliance or user.role == Role.AREA_OFFICER)


def seen_organizations(user) -> QuerySet[Organization]:
    """organizations_for(user), worked out once per request (an officer's area takes a few queries)."""
    cached = getattr(user, "_returns_seen", None)
    if cached is None:
        cached = organizations_for(user)
        if getattr(user, "pk", None):
            user._returns_seen = cached
    return cached


def _sees_organization(user, organization_id: int) -> bool:
    if not _active(user):
        return False
    if user.is_alliance:
        return True
    return seen_organizations(user).filter(pk=organization_id).exists()


def can_fill(user, *, form: ReturnForm, organization: Organization | None) -> bool:
    """Whether user may enter this organisation's (or, with None, the alliance's) return of form."""
    if not _active(user):
        return False
    if form.respondent == Respondent.ALLIANCE or organization is None:
        return form.respondent == Respondent.ALLIANCE and organization is None and _registry_staff(user)
    own = own_organization_id(user)
    if own:
        return own == organization.pk
    return can_enter_on_behalf(user) and _sees_organization(user, organization.pk)


def fills_any_return(user) -> bool:
    """Whether can_fill may say yes for some return: an organisation's own account, or one who enters on behalf."""
    return bool(own_organization_id(user)) or can_enter_on_behalf(user)


def can_edit(user, ret: Return) -> bool:
    """May change the values now: one who may fill it, while it is a draft or returned for correction."""
    return ret.status in EDITABLE and can_fill(user, form=ret.form, organization=ret.organization)


def can_review(user, ret: Return) -> bool:
    """May send back or approve ret (when it is submitted): reviewers who see its organisation.

    The alliance's own returns are reviewed by registry staff and administrators.
    """
    if ret.organization_id is None:
        return _registry_staff(user)
    return is_reviewer(user) and _sees_organization(user, ret.organization_id)


def can_reopen(user, ret: Return) -> bool:
    """Only administrators reopen an approved return."""
    return _active(user) and user.is_admin


def is_on_behalf(user, organization: Organization | None) -> bool:
    """A value entered by someone other than the organisation's own account."""
    return organization is not None and own_organization_id(user) != organization.pk


# ---------------------------------------------------------------- what must be filed


def forms_in_use() -> QuerySet[ReturnForm]:
    """Forms in use: the organisations' first ("organization" sorts after "alliance"), then by code."""
    return ReturnForm.objects.filter(active=True).order_by("-respondent", "code")


def organizations_in_scope(form: ReturnForm, period: Period) -> QuerySet[Organization]:
    """Organisations that must file form for period: of its kinds, operating at the period's start or end.

    Empty for a form the alliance itself files.
    """
    if form.respondent != Respondent.ORGANIZATION:
        return Organization.objects.none()
    qs = Organization.objects.filter(archived_on__isnull=True)
    if form.kinds:
        qs = qs.filter(kind__in=form.kinds)
    active = Q(pk__in=Organization.objects.active_on(period.start).values("pk")) | Q(
        pk__in=Organization.objects.active_on(period.end).values("pk")
    )
    return qs.filter(active)


def in_scope(form: ReturnForm, period: Period, organization: Organization) -> bool:
    return organizations_in_scope(form, period).filter(pk=organization.pk).exists()


def forms_for_organization(organization: Organization) -> list[ReturnForm]:
    """Forms in use that organisations of this kind file."""
    return [f for f in forms_in_use() if f.respondent == Respondent.ORGANIZATION and _kind_files(f, organization.kind)]


def _kind_files(form: ReturnForm, kind: str) -> bool:
    return not form.kinds or kind in form.kinds


# ---------------------------------------------------------------- returns and lists


def returns_for(user) -> QuerySet[Return]:
    """Returns user may see: all for the alliance; their organisations' for officers and cooperatives."""
    qs = Return.objects.all()
    if not _active(user):
        return qs.none()
    if user.is_alliance:
        return qs
    own = own_organization_id(user)
    if own:
        return qs.filter(organization_id=own)
    if user.role == Role.AREA_OFFICER:
        return qs.filter(organization__in=seen_organizations(user))
    return qs.none()


def return_for_period(form: ReturnForm, period: Period, organization: Organization | None) -> Return | None:
    return Return.objects.filter(form=form, organization=organization, year=period.year, quarter=period.quarter).first()


@dataclass
class ReturnFilters:
    status: str = ""
    district: int | None = None  # a district-level unit as it was at the period's end
    kind: str = ""
    flagged: bool = False
    q: str = ""


def return_list(user, form: ReturnForm, period: Period, filters: ReturnFilters | None = None) -> QuerySet[Return]:
    """The returns of form for period user may see, filtered; related rows joined (constant queries)."""
    filters = filters or ReturnFilters()
    qs = returns_for(user).filter(form=form, year=period.year, quarter=period.quarter)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.kind:
        qs = qs.filter(organization__kind=filters.kind)
    if filters.district:
        qs = qs.filter(organization__commune_id__in=communes_in_district_on(filters.district, period.end))
    if filters.flagged:
        qs = qs.exclude(flags=[])
    if filters.q:
        qs = qs.filter(organization__in=Organization.objects.search(filters.q))
    return qs.select_related("organization", "organization__commune", "organization__commune__parent").order_by(
        "organization__name", "id"
    )


def status_counts(qs: QuerySet[Return]) -> dict[str, int]:
    counts = dict.fromkeys(Status.values, 0)
    counts.update(dict(qs.order_by().values_list("status").annotate(n=Count("id"))))
    return counts


# ---------------------------------------------------------------- completeness and timeliness

ON_TIME, LATE, MISSING = "on_time", "late", "missing"


@dataclass(slots=True)
class OrganizationContact:
    """What a completeness row shows of an organisation: plain values, not a model instance.

    Nationally the page reads 24.000 organisations and as many returns (issue #9); building
    them as model instances took about a second.
    """

    pk: int
    code: str
    name: str
    commune_id: int | None
    representative: str
    phone: str
    email: str


@dataclass(slots=True)
class ReturnState:
    """What a completeness row shows of a return."""

    pk: int
    status: str
    submitted_on: datetime.date | None


@dataclass
class CompletenessRow:
    organization: OrganizationContact
    area: str
    area_id: int | None
    state: str  # ON_TIME, LATE, MISSING
    ret: ReturnState | None = None

    @property
    def submitted_on(self) -> datetime.date | None:
        return self.ret.submitted_on if self.ret and self.ret.status in HANDED_IN else None

    @property
    def return_status(self) -> str:
        return self.ret.status if self.ret else ""


@dataclass
class AreaCount:
    area: str
    area_id: int | None
    expected: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0

    @property
    def submitted(self) -> int:
        return self.on_time + self.late

    @property
    def rate(self) -> float:
        return 100 * self.submitted / self.expected if self.expected else 0.0


@dataclass
class Completeness:
    """Who had to file form for period, who did on time, late, or not at all, by area as it was then."""

    form: ReturnForm
    period: Period
    due: datetime.date
    rows: list[CompletenessRow] = field(default_factory=list)
    areas: list[AreaCount] = field(default_factory=list)
    total: AreaCount = field(default_factory=lambda: AreaCount("", None))

    def rows_in(self, state: str) -> list[CompletenessRow]:
        return [r for r in self.rows if r.state == state]

    @property
    def missing(self) -> list[CompletenessRow]:
        return self.rows_in(MISSING)

    def as_dict(self) -> dict:
        def counts(a: AreaCount) -> dict:
            return {
                "expected": a.expected,
                "submitted": a.submitted,
                "on_time": a.on_time,
                "late": a.late,
                "missing": a.missing,
                "rate": round(a.rate, 1),
            }

        return {
            "form": self.form.code,
            "period": self.period.slug,
            "due": self.due.isoformat(),
            "total": counts(self.total),
            "areas": [{"area": a.area, **counts(a)} for a in self.areas],
            "missing": [
                {
                    "code": r.organization.code,
                    "name": r.organization.name,
                    "area": r.area,
                    "representative": r.organization.representative,
                    "phone": r.organization.phone,
                    "email": r.organization.email,
                    "status": r.return_status or None,
                }
                for r in self.missing
            ],
            "late": [
                {"code": r.organization.code, "name": r.organization.name, "submitted_on": r.submitted_on.isoformat()}
                for r in self.rows_in(LATE)
            ],
        }


UNKNOWN_AREA = "—"


def _areas_then(commune_ids, day: datetime.date) -> dict[int, tuple[int | None, str]]:
    """{commune id: (area id, area name)}: the district-level unit the commune belonged to on day.

    After the 2025 reform there are no districts: the area is the commune's province then.
    """
    successors = geo.successor_map()
    then = {c: geo.unit_on(c, day, successors) for c in set(commune_ids)}
    units = geo.units_by_id(then.values())
    areas = {}
    for commune_id, unit_id in then.items():
        unit = units.get(unit_id)
        area = unit.parent if unit and unit.level == Level.COMMUNE and unit.parent_id else unit
        areas[commune_id] = (area.pk, area.name) if area else (None, UNKNOWN_AREA)
    return areas


def completeness(
    form: ReturnForm, period: Period, *, user=None, organizations: QuerySet[Organization] | None = None
) -> Completeness:
    """Completeness and timeliness of form for period: every organisation in scope (that user sees).

    On time: handed in by the due date (the first submission counts, even if sent back since);
    late: handed in after it; missing: not handed in (including drafts never submitted).
    """
    due = period.due_on(form)
    report = Completeness(form=form, period=period, due=due)
    expected = organizations if organizations is not None else organizations_in_scope(form, period)
    if user is not None and not user.is_alliance:
        expected = expected.filter(pk__in=seen_organizations(user).values("pk"))
    # Only the values the page, the export and the command show: nationally these are some
    # 24.000 organisations (issue #9). The returns of the period are read whole and matched
    # here: naming the 24.000 ids in the SQL, or the scope again as a subquery (0,8 s), cost
    # more than the few returns of organisations outside it, which are never shown.
    orgs = [
        OrganizationContact(*values)
        for values in expected.order_by("name", "id").values_list(
            "id", "code", "name", "commune_id", "representative", "phone", "email"
        )
    ]
    returns = {
        organization_id: ReturnState(pk, status, submitted_on)
        for pk, organization_id, status, submitted_on in Return.objects.filter(
            form=form, year=period.year, quarter=period.quarter
        ).values_list("id", "organization_id", "status", "submitted_on")
    }
    areas = _areas_then([o.commune_id for o in orgs], period.end)
    by_area: dict[int | None, AreaCount] = {}
    for org in orgs:
        area_id, area_name = areas[org.commune_id]
        ret = returns.get(org.pk)
        if ret is not None and ret.status in HANDED_IN and ret.submitted_on:
            state = ON_TIME if ret.submitted_on <= due else LATE
        else:
            state = MISSING
        report.rows.append(CompletenessRow(org, area_name, area_id, state, ret))
        count = by_area.setdefault(area_id, AreaCount(area_name, area_id))
        for target in (count, report.total):
            target.expected += 1
            setattr(target, state, getattr(target, state) + 1)
    report.areas = sorted(by_area.values(), key=lambda a: (a.area == UNKNOWN_AREA, normalize(a.area)))
    # Tens or hundreds of areas for 24.000 rows nationally: normalise each area's name once.
    area_key = {a.area: (a.area == UNKNOWN_AREA, normalize(a.area)) for a in report.areas}
    report.rows.sort(key=lambda r: (*area_key[r.area], normalize(r.organization.name)))
    return report


# ---------------------------------------------------------------- the cooperative's own list and the home page


@dataclass
class Due:
    """A return someone has to file: which form, which period, by when, and where it stands."""

    form: ReturnForm
    period: Period
    due: datetime.date
    organization: Organization | None
    ret: Return | None = None

    @property
    def status(self) -> str:
        return self.ret.status if self.ret else ""

    @property
    def handed_in(self) -> bool:
        return self.ret is not None and self.ret.status in HANDED_IN and self.ret.status != Status.RETURNED

    def overdue(self, today: datetime.date) -> bool:
        return not self.handed_in and self.due < today

    def days_left(self, today: datetime.date) -> int:
        return (self.due - today).days


def dues_of_organization(organization: Organization, today: datetime.date, *, back: int = 3) -> list[Due]:
    """The organisation's returns of recent periods it had to file (and any older ones it has), newest first."""
    dues: list[Due] = []
    existing = {
        (r.form_id, r.year, r.quarter): r
        for r in Return.objects.filter(organization=organization).select_related("form")
    }
    seen = set()
    for form in forms_for_organization(organization):
        for period in recent_periods(form, today, back=back):
            key = (form.pk, period.year, period.quarter)
            ret = existing.get(key)
            if ret is None and not in_scope(form, period, organization):
                continue
            seen.add(key)
            dues.append(Due(form, period, period.due_on(form), organization, ret))
    for key, ret in existing.items():
        if key not in seen:
            period = Period(ret.year, ret.quarter)
            dues.append(Due(ret.form, period, period.due_on(ret.form), organization, ret))
    dues.sort(key=lambda d: (-d.due.toordinal(), d.form.code))
    return dues


@dataclass
class FormPeriodCount:
    """How far one form's period has got: to hand in, handed in, waiting for review, approved."""

    form: ReturnForm
    period: Period
    due: datetime.date
    expected: int
    handed_in: int
    submitted: int  # waiting for review
    approved: int
    alliance_return: Return | None = None

    @property
    def missing(self) -> int:
        return max(self.expected - self.handed_in, 0)

    def overdue(self, today: datetime.date) -> bool:
        return self.missing > 0 and self.due < today


def form_period_counts(user, form: ReturnForm, period: Period) -> FormPeriodCount:
    """The counts of one form and period among the organisations user sees (a few queries)."""
    due = period.due_on(form)
    if form.respondent == Respondent.ALLIANCE:
        ret = return_for_period(form, period, None)
        handed = int(ret is not None and ret.status in HANDED_IN)
        return FormPeriodCount(
            form,
            period,
            due,
            1,
            handed,
            int(ret is not None and ret.status == Status.SUBMITTED),
            int(ret is not None and ret.status == Status.APPROVED),
            alliance_return=ret,
        )
    expected = organizations_in_scope(form, period)
    returns = Return.objects.filter(form=form, year=period.year, quarter=period.quarter)
    if not user.is_alliance:
        seen = seen_organizations(user).values("pk")
        expected = expected.filter(pk__in=seen)
        returns = returns.filter(organization_id__in=seen)
    counts = status_counts(returns.filter(organization__in=expected))
    return FormPeriodCount(
        form,
        period,
        due,
        expected.count(),
        sum(counts[s] for s in HANDED_IN),
        counts[Status.SUBMITTED],
        counts[Status.APPROVED],
    )


def _window(period: Period, form: ReturnForm, today: datetime.date) -> bool:
    due = period.due_on(form)
    return (
        today - datetime.timedelta(days=OVERDUE_LOOKBACK_DAYS) <= due <= today + datetime.timedelta(days=DUE_SOON_DAYS)
    )


@dataclass
class Dashboard:
    """What the home page shows about returns: a cooperative's own dues, or staff's counts per form."""

    today: datetime.date
    dues: list[Due] = field(default_factory=list)
    counts: list[FormPeriodCount] = field(default_factory=list)

    @property
    def overdue(self) -> list[Due]:
        return [d for d in self.dues if d.overdue(self.today)]

    @property
    def due_soon(self) -> list[Due]:
        return [d for d in self.dues if not d.overdue(self.today)]


def dashboard_for(user, today: datetime.date) -> Dashboard | None:
    """Overdue and due-soon returns user should act on; None when there is nothing to show.

    A cooperative sees its own returns not yet handed in whose deadline is within the next
    30 days or passed in the last year; staff and officers the counts of those periods per form.
    """
    if not _active(user):
        return None
    own = own_organization_id(user)
    if own:
        organization = Organization.objects.filter(pk=own).first()
        if organization is None:
            return None
        dues = [
            d
            for d in dues_of_organization(organization, today, back=1)
            if not d.handed_in and _window(d.period, d.form, today)
        ]
        return Dashboard(today, dues=sorted(dues, key=lambda d: d.due)) if dues else None
    if not sees_return_lists(user):
        return None
    counts = []
    for form in forms_in_use():
        if form.respondent == Respondent.ALLIANCE and not _registry_staff(user):
            continue
        for period in recent_periods(form, today, back=4):
            if not _window(period, form, today):
                continue
            count = form_period_counts(user, form, period)
            if count.missing or count.submitted:
                counts.append(count)
    counts.sort(key=lambda c: (c.due, c.form.code))
    return Dashboard(today, counts=counts) if counts else None


# ---------------------------------------------------------------- staff's index


def periods_of_index(form: ReturnForm, today: datetime.date, *, back: int = 2, filed: int = 2) -> list[Period]:
    """The periods the index shows for a form: the recent ones, and the latest ones that have returns."""
    periods = set(recent_periods(form, today, back=back))
    with_returns = (
        Return.objects.filter(form=form).order_by("-year", "-quarter").values_list("year", "quarter").distinct()
    )
    periods |= {Period(year, quarter) for year, quarter in with_returns[:filed]}
    return sorted(periods, reverse=True)


def index_counts(user, today: datetime.date) -> list[tuple[ReturnForm, list[FormPeriodCount]]]:
    """For each form in use, the counts of its recent periods and of the latest with returns (newest first)."""
    result = []
    for form in forms_in_use():
        if form.respondent == Respondent.ALLIANCE and not user.is_alliance:
            continue
        result.append((form, [form_period_counts(user, form, p) for p in periods_of_index(form, today)]))
    return result


def flagged_counter(returns) -> Counter:
    """How many returns flag each indicator."""
    counter: Counter = Counter()
    for ret in returns:
        for flag in ret.flags or []:
            counter[flag.get("indicator")] += 1
    return counter


def group_by_section(items, key=lambda item: item.section):
    """Items in their order, grouped by consecutive section: [(section, [items])]."""
    groups: dict[str, list] = defaultdict(list)
    order: list[str] = []
    for item in items:
        section = key(item)
        if section not in groups:
            order.append(section)
        groups[section].append(item)
    return [(s, groups[s]) for s in order]
