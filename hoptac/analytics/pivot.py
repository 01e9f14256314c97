"""A pivot table arranged from ``ReturnStatistics``: rows and columns by any two dimensions, any measures.

The same ``Pivot`` feeds the page, its SVG chart, the xlsx and the command, so they cannot
disagree. Year-over-year puts the previous year's figure, this year's and the change side by
side. Every cell knows its coordinates, from which the page builds its drill-down link.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from hoptac.core.formatting import vi_number

from .figures import Dimension, Measure, Period, Tally
from .selectors import ReturnStatistics, order_keys

TOTAL = "__total__"
VALUE, PREVIOUS, CHANGE = "value", "previous", "change"
HUNDRED = Decimal(100)


def format_value(value, measure: Measure) -> str:
    """A figure as the page shows it: 1.234.567; 12,5; 60,0% (blank when there is nothing to average)."""
    if value is None:
        return "—"
    text = vi_number(value, measure.decimals)
    return f"{text}%" if measure.unit == "percent" else text


def format_change(change, measure: Measure) -> str:
    if change is None:
        return "—"
    text = format_value(abs(change), measure)
    return ("+" if change > 0 else "−" if change < 0 else "±") + text


def format_percent_change(percent) -> str:
    if percent is None:
        return ""
    sign = "+" if percent > 0 else "−" if percent < 0 else "±"
    return f"{sign}{vi_number(abs(percent), 1)}%"


@dataclass
class Cell:
    """One figure of the table: a measure's value (this year's, last year's or the change) at coordinates."""

    measure: Measure
    part: str
    value: object
    coordinates: dict
    period: Period | None = None
    count: int = 0  # returns behind it; no link to an empty list
    percent: Decimal | None = None  # change in per cent of last year's figure
    url: str = ""

    @property
    def text(self) -> str:
        if self.part == CHANGE:
            return format_change(self.value, self.measure)
        return format_value(self.value, self.measure)

    @property
    def percent_text(self) -> str:
        return format_percent_change(self.percent)

    @property
    def negative(self) -> bool:
        return isinstance(self.value, int | Decimal) and self.value < 0


@dataclass
class Row:
    key: object
    label: str
    sub: str = ""
    cells: list[Cell] = field(default_factory=list)
    total: bool = False


@dataclass
class HeaderCell:
    label: str
    colspan: int = 1
    rowspan: int = 1
    numeric: bool = True


@dataclass
class Pivot:
    rows_dimension: str
    columns_dimension: str  # "" for none
    measures: list[Measure]
    period: Period
    previous_period: Period | None
    column_keys: list
    column_labels: dict
    header: list[list[HeaderCell]]
    rows: list[Row]
    total: Row

    @property
    def parts(self) -> list[str]:
        return [PREVIOUS, VALUE, CHANGE] if self.previous_period else [VALUE]

    def cell(self, row: Row, column_key, measure_key: str, part: str = VALUE) -> Cell:
        """The cell of row at a column key, measure and part."""
        for c in row.cells:
            if (
                c.measure.key == measure_key
                and c.part == part
                and c.coordinates.get(self.columns_dimension, TOTAL) == column_key
            ):
                return c
        raise KeyError((row.key, column_key, measure_key, part))


def _change(current, previous):
    if current is None or previous is None:
        return None, None
    change = current - previous
    percent = (Decimal(change) * HUNDRED / abs(previous)).quantize(Decimal("0.1")) if previous else None
    return change, percent


