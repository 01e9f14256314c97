"""Reads behind the statistics from returns: the figures, the organisations behind each, the grades.

Every figure is computed live from the values of the returns that count: approved ones,
and on request those submitted and not yet approved. Nothing is stored or regenerated.
The sums are made in SQL, in one aggregate query per table, at the finest grain the page
can ask for (area × type × sector × workforce size); a pivot then adds those cells up in
Python, so any arrangement costs the same few queries. The drill-down reads the same
returns and places them with the same code, so a cell always equals its list.

Only reads ``hoptac.returns``; organisations are placed in areas as the registry's
statistics do (``hoptac.registry.selectors.registry_statistics``).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, Exists, F, FilteredRelation, OuterRef, Prefetch, Q, QuerySet, Sum, When
from django.db.models import Value as V
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from hoptac.core.models import Role
from hoptac.core.text import normalize
from hoptac.geo import selectors as geo
from hoptac.geo.models import AdminUnit, Level
from hoptac.registry.models import Organization
from hoptac.registry.selectors import organizations_for
from hoptac.returns.models import (
    FormField,
    Frequency,
    Grade,
    Grading,
    Indicator,
    Return,
    ReturnForm,
    Status,
    Unit,
    Value,
)

from .figures import (
    COUNT,
    KEY_ORDER,
    MEAN,
    NONE_KEY,
    SIZE_BOUNDS,
    SIZE_TOP,
    SUM,
    WEIGHTED,
    Dimension,
    Measure,
    Period,
    SizeClass,
    Tally,
    key_label,
    measures_for,
    national_group,
)

# ---------------------------------------------------------------- access


def statistics_scope(user) -> QuerySet[Organization] | None:
    """The organisations whose returns user's statistics count: None for the whole province.

    Alliance staff see every return, the alliance's own included; an area officer the
    returns of the organisations they see. A cooperative's account has no statistics
    pages (its own return is on its own page): PermissionDenied.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise PermissionDenied
    if user.is_alliance:
        return None
    if user.role == Role.AREA_OFFICER:
        return organizations_for(user)
    raise PermissionDenied


def scope_label(user) -> str:
    """Whose organisations the figures count, when it is not the whole province."""
    if user.is_alliance:
        return ""
    return ", ".join(user.areas.order_by("name").values_list("name", flat=True)) or "—"


# ---------------------------------------------------------------- forms and their indicators


def statistics_forms() -> QuerySet[ReturnForm]:
    """The forms in use, for the pickers."""
    return ReturnForm.objects.filter(active=True).order_by("code")


def form_indicators(form: ReturnForm) -> list[Indicator]:
    """The indicators of every version of form, in the newest version's order, older ones after."""
    seen: dict[int, Indicator] = {}
    fields = (
        FormField.objects.filter(version__form=form)
        .select_related("indicator")
        .order_by("-version__valid_from_year", "-version__number", "order", "id")
    )
    for f in fields:
        seen.setdefault(f.indicator_id, f.indicator)
    return list(seen.values())


def form_periods(form: ReturnForm, today: datetime.date) -> tuple[list[Period], Period]:
    """The periods to offer for form, newest first, and the one to show first.

    The periods some return was filed for, and the last period ended by today even before
    anyone reports. The one to show first is the newest with returns (or that last period).
    """
    filed = Return.objects.filter(form=form).values_list("year", "quarter").order_by().distinct()
    periods = {Period(year, quarter if form.frequency == Frequency.QUARTERLY else None) for year, quarter in filed}
    newest = max(periods, key=_period_order) if periods else last_period(form, today)
    periods.add(last_period(form, today))
    return sorted(periods, key=_period_order, reverse=True), newest


def _period_order(period: Period) -> tuple[int, int]:
    return (period.year, period.quarter or 0)


def last_period(form: ReturnForm, today: datetime.date) -> Period:
    """The latest period of form that has ended by today: last year, or the last full quarter."""
    if form.frequency == Frequency.QUARTERLY:
        quarter = (today.month - 1) // 3  # the quarter before the current one
        return Period(today.year, quarter) if quarter else Period(today.year - 1, 4)
    return Period(today.year - 1)


