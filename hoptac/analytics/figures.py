"""The vocabulary of the statistics from returns: periods, dimensions, measures and the tally of a cell.

A pivot is made of cells; every cell is a ``Tally`` of the returns behind it (how many, the
sums and counts of every indicator). A ``Measure`` reads one figure out of a tally, so the
page, the export, the command and the drill-down compute a figure the same way.
"""

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from hoptac.core.formatting import ROMAN
from hoptac.registry.models import NationalGroup, OrgKind, Sector
from hoptac.registry.models import national_group as registry_national_group
from hoptac.returns.models import Aggregation, Unit

# ---------------------------------------------------------------- periods

_YEAR = re.compile(r"^(\d{4})$")
_YEAR_QUARTER = re.compile(r"^(\d{4})[-/ ]?[Qq]([1-4])$")
_QUARTER_YEAR = re.compile(r"^[Qq]([1-4])[-/ ]?(\d{4})$")


@dataclass(frozen=True)
class Period:
    """A report year, or a quarter of it."""

    year: int
    quarter: int | None = None

    @classmethod
    def parse(cls, text: str) -> "Period":
        """ "2020" → the year; "2021Q1", "2021-Q1", "Q1/2021" → a quarter. ValueError otherwise."""
        text = (text or "").strip()
        if m := _YEAR.match(text):
            year, quarter = int(m.group(1)), None
        elif m := _YEAR_QUARTER.match(text):
            year, quarter = int(m.group(1)), int(m.group(2))
        elif m := _QUARTER_YEAR.match(text):
            year, quarter = int(m.group(2)), int(m.group(1))
        else:
            raise ValueError(text)
        if not 1990 <= year <= 2100:
            raise ValueError(text)
        return cls(year, quarter)

    @property
    def code(self) -> str:
        return f"{self.year}Q{self.quarter}" if self.quarter else str(self.year)

    @property
    def label(self) -> str:
        if self.quarter:
            return _("Quarter %(quarter)s/%(year)s") % {"quarter": ROMAN[self.quarter], "year": self.year}
        return _("Year %(year)s") % {"year": self.year}

    @property
    def label_vi(self) -> str:
        """ "Năm 2020", "Quý I/2021": official outputs are Vietnamese whatever the screen language."""
        return f"Quý {ROMAN[self.quarter]}/{self.year}" if self.quarter else f"Năm {self.year}"

    @property
    def end(self) -> datetime.date:
        """The last day of the period: the day "as then" places organisations in their district."""
        if not self.quarter:
            return datetime.date(self.year, 12, 31)
        month = 3 * self.quarter
        return datetime.date(self.year + (month == 12), month % 12 + 1, 1) - datetime.timedelta(days=1)

    @property
    def previous(self) -> "Period":
        """The same period a year earlier, for year-over-year."""
        return Period(self.year - 1, self.quarter)


# ---------------------------------------------------------------- dimensions


class Dimension(models.TextChoices):
    AREA = "area", gettext_lazy("Area")
    KIND = "kind", gettext_lazy("Type of organisation")
    SECTOR = "sector", gettext_lazy("Sector")
    GROUP = "group", gettext_lazy("National group")
    SIZE = "size", gettext_lazy("Workforce size")


class SizeClass(models.TextChoices):
    """The national statistics' classes of cooperatives by regular workers."""

    UNDER_10 = "lt10", gettext_lazy("Under 10 workers")
    FROM_10 = "10_49", gettext_lazy("10–49 workers")
    FROM_50 = "50_99", gettext_lazy("50–99 workers")
    FROM_100 = "ge100", gettext_lazy("100 workers or more")
    UNKNOWN = "unknown", gettext_lazy("Workers not reported")


# (class, smallest, largest) of regular workers; the last one has no upper bound.
SIZE_BOUNDS = [(SizeClass.UNDER_10, 0, 9), (SizeClass.FROM_10, 10, 49), (SizeClass.FROM_50, 50, 99)]
SIZE_TOP = (SizeClass.FROM_100, 100)

# The national split counts cooperatives, unions and credit funds; cooperative groups apart.
GROUP_THT = "tht"
# Returns filed by the alliance itself have no organisation: their kind and sector are blank.
NONE_KEY = ""
# How a cell's key that is "nothing" (no area, no organisation) travels in a link.
URL_NONE = "-"

NATIONAL_SPLIT_KINDS = (OrgKind.HTX, OrgKind.LHHTX, OrgKind.QTDND)


def size_class(workers: int | None) -> str:
    if workers is None:
        return SizeClass.UNKNOWN
    for cls, low, high in SIZE_BOUNDS:
        if low <= workers <= high:
            return cls
    return SIZE_TOP[0]


def national_group(kind: str, sector: str) -> str:
    """The national split of the registry; cooperative groups and the alliance kept apart."""
    if kind == NONE_KEY:
        return NONE_KEY
    if kind not in NATIONAL_SPLIT_KINDS:
        return GROUP_THT
    return str(registry_national_group(kind, sector))


# The order keys are shown in; keys not listed (an area) sort by name.
KEY_ORDER = {
    Dimension.KIND: [k.value for k in OrgKind] + [NONE_KEY],
    Dimension.SECTOR: [s.value for s in Sector] + [NONE_KEY],
    Dimension.GROUP: [g.value for g in NationalGroup] + [GROUP_THT, NONE_KEY],
    Dimension.SIZE: [s.value for s in SizeClass],
}


