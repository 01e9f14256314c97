"""Statistics pages: the pivot of a form's returns, the organisations behind any cell, the grades.

Alliance staff see every return; an area officer the returns of the organisations they see
(``selectors.statistics_scope``); a cooperative's account gets 403. Every figure comes from
``selectors.return_statistics`` and every list from ``selectors.statistics_drilldown``, which
place returns the same way, so a list always matches the figure that links to it.
"""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from hoptac.geo.models import AdminUnit

from . import exporters, selectors
from .charts import Bar, Segment, bar_chart
from .figures import ORGANIZATIONS, STANDARD, SUM, URL_NONE, Dimension, Measure, Period, key_label, measures_for
from .forms import GROUPINGS, DrilldownForm, GradeDrilldownForm, GradesForm, PivotForm
from .pivot import PREVIOUS, TOTAL, VALUE, Pivot, build_pivot, format_value

DEFAULT_FORM = "annual_htx"
PAGE_SIZE = 100
# Ready-made arrangements of the national report: (label, rows, columns, measures or None for the chosen).
PRESETS = [
    ("By area", Dimension.AREA, "", None),
    ("Agricultural / non-agricultural / QTDND", Dimension.GROUP, "", None),
    ("By type and sector", Dimension.SECTOR, Dimension.KIND, [ORGANIZATIONS]),
    ("By workforce size", Dimension.SIZE, Dimension.GROUP, [ORGANIZATIONS]),
]


def _preset_label(label: str) -> str:
    return {
        "By area": _("By area"),
        "Agricultural / non-agricultural / QTDND": _("Agricultural / non-agricultural / QTDND"),
        "By type and sector": _("By type and sector"),
        "By workforce size": _("By workforce size"),
    }[label]


def _url_key(key) -> str:
    return URL_NONE if key in (None, "") else str(key)


class _Links:
    """Drill-down URLs for the cells of one table."""

    def __init__(self, *, form: str, grouping: str, include_submitted: bool, measures: list[str], back: str = ""):
        self.base = {"form": form, "grouping": grouping}
        if include_submitted:
            self.base["include_submitted"] = "on"
        if measures:
            self.base["measures"] = ",".join(measures)
        if back:
            # The pivot's own query, so "back" returns to the same arrangement.
            self.base["back"] = back
        self.url = reverse("analytics:cell")

    def __call__(self, coordinates: dict, period: Period) -> str:
        query = {**self.base, "period": period.code}
        query.update({d: _url_key(k) for d, k in coordinates.items()})
        return self.url + "?" + urlencode(query)


def form_name(form) -> str:
    """The form's name in the language of the page."""
    english = not (translation.get_language() or "vi").startswith("vi")
    return form.name_en if english and form.name_en else form.name_vi


def _description(*, form, period: Period, grouping: str, include_submitted: bool, scope: str) -> list[str]:
    lines = [
        _("Form: %(form)s.") % {"form": form_name(form)},
        _("Returns approved, and those submitted and not yet approved.")
        if include_submitted
        else _("Approved returns only."),
        str(dict(GROUPINGS)[grouping]) + ".",
    ]
    if scope:
        lines.append(_("Only the organisations you may see are counted: %(scope)s.") % {"scope": scope})
    return lines