def grading_years(today: datetime.date) -> tuple[list[int], int]:
    """The years to offer on the grades page, newest first, and the one to show first.

    The years some grade was recorded for, and last year; first the newest with grades.
    """
    years = set(Grading.objects.values_list("year", flat=True).order_by().distinct())
    newest = max(years, default=today.year - 1)
    years.add(today.year - 1)
    return sorted(years, reverse=True), newest


# ---------------------------------------------------------------- the returns that count


def counted_returns(
    *,
    form: ReturnForm,
    period: Period,
    include_submitted: bool = False,
    queryset: QuerySet[Organization] | None = None,
    as_of: datetime.date | None = None,
) -> QuerySet[Return]:
    """The returns a statistic of form for period counts.

    Approved returns (approved by as_of, if given); with include_submitted also those
    submitted (by as_of) and not yet approved. Returns of archived organisations (records
    kept only as history of a mistake) never count. With queryset, only the returns of
    those organisations, which leaves out the alliance's own.
    """
    qs = Return.objects.filter(form=form, year=period.year)
    qs = qs.filter(quarter=period.quarter) if period.quarter else qs.filter(quarter__isnull=True)
    if include_submitted:
        qs = qs.filter(status__in=[Status.APPROVED, Status.SUBMITTED])
        if as_of:
            # An officer may approve a return entered on its behalf without a submission date.
            qs = qs.alias(received_on=Coalesce("submitted_on", "approved_on")).filter(received_on__lte=as_of)
    else:
        qs = qs.filter(status=Status.APPROVED)
        if as_of:
            qs = qs.filter(approved_on__lte=as_of)
    qs = qs.filter(Q(organization__isnull=True) | Q(organization__archived_on__isnull=True))
    if queryset is not None:
        qs = qs.filter(organization__in=queryset)
    return qs.order_by()


def _value_column(alias: str, indicator: Indicator) -> str:
    return f"{alias}__decimal" if indicator.unit == Unit.PERCENT else f"{alias}__number"


def _size_case(employees: str | None):
    """The workforce size class of a return, from its regular workers (unknown without them)."""
    if employees is None:
        return V(SizeClass.UNKNOWN.value)
    whens = [When(**{f"{employees}__isnull": True}, then=V(SizeClass.UNKNOWN.value))]
    whens += [When(**{f"{employees}__lte": high}, then=V(cls.value)) for cls, _low, high in SIZE_BOUNDS]
    return Case(*whens, default=V(SIZE_TOP[0].value))


class _Columns:
    """Each indicator's value of a return as a column: one filtered join per indicator.

    A return has at most one value per indicator (a unique constraint), so the joins never
    multiply rows and SQL can sum them per group.
    """

    def __init__(self, returns: QuerySet[Return], indicators: list[Indicator]):
        self.column: dict[str, str] = {}
        annotations = {}
        for i, ind in enumerate(indicators):
            alias = f"v{i}"
            annotations[alias] = FilteredRelation("values", condition=Q(values__indicator=ind))
            self.column[ind.code] = _value_column(alias, ind)
        self.queryset = returns.annotate(**annotations) if annotations else returns
        self.size = _size_case(self.column.get("employees"))


DIMENSION_COLUMNS = {
    "org_kind": Coalesce(F("organization__kind"), V(NONE_KEY)),
    "org_sector": Coalesce(F("organization__sector"), V(NONE_KEY)),
    "org_commune": F("organization__commune_id"),
}


# ---------------------------------------------------------------- areas


class Areas:
    """Where each commune falls: its district-level unit on a day ("then"), or today's commune ("now").

    The approach of ``registry_statistics``: follow the commune through its changes up to the
    day, then take its parent; after 07/2025, with no districts, the province.
    """

    def __init__(self, commune_ids, *, grouping: str, day: datetime.date):
        self.grouping = grouping
        ids = {c for c in commune_ids if c is not None}
        if grouping == "now":
            currents = dict(AdminUnit.objects.filter(pk__in=ids).values_list("pk", "current_id")) if ids else {}
            resolved = {c: currents.get(c) for c in ids}
        else:
            successors = geo.successor_map()
            resolved = {c: geo.unit_on(c, day, successors) for c in ids}
        units = geo.units_by_id(v for v in resolved.values() if v) if ids else {}
        self.area_of: dict[int | None, int | None] = {None: None}
        self.units: dict[int, AdminUnit] = {}
        for commune_id, unit_id in resolved.items():
            area = units.get(unit_id)
            if area is not None and grouping != "now" and area.level == Level.COMMUNE and area.parent_id:
                area = area.parent
            self.area_of[commune_id] = area.pk if area else None
            if area is not None:
                self.units[area.pk] = area

    def label(self, area_id: int | None) -> str:
        unit = self.units.get(area_id)
        return unit.name if unit else "—"

    def parent_label(self, area_id: int | None) -> str:
        unit = self.units.get(area_id)
        return unit.parent.name if unit and unit.parent_id else ""