def key_label(dimension: str, key) -> str:
    """The label of one key of a dimension other than the area (areas are named by their unit)."""
    if key == NONE_KEY and dimension in (Dimension.KIND, Dimension.GROUP):
        return _("The alliance (its own returns)")
    if key in (NONE_KEY, None):
        return "—"
    if dimension == Dimension.KIND:
        return str(OrgKind(key).label)
    if dimension == Dimension.SECTOR:
        return str(Sector(key).label)
    if dimension == Dimension.GROUP:
        return _("Cooperative groups") if key == GROUP_THT else str(NationalGroup(key).label)
    if dimension == Dimension.SIZE:
        return str(SizeClass(key).label)
    return str(key)


# ---------------------------------------------------------------- measures

COUNT, SUM, MEAN, WEIGHTED = "count", "sum", "mean", "weighted"
ORGANIZATIONS = "organizations"
AVERAGE_SUFFIX = "__avg"
# An average that means something only per worker: average income is weighted by the workers.
WEIGHTED_BY = {"avg_income": "employees"}
# The national standard indicators, in the order the annual report lists them.
STANDARD = [
    ORGANIZATIONS,
    "members_end",
    "employees",
    "charter_capital",
    "total_assets",
    "revenue",
    "profit",
    "revenue" + AVERAGE_SUFFIX,
    "profit" + AVERAGE_SUFFIX,
    "avg_income",
]
ONE = Decimal(1)
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Measure:
    """One figure a cell can show: a count of returns, a sum, a mean or a weighted mean of an indicator."""

    key: str
    how: str
    indicator: str = ""
    unit: str = Unit.COUNT
    name_vi: str = ""
    name_en: str = ""
    weight: str = ""

    @property
    def additive(self) -> bool:
        """Counts and sums add up across cells (and can be stacked in a chart); means do not."""
        return self.how in (COUNT, SUM)

    @property
    def decimals(self) -> int:
        if self.unit == Unit.MONEY or (self.how in (COUNT, SUM) and self.unit != Unit.PERCENT):
            return 0
        return 1

    @property
    def name(self) -> str:
        if self.how == COUNT:
            return _("Organisations reporting")
        english = not (get_language() or "vi").startswith("vi")
        name = self.name_en if english and self.name_en else self.name_vi
        if self.key.endswith(AVERAGE_SUFFIX):
            return _("%(indicator)s: average per organisation") % {"indicator": name}
        return name

    @property
    def label_vi(self) -> str:
        if self.how == COUNT:
            return "Số tổ chức báo cáo"
        if self.key.endswith(AVERAGE_SUFFIX):
            return f"{self.name_vi}: bình quân một tổ chức"
        return self.name_vi

    def round(self, value):
        """A mean to the measure's precision: whole đồng, one decimal for counts, points and percentages."""
        if value is None:
            return None
        return Decimal(value).quantize(ONE if self.decimals == 0 else TENTH, rounding=ROUND_HALF_UP)


def measures_for(indicators) -> list[Measure]:
    """The measures of a form, from its numeric indicators in form order.

    Every form counts the organisations reporting. An indicator summed across organisations
    gives its total and its average per organisation; one averaged (a percentage, a score,
    the average income) gives its mean, weighted where ``WEIGHTED_BY`` says so.
    """
    measures = [Measure(ORGANIZATIONS, COUNT)]
    codes = {i.code for i in indicators}
    for ind in indicators:
        if not ind.is_number or ind.aggregation == Aggregation.NONE:
            continue
        common = dict(indicator=ind.code, unit=ind.unit, name_vi=ind.name_vi, name_en=ind.name_en)
        if ind.aggregation == Aggregation.SUM:
            measures.append(Measure(ind.code, SUM, **common))
            measures.append(Measure(ind.code + AVERAGE_SUFFIX, MEAN, **common))
        else:
            weight = WEIGHTED_BY.get(ind.code, "")
            how = WEIGHTED if weight in codes else MEAN
            measures.append(Measure(ind.code, how, weight=weight if how == WEIGHTED else "", **common))
    return measures


class Tally:
    """What a cell knows about its returns: how many, and per indicator the sum and how many gave it.

    For a weighted mean, the sum of value × weight and the sum of weights, over returns that
    gave both.
    """

    __slots__ = ("n", "sums", "counts", "weighted", "weights")

    def __init__(self):
        self.n = 0
        self.sums: dict[str, int | Decimal] = defaultdict(int)
        self.counts: dict[str, int] = defaultdict(int)
        self.weighted: dict[str, int] = defaultdict(int)
        self.weights: dict[str, int] = defaultdict(int)

    def add(self, other: "Tally") -> "Tally":
        self.n += other.n
        for target, source in (
            (self.sums, other.sums),
            (self.counts, other.counts),
            (self.weighted, other.weighted),
            (self.weights, other.weights),
        ):
            for code, value in source.items():
                target[code] += value
        return self

    def value(self, measure: Measure):
        """The figure measure reads from this tally; None for a mean of nothing."""
        code = measure.indicator
        if measure.how == COUNT:
            return self.n
        if measure.how == SUM:
            return self.sums.get(code, 0)
        if measure.how == MEAN:
            count = self.counts.get(code, 0)
            return measure.round(Decimal(self.sums.get(code, 0)) / count) if count else None
        weights = self.weights.get(code, 0)
        return measure.round(Decimal(self.weighted.get(code, 0)) / weights) if weights else None
