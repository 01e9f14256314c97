"""Statistics pages: the figures on a date by kind, sector and area; every count opens its list.

Both pages count only what the user may see (``selectors.organizations_for``), and both
read ``selectors.registry_statistics`` / ``statistics_drilldown``, so a list always has as
many rows as the count that links to it.
"""

import datetime
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hoptac.core.formatting import ROMAN
from hoptac.core.forms import ViDateInput
from hoptac.core.models import Role
from hoptac.geo.models import AdminUnit

from . import selectors, stats_export
from .models import NationalGroup, OrgKind, Sector

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]
GROUPINGS = [
    ("then", gettext_lazy("District on the date")),
    ("now", gettext_lazy("Commune today")),
    # Issue #9: at national scale "now" is 3.300 communes; the provinces of today are 34 rows.
    ("province", gettext_lazy("Province today")),
]
MEASURES = [
    ("active", gettext_lazy("Active")),
    ("founded", gettext_lazy("Founded")),
    ("dissolved", gettext_lazy("Ended")),
]
KINDS = [k.value for k in OrgKind]
PAGE_SIZE = 100


def _date_field(label, help_text=""):
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_FORMATS,
        help_text=help_text,
        widget=ViDateInput(),
    )


class StatisticsForm(forms.Form):
    """The date, the optional start of a period, and how areas are grouped."""

    as_of = _date_field(gettext_lazy("As of"))
    grouping = forms.ChoiceField(label=gettext_lazy("Group by"), choices=GROUPINGS, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword, so the field is added by name.
        self.fields["from"] = _date_field(gettext_lazy("From"), gettext_lazy("Optional: counts foundings and endings"))
        self.order_fields(["from", "as_of", "grouping"])

    def clean(self):
        data = super().clean()
        if data.get("from") and data.get("as_of") and data["from"] > data["as_of"]:
            self.add_error("from", _("The start of the period must be on or before the date of the figures."))
        return data


class DrilldownForm(StatisticsForm):
    """The parameters of a count's link; an invalid one shows an error instead of a wrong list."""

    kind = forms.ChoiceField(choices=[("", "")] + OrgKind.choices, required=False)
    sector = forms.ChoiceField(choices=[("", "")] + Sector.choices, required=False)
    group = forms.ChoiceField(choices=[("", "")] + NationalGroup.choices, required=False)
    area = forms.IntegerField(min_value=0, required=False)
    measure = forms.ChoiceField(choices=MEASURES, required=False)

    def clean(self):
        data = super().clean()
        if data.get("measure") in ("founded", "dissolved") and not data.get("from"):
            self.add_error("from", _("Give the start of the period."))
        return data


def _params(request) -> tuple[StatisticsForm, datetime.date, datetime.date | None, str]:
    today = timezone.localdate()
    data = request.GET.copy()
    if not data.get("as_of"):
        data["as_of"] = today.strftime("%d/%m/%Y")
    if not data.get("grouping"):
        data["grouping"] = "then"
    form = StatisticsForm(data)
    form.is_valid()
    cleaned = form.cleaned_data
    return form, cleaned.get("as_of") or today, cleaned.get("from"), cleaned.get("grouping") or "then"


def _scope(user) -> str:
    """Whose organisations the figures count, when it is not the whole province."""
    if user.is_alliance:
        return ""
    if user.role == Role.AREA_OFFICER:
        return ", ".join(user.areas.order_by("name").values_list("name", flat=True))
    if user.role == Role.COOPERATIVE and user.organization_id:
        return user.organization.name
    return "—"


@login_required
def statistics(request):
    """Figures on a date (and flows over a period) for the organisations the user may see."""
    form, as_of, date_from, grouping = _params(request)
    stats = selectors.registry_statistics(
        as_of=as_of, date_from=date_from, grouping=grouping, queryset=selectors.organizations_for(request.user)
    )
    scope = _scope(request.user)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            stats_export.statistics_workbook(stats, scope=scope), content_type=stats_export.CONTENT_TYPE
        )
        response["Content-Disposition"] = f'attachment; filename="{stats_export.filename(stats)}"'
        return response

    link = _Links(as_of, date_from, grouping)
    query = {"as_of": as_of.strftime("%d/%m/%Y"), "grouping": grouping}
    if date_from:
        query["from"] = date_from.strftime("%d/%m/%Y")
    context = {
        "form": form,
        "stats": stats,
        "scope": scope,
        "cards": _cards(stats, link),
        "national": _national(stats, link),
        "sectors": _sector_table(stats, link),
        "areas": _area_table(stats, link),
        "chart": _chart(stats, link),
        "periods": _periods(request, as_of, grouping),
        # ?format=xlsx still answers at once (scripts); the page's button asks the worker for it.
        "xlsx_params": query,
    }
    return render(request, "registry/stats.html", context)