# ---------------------------------------------------------------- statistics

# The finest grain: (area id, organisation kind, sector, workforce size class).
Key = tuple[int | None, str, str, str]
DIMENSION_INDEX = {Dimension.AREA: 0, Dimension.KIND: 1, Dimension.SECTOR: 2, Dimension.SIZE: 3}


def dimension_key(dimension: str, key: Key):
    """The key of one dimension of a finest-grain cell."""
    if dimension == Dimension.GROUP:
        return national_group(key[1], key[2])
    return key[DIMENSION_INDEX[dimension]]


@dataclass
class ReturnStatistics:
    """The figures of one form and period, cell by cell at the finest grain; tables add cells up."""

    form: ReturnForm
    period: Period
    grouping: str
    include_submitted: bool
    as_of: datetime.date | None
    measures: list[Measure]
    cells: dict[Key, Tally] = field(default_factory=dict)
    areas: Areas | None = None

    @property
    def measure_map(self) -> dict[str, Measure]:
        return {m.key: m for m in self.measures}

    @property
    def dimensions(self) -> list[str]:
        """The dimensions this form can be split by: workforce size only where it asks for workers."""
        dims = [d.value for d in Dimension]
        if not any(m.indicator == "employees" for m in self.measures):
            dims.remove(Dimension.SIZE)
        return dims

    def tally(self, **coordinates) -> Tally:
        """The cells matching every dimension=key given, added up (no coordinates: the total)."""
        total = Tally()
        for key, tally in self.cells.items():
            if all(dimension_key(d, key) == k for d, k in coordinates.items()):
                total.add(tally)
        return total

    @property
    def total(self) -> Tally:
        return self.tally()

    def grouped(self, *dimensions: str) -> dict[tuple, Tally]:
        """The cells added up by the keys of dimensions."""
        groups: dict[tuple, Tally] = defaultdict(Tally)
        for key, tally in self.cells.items():
            groups[tuple(dimension_key(d, key) for d in dimensions)].add(tally)
        return dict(groups)

    def keys(self, dimension: str) -> list:
        """The keys of dimension that have returns, in the order tables show them."""
        present = {dimension_key(dimension, key) for key in self.cells}
        return order_keys(dimension, present, self.areas.label if self.areas else None)

    def label(self, dimension: str, key) -> str:
        if dimension == Dimension.AREA:
            return self.areas.label(key) if self.areas else "—"
        return key_label(dimension, key)

    def value(self, measure: str, **coordinates):
        return self.tally(**coordinates).value(self.measure_map[measure])

    def as_dict(self) -> dict:
        """Totals, averages and the standard breakdowns, for the command's JSON."""
        total = self.total

        def figures(tally: Tally, how: tuple[str, ...]) -> dict:
            return {m.key: _plain(tally.value(m)) for m in self.measures if m.how in how}

        def breakdown(dimension: str) -> list[dict]:
            groups = self.grouped(dimension)
            rows = []
            for k in self.keys(dimension):
                tally = groups[(k,)]
                row = {"key": k, "label": self.label(dimension, k)}
                if dimension == Dimension.AREA:
                    row["parent"] = self.areas.parent_label(k) if self.areas else ""
                row.update(figures(tally, (COUNT, SUM, MEAN, WEIGHTED)))
                rows.append(row)
            return rows

        return {
            "form": self.form.code,
            "period": self.period.code,
            "year": self.period.year,
            "quarter": self.period.quarter,
            "grouping": self.grouping,
            "include_submitted": self.include_submitted,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "organizations": total.n,
            "totals": figures(total, (COUNT, SUM)),
            "averages": figures(total, (MEAN, WEIGHTED)),
            "measures": [{"key": m.key, "name": m.label_vi, "how": m.how, "unit": m.unit} for m in self.measures],
            "by": {d: breakdown(d) for d in self.dimensions},
        }