@login_required
@require_GET
def index(request):
    """The pivot: a form's returns for a period, arranged by two dimensions, with a chart and totals."""
    queryset = selectors.statistics_scope(request.user)
    scope = selectors.scope_label(request.user)
    forms_by_code = {f.code: f for f in selectors.statistics_forms()}
    if not forms_by_code:
        return render(request, "analytics/index.html", {"pivot_form": None})
    data = request.GET.copy()
    code = data.get("form") if data.get("form") in forms_by_code else next(iter(forms_by_code))
    if "form" not in data and DEFAULT_FORM in forms_by_code:
        code = DEFAULT_FORM
    form = forms_by_code[code]
    measures = measures_for(selectors.form_indicators(form))
    periods, newest = selectors.form_periods(form, timezone.localdate())
    _fill_defaults(data, form=form, measures=measures, newest=newest)
    dimensions = [d.value for d in Dimension]
    if not any(m.indicator == "employees" for m in measures):
        dimensions.remove(Dimension.SIZE)
    pivot_form = PivotForm(data, forms_by_code=forms_by_code, measures=measures, periods=periods, dimensions=dimensions)
    context = {"pivot_form": pivot_form, "scope": scope, "form": form, "measures": measures}
    if not pivot_form.is_valid():
        return render(request, "analytics/index.html", context, status=400)

    c = pivot_form.cleaned_data
    period: Period = c["period"]
    chosen = c["measures"] or _default_measures(measures)
    common = dict(form=form, grouping=c["grouping"], include_submitted=c["include_submitted"], queryset=queryset)
    stats = selectors.return_statistics(year=period.year, quarter=period.quarter, **common)
    previous = None
    if c["yoy"]:
        before = period.previous
        previous = selectors.return_statistics(year=before.year, quarter=before.quarter, **common)
    back = data.copy()
    back.pop("format", None)
    link = _Links(
        form=code,
        grouping=c["grouping"],
        include_submitted=c["include_submitted"],
        measures=chosen,
        back=back.urlencode(),
    )
    arrangement = dict(rows=c["rows"], columns=c["columns"], measures=chosen, previous=previous)

    if request.GET.get("format") == "xlsx":
        with translation.override("vi"):
            pivot = build_pivot(stats, **arrangement)
            lines = [period.label_vi, *_description(**_describe(form, period, c, scope))]
            content = exporters.pivot_workbook(pivot, title=form.name_vi, lines=lines)
        response = HttpResponse(content, content_type=exporters.CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="thong-ke-{code}-{period.code}.xlsx"'
        return response

    pivot = build_pivot(stats, link=link, **arrangement)
    rows_label = str(Dimension(pivot.rows_dimension).label).lower()
    if pivot.columns_dimension:
        columns_label = str(Dimension(pivot.columns_dimension).label).lower()
        title = _("By %(rows)s and %(columns)s") % {"rows": rows_label, "columns": columns_label}
    else:
        title = _("By %(rows)s") % {"rows": rows_label}
    query = {k: v for k, v in request.GET.lists() if k not in ("format",)}
    context.update(
        {
            "stats": stats,
            "pivot": pivot,
            "pivot_title": title,
            "chart": _chart(pivot),
            "headline": _headline(stats, back.urlencode()),
            "description": _description(**_describe(form, period, c, scope)),
            "xlsx_url": "?" + urlencode({**query, "format": "xlsx"}, doseq=True),
            "presets": _presets(data, chosen),
            "measure_groups": _measure_groups(pivot_form),
        }
    )
    return render(request, "analytics/index.html", context)


def _describe(form, period, cleaned, scope) -> dict:
    return dict(
        form=form,
        period=period,
        grouping=cleaned["grouping"],
        include_submitted=cleaned["include_submitted"],
        scope=scope,
    )


def _default_measures(measures: list[Measure]) -> list[str]:
    keys = {m.key for m in measures}
    standard = [k for k in STANDARD if k in keys]
    return standard or [m.key for m in measures[:4]]


def _fill_defaults(data, *, form, measures: list[Measure], newest: Period) -> None:
    """What a first visit shows, and what a switch of form keeps: the newest period, the standard figures."""
    data["form"] = form.code
    if not data.get("period"):
        data["period"] = newest.code
    else:
        try:
            period = Period.parse(data["period"])
        except ValueError:
            period = None  # the form says what is wrong
        # Switching between a yearly and a quarterly form: go to the new form's newest period.
        if period is not None and bool(period.quarter) != bool(newest.quarter):
            data["period"] = newest.code
    keys = {m.key for m in measures}
    chosen = [k for k in data.getlist("measures") if k in keys]
    data.setlist("measures", chosen or _default_measures(measures))
    data.setdefault("rows", Dimension.AREA.value)
    data.setdefault("grouping", "then")


def _presets(data, chosen: list[str]) -> list[dict]:
    presets = []
    for label, rows, columns, measures in PRESETS:
        query = data.copy()
        query.pop("format", None)
        query["rows"] = rows
        query["columns"] = columns
        query.setlist("measures", measures or chosen)
        current = data.get("rows") == rows and (data.get("columns") or "") == columns
        presets.append({"label": _preset_label(label), "url": "?" + query.urlencode(), "current": current})
    return presets


def _measure_groups(pivot_form) -> list[dict]:
    """The figures' checkboxes, an indicator's total and its average side by side."""
    groups: list[dict] = []
    for option in pivot_form["measures"]:
        key = option.data["value"]
        base = key.removesuffix("__avg")
        if groups and groups[-1]["key"] == base:
            groups[-1]["options"].append(option)
        else:
            groups.append({"key": base, "options": [option]})
    return groups


def _headline(stats, back: str) -> list[dict]:
    """The national standard figures of the whole table, each opening the list with these figures."""
    total = stats.total
    cards = []
    keys = [k for k in STANDARD if k in stats.measure_map] or [m.key for m in stats.measures[:6]]
    link = _Links(
        form=stats.form.code,
        grouping=stats.grouping,
        include_submitted=stats.include_submitted,
        measures=keys,
        back=back,
    )
    for key in keys:
        measure = stats.measure_map[key]
        cards.append(
            {
                "key": key,
                "label": measure.name,
                "text": format_value(total.value(measure), measure),
                "url": link({}, stats.period) if total.n else "",
            }
        )
    return cards


def _chart(pivot: Pivot) -> dict | None:
    """A bar per row for the first figure: by column (stacked), against last year, or alone."""
    if not pivot.rows:
        return None
    measure = pivot.measures[0]
    bars = []
    stacked = False
    if pivot.previous_period:
        legend = [("series-prev", pivot.previous_period.label), ("series-0", pivot.period.label)]
        for row in pivot.rows:
            before = pivot.cell(row, TOTAL, measure.key, PREVIOUS)
            now = pivot.cell(row, TOTAL, measure.key, VALUE)
            bars.append(
                Bar(
                    row.label,
                    now.text,
                    [
                        Segment(float(before.value or 0), "series-prev", legend[0][1], before.text, before.url),
                        Segment(float(now.value or 0), "series-0", legend[1][1], now.text, now.url),
                    ],
                )
            )
    else:
        keys = [k for k in pivot.column_keys if k is not TOTAL]
        parts = [[pivot.cell(row, k, measure.key) for k in keys] for row in pivot.rows]
        stacked = bool(keys) and measure.additive and all((c.value or 0) >= 0 for p in parts for c in p)
        legend = [(f"series-{i % 8}", pivot.column_labels[k]) for i, k in enumerate(keys)] if stacked else []
        for row, cells in zip(pivot.rows, parts, strict=True):
            total = pivot.cell(row, TOTAL, measure.key)
            if stacked:
                segments = [
                    Segment(float(c.value or 0), f"series-{i % 8}", pivot.column_labels[k], c.text, c.url)
                    for i, (k, c) in enumerate(zip(keys, cells, strict=True))
                ]
            else:
                segments = [Segment(float(total.value or 0), "series-0", measure.name, total.text, total.url)]
            bars.append(Bar(row.label, total.text, segments, total.url))
    if pivot.rows_dimension == Dimension.AREA:
        # Today's communes can be a hundred rows: draw the largest, the table has them all.
        bars.sort(
            key=lambda b: (
                -max((s.value for s in b.segments), default=0) if not stacked else -sum(s.value for s in b.segments)
            )
        )
    chart = bar_chart(bars, legend=legend, stacked=stacked)
    chart["title"] = chart["caption"] = f"{measure.name} · {pivot.period.label}"
    return chart


# ---------------------------------------------------------------- drill-down


@login_required
@require_GET
def cell(request):
    """The returns behind one cell of the pivot: the organisations and the values of the figures."""
    queryset = selectors.statistics_scope(request.user)
    forms_by_code = {f.code: f for f in selectors.statistics_forms()}
    form = DrilldownForm(request.GET, forms_by_code=forms_by_code)
    context = {"drill_form": form, "valid": form.is_valid()}
    if not context["valid"]:
        # A broken link answers 400 with the reason rather than a list that matches no figure.
        return render(request, "analytics/cell.html", context, status=400)
    c = form.cleaned_data
    return_form = forms_by_code[c["form"]]
    period: Period = c["period"]
    grouping = c["grouping"] or "then"
    rows = selectors.statistics_drilldown(
        form=return_form,
        year=period.year,
        quarter=period.quarter,
        grouping=grouping,
        include_submitted=c["include_submitted"],
        queryset=queryset,
        cell=form.cell,
    )
    measures = measures_for(selectors.form_indicators(return_form))
    by_key = {m.key: m for m in measures}
    wanted = [by_key[k] for k in c["measures"].split(",") if k in by_key] or [
        by_key[k] for k in _default_measures(measures)
    ]
    # One column per indicator the figures read (a total and an average read the same values).
    columns = []
    for m in wanted:
        if m.indicator and m.indicator not in {col.indicator for col in columns}:
            columns.append(m)
    tally = selectors.tally_rows(rows, measures)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    back = {"form": c["form"], "period": period.code, "grouping": grouping}
    if c["include_submitted"]:
        back["include_submitted"] = "on"
    # Only a query string is taken from the link: "back" cannot lead off the statistics page.
    back_query = request.GET.get("back", "").lstrip("?") or urlencode(back)
    context.update(
        {
            "return_form": return_form,
            "form_name": form_name(return_form),
            "period": period,
            "grouping_label": dict(GROUPINGS)[grouping],
            "include_submitted": c["include_submitted"],
            "narrowed": _narrowed(form.cell),
            "page_obj": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "columns": columns,
            "lines": [
                {"row": r, "values": [format_value(r.values.get(m.indicator), _raw(m)) for m in columns]} for r in page
            ],
            "figures": [{"label": m.name, "text": format_value(tally.value(m), m)} for m in wanted],
            "back_url": reverse("analytics:index") + "?" + back_query,
        }
    )
    return render(request, "analytics/cell.html", context)


def _raw(measure: Measure) -> Measure:
    """How one organisation's value of the measure's indicator is written: as entered."""
    return Measure(measure.indicator, SUM, indicator=measure.indicator, unit=measure.unit)


def _narrowed(cell: dict) -> list[str]:
    """What the list is narrowed to, in words: "Huyện Tân Yên · Hợp tác xã (HTX)"."""
    words = []
    for dimension, key in cell.items():
        if dimension == Dimension.AREA:
            words.append(_area_name(key))
        else:
            words.append(key_label(dimension, key))
    return words


def _area_name(area_id) -> str:
    if area_id is None:
        return _("Area unknown")
    unit = AdminUnit.objects.filter(pk=area_id).first()
    return unit.name if unit else _("Area unknown")


# ---------------------------------------------------------------- grades


@login_required
@require_GET
def grades(request):
    """How many organisations got each grade in a year, by area and by type; every count opens its list."""
    queryset = selectors.statistics_scope(request.user)
    years, newest = selectors.grading_years(timezone.localdate())
    data = request.GET.copy()
    data.setdefault("year", str(newest))
    data.setdefault("grouping", "then")
    form = GradesForm(data, years=years)
    context = {"grades_form": form, "scope": selectors.scope_label(request.user)}
    if not form.is_valid():
        return render(request, "analytics/grades.html", context, status=400)
    year, grouping = form.cleaned_data["year"], form.cleaned_data["grouping"]
    dist = selectors.grade_distribution(year=year, grouping=grouping, queryset=queryset)

    def link(**cell) -> str:
        query = {"year": year, "grouping": grouping, **{k: _url_key(v) for k, v in cell.items()}}
        return reverse("analytics:grades_cell") + "?" + urlencode(query)

    columns = [{"key": g, "label": selectors.grade_label(g)} for g in selectors.GRADE_COLUMNS]
    tables = []
    for dimension in (Dimension.AREA, Dimension.KIND):
        counts = dist.counts(dimension)
        rows = []
        for key in dist.keys(dimension):
            row_counts = counts[key]
            rows.append(
                {
                    "label": dist.label(dimension, key),
                    "cells": [
                        {"n": row_counts[g], "url": link(grade=g, **{dimension: key})} for g in selectors.GRADE_COLUMNS
                    ],
                    "total": sum(row_counts.values()),
                    "url": link(**{dimension: key}),
                }
            )
        tables.append({"dimension": dimension, "label": Dimension(dimension).label, "rows": rows})
    total = dist.total
    context.update(
        {
            "year": year,
            "grouping": grouping,
            "grouping_label": dict(GROUPINGS)[grouping],
            "columns": columns,
            "tables": tables,
            "totals": [{"n": total[g], "url": link(grade=g)} for g in selectors.GRADE_COLUMNS],
            "total": sum(total.values()),
            "total_url": link(),
            "chart": _grades_chart(tables[0]["rows"], columns),
        }
    )
    return render(request, "analytics/grades.html", context)


def _grades_chart(rows: list[dict], columns: list[dict]) -> dict | None:
    if not rows:
        return None
    bars = [
        Bar(
            row["label"],
            str(row["total"]),
            [
                Segment(float(c["n"]), f"grade-{col['key']}", col["label"], str(c["n"]), c["url"])
                for c, col in zip(row["cells"], columns, strict=True)
            ],
            row["url"],
        )
        for row in rows
    ]
    chart = bar_chart(bars, legend=[(f"grade-{c['key']}", c["label"]) for c in columns], stacked=True)
    chart["title"] = _("Grades by area")
    return chart


@login_required
@require_GET
def grades_cell(request):
    """The organisations behind one count of the grades page, with their score and grade."""
    queryset = selectors.statistics_scope(request.user)
    form = GradeDrilldownForm(request.GET)
    context = {"drill_form": form, "valid": form.is_valid()}
    if not context["valid"]:
        return render(request, "analytics/grades_cell.html", context, status=400)
    c = form.cleaned_data
    grouping = c["grouping"] or "then"
    rows = selectors.grade_drilldown(year=c["year"], grouping=grouping, queryset=queryset, cell=form.cell)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    words = [_area_name(form.cell["area"])] if "area" in form.cell else []
    if "kind" in form.cell:
        words.append(key_label(Dimension.KIND, form.cell["kind"]))
    if "grade" in form.cell:
        words.append(selectors.grade_label(form.cell["grade"]))
    context.update(
        {
            "year": c["year"],
            "narrowed": words,
            "grouping_label": dict(GROUPINGS)[grouping],
            "page_obj": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "back_url": reverse("analytics:grades") + "?" + urlencode({"year": c["year"], "grouping": grouping}),
        }
    )
    return render(request, "analytics/grades_cell.html", context)