@login_required
def drilldown(request):
    """The organisations behind one count of the statistics page."""
    today = timezone.localdate()
    data = request.GET.copy()
    if not data.get("as_of"):
        data["as_of"] = today.strftime("%d/%m/%Y")
    form = DrilldownForm(data)
    context = {"form": form, "page_obj": None, "valid": form.is_valid()}
    if context["valid"]:
        c = form.cleaned_data
        grouping, measure = c["grouping"] or "then", c["measure"] or "active"
        organizations = selectors.statistics_drilldown(
            as_of=c["as_of"],
            kind=c["kind"],
            area_id=c["area"],
            grouping=grouping,
            queryset=selectors.organizations_for(request.user),
            sector=c["sector"],
            group=c["group"],
            measure=measure,
            date_from=c["from"],
        ).order_by("name", "id")
        page = Paginator(organizations, PAGE_SIZE).get_page(request.GET.get("page"))
        back = {"as_of": c["as_of"].strftime("%d/%m/%Y"), "grouping": grouping}
        if c["from"]:
            back["from"] = c["from"].strftime("%d/%m/%Y")
        context.update(
            {
                "page_obj": page,
                "page_range": page.paginator.get_elided_page_range(page.number),
                "as_of": c["as_of"],
                "date_from": c["from"],
                "measure": measure,
                "kind_label": OrgKind(c["kind"]).label if c["kind"] else "",
                "sector_label": Sector(c["sector"]).label if c["sector"] else "",
                "group_label": NationalGroup(c["group"]).label if c["group"] else "",
                "area_label": _area_label(c["area"]),
                "grouping_label": dict(GROUPINGS)[grouping],
                "back_url": reverse("registry:stats") + "?" + urlencode(back),
            }
        )
    # A broken link answers 400 with the reason rather than a list that matches no figure.
    return render(request, "registry/stats_drilldown.html", context, status=200 if context["valid"] else 400)


def _area_label(area_id: int | None) -> str:
    if area_id is None:
        return ""
    if area_id == selectors.UNKNOWN_AREA:
        return _("Area unknown")
    unit = AdminUnit.objects.filter(pk=area_id).first()
    return unit.name if unit else _("Area unknown")


# ---------------------------------------------------------------- presentation


class _Links:
    """Drilldown URLs for one set of figures."""

    def __init__(self, as_of, date_from, grouping):
        # The common part is encoded once: a national page has 16.000 links (issue #9).
        self.prefix = (
            reverse("registry:stats_drilldown")
            + "?"
            + urlencode({"as_of": as_of.strftime("%d/%m/%Y"), "grouping": grouping})
        )
        self.period = "&" + urlencode({"from": date_from.strftime("%d/%m/%Y")}) if date_from else ""

    def __call__(self, **params) -> str:
        url = self.prefix
        if params.get("measure") in ("founded", "dissolved"):
            url += self.period
        rest = {k: v for k, v in params.items() if v not in (None, "")}
        return url + "&" + urlencode(rest) if rest else url


def _area_param(area: dict) -> int:
    return area["area_id"] if area["area_id"] is not None else selectors.UNKNOWN_AREA


def _cards(stats, link) -> list[dict]:
    cards = []
    for kind in OrgKind:
        card = {
            "kind": kind.value,
            "label": kind.label,
            "count": stats.active.get(kind.value, 0),
            "url": link(kind=kind.value),
        }
        if stats.date_from:
            card.update(
                {
                    "founded": stats.founded.get(kind.value, 0),
                    "founded_url": link(kind=kind.value, measure="founded"),
                    "dissolved": stats.dissolved.get(kind.value, 0),
                    "dissolved_url": link(kind=kind.value, measure="dissolved"),
                }
            )
        cards.append(card)
    return cards


def _national(stats, link) -> dict:
    rows = [
        {"label": g.label, "count": stats.active_by_group.get(g.value, 0), "url": link(group=g.value)}
        for g in NationalGroup
    ]
    return {"rows": rows, "total": sum(r["count"] for r in rows)}


def _sector_table(stats, link) -> dict:
    """Sectors as rows, kinds as columns; every cell with its drilldown link."""
    rows = []
    for sector in Sector:
        cells = [
            {"count": stats.active_by_sector.get(k, {}).get(sector.value, 0), "url": link(kind=k, sector=sector.value)}
            for k in KINDS
        ]
        rows.append(
            {
                "label": sector.label,
                "cells": cells,
                "total": sum(c["count"] for c in cells),
                "url": link(sector=sector.value),
            }
        )
    totals = [{"count": stats.active.get(k, 0), "url": link(kind=k)} for k in KINDS]
    return {"kinds": KINDS, "rows": rows, "totals": totals, "total": stats.total_active, "url": link()}