def _plain(value):
    """A figure JSON can carry: whole numbers stay exact, means become numbers with their decimals."""
    if value is None or isinstance(value, int):
        return value
    return int(value) if value == value.to_integral_value() and value.as_tuple().exponent >= 0 else float(value)


def order_keys(dimension: str, keys, area_label=None) -> list:
    """Keys in the order tables show them: the registry's order; areas by name (area_label), "—" last."""
    keys = set(keys)
    if dimension == Dimension.AREA:

        def area_sort(k):
            name = area_label(k) if area_label and k is not None else "—"
            return (k is None, normalize(name), name, k or 0)

        return sorted(keys, key=area_sort)
    order = KEY_ORDER[dimension]
    return sorted(keys, key=lambda k: (order.index(k) if k in order else len(order), str(k)))


def _form(form) -> ReturnForm:
    return form if isinstance(form, ReturnForm) else ReturnForm.objects.get(code=form)


def return_statistics(
    *,
    form: ReturnForm | str,
    year: int,
    quarter: int | None = None,
    grouping: str = "then",
    include_submitted: bool = False,
    queryset: QuerySet[Organization] | None = None,
    as_of: datetime.date | None = None,
) -> ReturnStatistics:
    """The national standard indicators (and every numeric indicator) of form's returns for a period.

    Counts the organisations reporting and, per indicator, its sum and how many gave it,
    grouped by area × type × sector × workforce size in one aggregate query. grouping "then"
    places an organisation in the district-level unit its commune belonged to on the last
    day of the period; "now" in today's commune. queryset limits the figures to those
    organisations (an area officer's), as_of to the returns approved (or submitted) by then.
    """
    form = _form(form)
    period = Period(year, quarter)
    indicators = form_indicators(form)
    measures = measures_for(indicators)
    stats = ReturnStatistics(
        form=form,
        period=period,
        grouping=grouping,
        include_submitted=include_submitted,
        as_of=as_of,
        measures=measures,
    )
    codes = sorted({m.indicator for m in measures if m.indicator})
    weights = {m.indicator: m.weight for m in measures if m.how == WEIGHTED}
    # Workers are read even when not shown: they give the workforce size class.
    wanted = {*codes, *weights.values(), "employees"}
    indicators = [i for i in indicators if i.code in wanted]
    columns = _Columns(
        counted_returns(form=form, period=period, include_submitted=include_submitted, queryset=queryset, as_of=as_of),
        indicators,
    )
    aggregates = {"n": Count("pk")}
    for i, code in enumerate(codes):
        col = columns.column.get(code)
        if col is None:
            continue
        aggregates[f"s{i}"] = Sum(col)
        aggregates[f"c{i}"] = Count(col)
        weight = columns.column.get(weights.get(code, ""))
        if weight:
            aggregates[f"w{i}"] = Sum(F(col) * F(weight))
            aggregates[f"d{i}"] = Sum(Case(When(**{f"{col}__isnull": False}, then=F(weight))))
    rows = list(
        columns.queryset.values(**DIMENSION_COLUMNS, size_class=columns.size)
        .annotate(**aggregates)
        .order_by("org_kind", "org_sector", "org_commune", "size_class")
    )
    areas = Areas({r["org_commune"] for r in rows}, grouping=grouping, day=period.end)
    for row in rows:
        key = (areas.area_of[row["org_commune"]], row["org_kind"], row["org_sector"], row["size_class"])
        tally = Tally()
        tally.n = row["n"]
        for i, code in enumerate(codes):
            if f"s{i}" not in row:
                continue
            tally.sums[code] = row[f"s{i}"] or 0
            tally.counts[code] = row[f"c{i}"]
            if f"w{i}" in row:
                tally.weighted[code] = row[f"w{i}"] or 0
                tally.weights[code] = row[f"d{i}"] or 0
        stats.cells.setdefault(key, Tally()).add(tally)
    stats.areas = areas
    return stats


# ---------------------------------------------------------------- drill-down


@dataclass
class DrilldownRow:
    """One return behind a figure: its organisation (None for the alliance's own) and its values."""

    ret: Return
    keys: dict[str, object]
    values: dict[str, object]

    @property
    def organization(self) -> Organization | None:
        return self.ret.organization