def build_pivot(
    stats: ReturnStatistics,
    *,
    rows: str,
    columns: str = "",
    measures: list[str],
    previous: ReturnStatistics | None = None,
    link: Callable[[dict, Period], str] | None = None,
) -> Pivot:
    """Rows by one dimension, columns by another (or none), each with the chosen measures, and totals.

    With previous (the same statistics a year earlier) each measure shows last year, this
    year and the change. link(coordinates, period) gives a cell's drill-down URL.
    """
    if columns == rows:
        columns = ""
    chosen = [stats.measure_map[k] for k in measures if k in stats.measure_map] or stats.measures[:1]
    years = [previous, stats] if previous is not None else [stats]
    dims = (rows, columns) if columns else (rows,)

    def label(dimension: str, key) -> str:
        if dimension == Dimension.AREA:
            for s in reversed(years):
                if s.areas and key in s.areas.units:
                    return s.areas.label(key)
            return "—"
        return stats.label(dimension, key)

    def parent(key) -> str:
        for s in reversed(years):
            if s.areas and key in s.areas.units:
                return s.areas.parent_label(key)
        return ""

    # Add the finest cells up once per table shape: body, row totals, column totals, grand total.
    tables = []
    for s in years:
        tables.append(
            {
                "body": s.grouped(*dims),
                "rows": s.grouped(rows),
                "columns": s.grouped(columns) if columns else {},
                "total": s.total,
            }
        )

    row_keys = set()
    column_keys = set()
    for t in tables:
        row_keys |= {k[0] for k in t["rows"]}
        column_keys |= {k[0] for k in t["columns"]}

    def area_label(key) -> str:
        return label(Dimension.AREA, key)

    row_keys = order_keys(rows, row_keys, area_label)
    column_keys = [*order_keys(columns, column_keys, area_label), TOTAL] if columns else [TOTAL]

    def tally_of(t: dict, row_key, column_key) -> Tally:
        if row_key is TOTAL and column_key is TOTAL:
            return t["total"]
        if row_key is TOTAL:
            return t["columns"].get((column_key,), Tally())
        if column_key is TOTAL:
            return t["rows"].get((row_key,), Tally())
        return t["body"].get((row_key, column_key), Tally())

    def make_row(row_key) -> Row:
        cells = []
        for column_key in column_keys:
            coordinates = {}
            if row_key is not TOTAL:
                coordinates[rows] = row_key
            if columns and column_key is not TOTAL:
                coordinates[columns] = column_key
            for m in chosen:
                now = tally_of(tables[-1], row_key, column_key)
                value = now.value(m)
                if previous is not None:
                    before = tally_of(tables[0], row_key, column_key)
                    old = before.value(m)
                    change, percent = _change(value, old)
                    cells.append(Cell(m, PREVIOUS, old, coordinates, previous.period, before.n))
                    cells.append(Cell(m, VALUE, value, coordinates, stats.period, now.n))
                    cells.append(Cell(m, CHANGE, change, coordinates, percent=percent))
                else:
                    cells.append(Cell(m, VALUE, value, coordinates, stats.period, now.n))
        if link:
            for c in cells:
                if c.period and c.count:
                    c.url = link(c.coordinates, c.period)
        if row_key is TOTAL:
            return Row(TOTAL, _("Total"), cells=cells, total=True)
        return Row(row_key, label(rows, row_key), parent(row_key) if rows == Dimension.AREA else "", cells)

    body = [make_row(k) for k in row_keys]
    if rows == Dimension.AREA and len({r.sub for r in body}) <= 1:
        for r in body:
            r.sub = ""  # the parent says something only when the areas are not all in one
    column_labels = {k: (_("Total") if k is TOTAL else label(columns, k)) for k in column_keys}
    pivot = Pivot(
        rows_dimension=rows,
        columns_dimension=columns,
        measures=chosen,
        period=stats.period,
        previous_period=previous.period if previous is not None else None,
        column_keys=column_keys,
        column_labels=column_labels,
        header=[],
        rows=body,
        total=make_row(TOTAL),
    )
    pivot.header = _header(pivot)
    return pivot


def _header(pivot: Pivot) -> list[list[HeaderCell]]:
    """One to three header rows: the column keys, the measures, and (year-over-year) the years."""
    parts = pivot.parts
    levels = []
    if pivot.columns_dimension:
        levels.append(
            [HeaderCell(pivot.column_labels[k], colspan=len(pivot.measures) * len(parts)) for k in pivot.column_keys]
        )
    levels.append([HeaderCell(m.name, colspan=len(parts)) for _k in pivot.column_keys for m in pivot.measures])
    if pivot.previous_period:
        years = [pivot.previous_period.label, pivot.period.label, _("Change")]
        levels.append([HeaderCell(y) for _k in pivot.column_keys for _m in pivot.measures for y in years])
    corner = HeaderCell(str(Dimension(pivot.rows_dimension).label), rowspan=len(levels), numeric=False)
    levels[0].insert(0, corner)
    return levels