def _area_table(stats, link) -> dict:
    rows = []
    for area in stats.areas:
        area_id = _area_param(area)
        # link(kind=k, area=area_id) spelled out: 700 districts or 3.300 communes nationally (issue #9).
        cells = [{"count": area["by_kind"].get(k, 0), "url": f"{link.prefix}&kind={k}&area={area_id}"} for k in KINDS]
        rows.append(
            {
                "label": area["area"],
                "parent": area["parent"],
                "cells": cells,
                "total": area["total"],
                "url": link(area=area_id),
            }
        )
    totals = [{"count": stats.active.get(k, 0), "url": link(kind=k)} for k in KINDS]
    # The parent unit only tells something when the areas are not all in one.
    show_parent = len({a["parent"] for a in stats.areas}) > 1
    return {
        "kinds": KINDS,
        "rows": rows,
        "totals": totals,
        "total": stats.total_active,
        "url": link(),
        "show_parent": show_parent,
    }


# Chart geometry, in SVG user units (the SVG scales to the page width).
LABEL_WIDTH, BAR_WIDTH, VALUE_WIDTH, ROW_HEIGHT, LEGEND_HEIGHT = 210, 500, 60, 24, 34
# Today's communes can be a hundred rows: the chart shows the largest, the table all of them.
CHART_MAX_BARS = 25


def _n(value: float) -> str:
    # Coordinates as plain strings: the template would localise a float to "12,5".
    return f"{value:.1f}".removesuffix(".0")


def _chart(stats, link) -> dict:
    """A stacked horizontal bar per area (largest first), one colour per kind, drawn server-side."""
    areas = sorted(stats.areas, key=lambda a: (-a["total"], a["area"]))
    hidden = max(0, len(areas) - CHART_MAX_BARS)
    areas = areas[:CHART_MAX_BARS]
    largest = max((a["total"] for a in areas), default=0) or 1
    bars = []
    for i, area in enumerate(areas):
        y = LEGEND_HEIGHT + i * ROW_HEIGHT
        x = float(LABEL_WIDTH)
        segments = []
        for kind in KINDS:
            count = area["by_kind"].get(kind, 0)
            if not count:
                continue
            width = count * BAR_WIDTH / largest
            segments.append(
                {
                    "kind": kind,
                    "x": _n(x),
                    "width": _n(max(width, 1)),
                    "count": count,
                    "label": OrgKind(kind).label,
                    "url": link(kind=kind, area=_area_param(area)),
                }
            )
            x += width
        bars.append(
            {
                "label": area["area"],
                "total": area["total"],
                "url": link(area=_area_param(area)),
                "segments": segments,
                "bar_y": _n(y + 4),
                "bar_height": _n(ROW_HEIGHT - 8),
                "text_y": _n(y + ROW_HEIGHT / 2 + 4),
                "value_x": _n(x + 6),
            }
        )
    legend = [
        {"kind": k.value, "label": k.value, "x": _n(LABEL_WIDTH + i * 90), "text_x": _n(LABEL_WIDTH + i * 90 + 18)}
        for i, k in enumerate(OrgKind)
    ]
    return {
        "bars": bars,
        "legend": legend,
        "hidden": hidden,
        "width": _n(LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH),
        "height": _n(LEGEND_HEIGHT + len(bars) * ROW_HEIGHT + 6),
        "label_x": _n(LABEL_WIDTH - 8),
        "axis_x": _n(LABEL_WIDTH),
        "axis_bottom": _n(LEGEND_HEIGHT + len(bars) * ROW_HEIGHT),
        "legend_y": "8",
        "legend_text_y": "20",
    }


def _periods(request, as_of: datetime.date, grouping: str) -> dict:
    """Quick links: the quarters and the whole of a year (as of its last day, or today if sooner)."""
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or as_of.year)
    except ValueError:
        year = as_of.year
    year = min(max(year, 1990), today.year)

    def period(label, start, end):
        if start > today:
            return {"label": label, "url": ""}
        end = min(end, today)
        query = {
            "from": start.strftime("%d/%m/%Y"),
            "as_of": end.strftime("%d/%m/%Y"),
            "grouping": grouping,
            "year": year,
        }
        return {
            "label": label,
            "url": "?" + urlencode(query),
            "current": request.GET.get("from") == start.strftime("%d/%m/%Y") and as_of == end,
        }

    quarters = []
    for q in range(1, 5):
        start = datetime.date(year, 3 * q - 2, 1)
        end = datetime.date(year + (q == 4), (3 * q) % 12 + 1, 1) - datetime.timedelta(days=1)
        quarters.append(period(_("Quarter %(quarter)s/%(year)s") % {"quarter": ROMAN[q], "year": year}, start, end))
    quarters.append(period(_("Year %(year)s") % {"year": year}, datetime.date(year, 1, 1), datetime.date(year, 12, 31)))

    def year_url(y):
        return "?" + urlencode({"as_of": as_of.strftime("%d/%m/%Y"), "grouping": grouping, "year": y})

    return {
        "year": year,
        "links": quarters,
        "previous_url": year_url(year - 1),
        "next_url": year_url(year + 1) if year < today.year else "",
    }