def statistics_drilldown(
    *,
    form: ReturnForm | str,
    year: int,
    quarter: int | None = None,
    grouping: str = "then",
    include_submitted: bool = False,
    queryset: QuerySet[Organization] | None = None,
    as_of: datetime.date | None = None,
    cell: dict[str, object] | None = None,
) -> list[DrilldownRow]:
    """The returns (organisations and their values) behind one cell of ``return_statistics``.

    cell maps dimensions to the keys of the cell ({"area": 12, "kind": "HTX"}); a dimension
    not given is not narrowed, an area of None is the "—" row. The returns are read and
    placed exactly as the statistics place them, so the cell's figure is the figure of this
    list. Sorted by organisation name, the alliance's own return first.
    """
    form = _form(form)
    period = Period(year, quarter)
    cell = cell or {}
    needs_size = Dimension.SIZE in cell
    employees = list(Indicator.objects.filter(code="employees")) if needs_size else []
    columns = _Columns(
        counted_returns(form=form, period=period, include_submitted=include_submitted, queryset=queryset, as_of=as_of),
        employees,
    )
    rows = list(columns.queryset.values("pk", **DIMENSION_COLUMNS, size_class=columns.size))
    areas = Areas({r["org_commune"] for r in rows}, grouping=grouping, day=period.end)
    keys_of: dict[int, dict] = {}
    for row in rows:
        key = (areas.area_of[row["org_commune"]], row["org_kind"], row["org_sector"], row["size_class"])
        keys = {d.value: dimension_key(d, key) for d in Dimension}
        if all(keys[d] == k for d, k in cell.items()):
            keys_of[row["pk"]] = keys
    returns = (
        Return.objects.filter(pk__in=list(keys_of))
        .select_related("organization", "organization__commune", "organization__commune__parent")
        .prefetch_related(Prefetch("values", queryset=Value.objects.select_related("indicator")))
    )
    result = [
        DrilldownRow(ret=r, keys=keys_of[r.pk], values={v.indicator.code: v.get() for v in r.values.all()})
        for r in returns
    ]
    result.sort(key=lambda row: (row.organization is not None, normalize(str(row.organization or "")), row.ret.pk))
    return result


def tally_rows(rows: list[DrilldownRow], measures: list[Measure]) -> Tally:
    """The tally of a drill-down list, added up in Python: the figures the list itself gives."""
    tally = Tally()
    tally.n = len(rows)
    codes = {m.indicator: m.weight for m in measures if m.indicator}
    for row in rows:
        for code, weight in codes.items():
            value = row.values.get(code)
            if value is None or isinstance(value, str):
                continue
            tally.sums[code] += value
            tally.counts[code] += 1
            w = row.values.get(weight) if weight else None
            if w is not None:
                tally.weighted[code] += value * w
                tally.weights[code] += w
    return tally


# ---------------------------------------------------------------- grades

MISSING = "missing"
GRADE_COLUMNS = [g.value for g in Grade] + [MISSING]
# Who should have a grade when no form says: cooperatives (credit funds follow the State Bank's rules).
DEFAULT_GRADED_KINDS = ["HTX"]


def grade_label(grade: str) -> str:
    return _("No grade recorded") if grade == MISSING else Grade(grade).label


def graded_kinds() -> list[str]:
    """The organisation kinds that file the grading sheet."""
    kinds = ReturnForm.objects.filter(code="grading").values_list("kinds", flat=True).first()
    return list(kinds or DEFAULT_GRADED_KINDS)


@dataclass
class GradeDistribution:
    """Grades of a year by area and kind, with the organisations that should have one and have none."""

    year: int
    grouping: str
    cells: dict[tuple[int | None, str, str], int] = field(default_factory=dict)  # (area, kind, grade) -> n
    areas: Areas | None = None

    def counts(self, dimension: str) -> dict:
        """{key: {grade: n}} for dimension "area" or "kind"."""
        index = 0 if dimension == Dimension.AREA else 1
        table: dict = defaultdict(lambda: dict.fromkeys(GRADE_COLUMNS, 0))
        for key, n in self.cells.items():
            table[key[index]][key[2]] += n
        return dict(table)

    @property
    def total(self) -> dict[str, int]:
        totals = dict.fromkeys(GRADE_COLUMNS, 0)
        for key, n in self.cells.items():
            totals[key[2]] += n
        return totals

    def keys(self, dimension: str) -> list:
        return order_keys(dimension, self.counts(dimension), self.areas.label if self.areas else None)

    def label(self, dimension: str, key) -> str:
        if dimension == Dimension.AREA:
            return self.areas.label(key) if self.areas else "—"
        return key_label(dimension, key)


def _graded(year: int, queryset) -> QuerySet[Grading]:
    qs = Grading.objects.filter(year=year, organization__archived_on__isnull=True)
    if queryset is not None:
        qs = qs.filter(organization__in=queryset)
    return qs


def _ungraded(year: int, queryset, kinds: list[str]) -> QuerySet[Organization]:
    """Organisations of the graded kinds operating at the end of year with no grade for it."""
    qs = queryset if queryset is not None else Organization.objects.all()
    return (
        qs.filter(archived_on__isnull=True, kind__in=kinds)
        .active_on(datetime.date(year, 12, 31))
        .filter(~Exists(Grading.objects.filter(organization=OuterRef("pk"), year=year)))
    )


def grade_distribution(
    *, year: int, grouping: str = "then", queryset: QuerySet[Organization] | None = None
) -> GradeDistribution:
    """How many organisations got each grade for year, by area and kind.

    Beside the four grades and "not graded" (operating under 12 months, or stopped over 3
    months, in the year), "no grade recorded" counts the organisations of the kinds that
    are graded, operating on 31/12 of the year, that have no grade for it.
    """
    dist = GradeDistribution(year=year, grouping=grouping)
    graded = list(
        _graded(year, queryset)
        .values("grade", kind=F("organization__kind"), org_commune=F("organization__commune_id"))
        .annotate(n=Count("pk"))
        .order_by()
    )
    missing = list(
        _ungraded(year, queryset, graded_kinds())
        .values("kind", org_commune=F("commune_id"))
        .annotate(n=Count("pk"))
        .order_by()
    )
    areas = Areas({r["org_commune"] for r in graded + missing}, grouping=grouping, day=datetime.date(year, 12, 31))
    for rows, grade in ((graded, None), (missing, MISSING)):
        for r in rows:
            key = (areas.area_of[r["org_commune"]], r["kind"], grade or r["grade"])
            dist.cells[key] = dist.cells.get(key, 0) + r["n"]
    dist.areas = areas
    return dist


@dataclass
class GradeRow:
    organization: Organization
    grading: Grading | None  # None: no grade recorded


def grade_drilldown(
    *,
    year: int,
    grouping: str = "then",
    queryset: QuerySet[Organization] | None = None,
    cell: dict[str, object] | None = None,
) -> list[GradeRow]:
    """The organisations behind one count of ``grade_distribution``: cell keys "area", "kind", "grade"."""
    cell = cell or {}
    grade = cell.get("grade")
    related = ("commune", "commune__parent")
    gradings = []
    if grade != MISSING:
        qs = _graded(year, queryset).select_related(*(f"organization__{r}" for r in related), "organization")
        gradings = list(qs.filter(grade=grade) if grade else qs)
    missing = []
    if grade in (None, MISSING):
        missing = list(_ungraded(year, queryset, graded_kinds()).select_related(*related))
    rows = [GradeRow(g.organization, g) for g in gradings] + [GradeRow(o, None) for o in missing]
    areas = Areas({r.organization.commune_id for r in rows}, grouping=grouping, day=datetime.date(year, 12, 31))
    wanted = {d: k for d, k in cell.items() if d in (Dimension.AREA, Dimension.KIND)}

    def keys(row: GradeRow) -> dict:
        return {Dimension.AREA: areas.area_of[row.organization.commune_id], Dimension.KIND: row.organization.kind}

    rows = [r for r in rows if all(keys(r)[d] == k for d, k in wanted.items())]
    rows.sort(key=lambda r: (normalize(r.organization.name), r.organization.pk))
    return rows


# ---------------------------------------------------------------- the organisation page


def returns_of(org: Organization) -> dict:
    """An organisation's returns (form, period, status, dates) and its grade history, newest first.

    For the card on the organisation's page; the including view has checked the user may
    see the organisation. Two queries.
    """
    returns = list(
        Return.objects.filter(organization=org)
        .select_related("form")
        .order_by("-year", F("quarter").desc(nulls_last=True), "form__code")
    )
    for r in returns:
        r.period_label = Period(r.year, r.quarter).label
    gradings = list(Grading.objects.filter(organization=org).order_by("-year"))
    return {"returns": returns, "gradings": gradings}
