"""Public pages beside the directory: an organisation's profile, where organisations are, the open
statistics and the open data files.

Nothing here needs an account, and nothing here reads a column outside
``selectors.PUBLIC_FIELDS`` or a figure outside ``registry_statistics``: the pages, the files
and the API's public endpoints show the same things.
"""

import csv
import datetime
import io
import json
from urllib.parse import urlencode

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from openpyxl import load_workbook

from hoptac.core.xlsx import defuse_formulas
from hoptac.geo.models import Level
from hoptac.registry import stats_export
from hoptac.registry.models import NationalGroup, OrgKind, Sector, national_group
from hoptac.registry.selectors import registry_statistics

from . import selectors
from .charts import bar_chart
from .forms import OpenStatisticsForm
from .serializers import PublicOrganizationSerializer, StatisticsSerializer

KINDS = [k.value for k in OrgKind]
LICENCE = {
    "name": "CC BY 4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "url": "https://creativecommons.org/licenses/by/4.0/",
}


def licence_notice() -> dict:
    """The licence and the attribution the open data asks for, as every file states them."""
    return {**LICENCE, "attribution": f"Nguồn: {settings.ALLIANCE_NAME}"}


# ---------------------------------------------------------------- profile


@require_GET
def profile(request, code: str):
    """An organisation of the directory: public facts, products, collective awards, value chains."""
    org = selectors.public_organization(code)
    if org is None:
        raise Http404
    context = {
        "org": org,
        "today": timezone.localdate(),
        "national_group": NationalGroup(national_group(org.kind, org.sector)).label,
        "awards": selectors.public_awards(org),
        "value_chains": selectors.public_value_chains(org),
        "products": selectors.public_products(org),
    }
    return render(request, "api/public/profile.html", context)


# ---------------------------------------------------------------- areas


@require_GET
def areas(request):
    """Where the organisations operating today are: by district and commune as on 30/06/2025, and by today's commune."""
    view = selectors.area_view()
    directory = reverse("directory:list")
    rows = []
    for row in view.districts:
        if row.unit_id == selectors.AFTER_DISTRICTS:
            rows.append((_("Communes created after 30/06/2025"), row.by_kind, ""))
        else:
            rows.append((row.name, row.by_kind, f"{directory}?district={row.unit_id}"))
    chart = bar_chart(rows)
    context = {"view": view, "chart": chart, "kinds": KINDS, "AFTER_DISTRICTS": selectors.AFTER_DISTRICTS}
    return render(request, "api/public/areas.html", context)


# ---------------------------------------------------------------- open statistics


def _statistics_params(request) -> tuple[OpenStatisticsForm, datetime.date, datetime.date | None, str]:
    today = timezone.localdate()
    data = request.GET.copy()
    if not data.get("as_of"):
        data["as_of"] = today.strftime("%d/%m/%Y")
    if not data.get("grouping"):
        data["grouping"] = "then"
    form = OpenStatisticsForm(data)
    form.is_valid()
    cleaned = form.cleaned_data
    return form, cleaned.get("as_of") or today, cleaned.get("from"), cleaned.get("grouping") or "then"


@require_GET
def statistics(request):
    """The figures on any date for the whole province, with a chart; as CSV, xlsx or JSON with ?format=."""
    form, as_of, date_from, grouping = _statistics_params(request)
    stats = registry_statistics(as_of=as_of, date_from=date_from, grouping=grouping)
    fmt = request.GET.get("format")
    if fmt == "csv":
        return _attachment(statistics_csv(stats), "text/csv; charset=utf-8", _stats_filename(stats, "csv"))
    if fmt == "xlsx":
        return _attachment(statistics_xlsx(stats), stats_export.CONTENT_TYPE, _stats_filename(stats, "xlsx"))
    if fmt == "json":
        return _attachment(statistics_json(stats), "application/json", _stats_filename(stats, "json"))

    query = {"as_of": as_of.strftime("%d/%m/%Y"), "grouping": grouping}
    if date_from:
        query["from"] = date_from.strftime("%d/%m/%Y")
    areas = sorted(stats.areas, key=lambda a: (-a["total"], a["area"]))
    context = {
        "form": form,
        "stats": stats,
        "cards": [
            {
                "kind": k.value,
                "label": k.label,
                "count": stats.active.get(k.value, 0),
                "founded": stats.founded.get(k.value, 0),
                "dissolved": stats.dissolved.get(k.value, 0),
            }
            for k in OrgKind
        ],
        "national": [{"label": g.label, "count": stats.active_by_group.get(g.value, 0)} for g in NationalGroup],
        "sectors": [
            {
                "label": s.label,
                "cells": [stats.active_by_sector.get(k, {}).get(s.value, 0) for k in KINDS],
                "total": sum(stats.active_by_sector.get(k, {}).get(s.value, 0) for k in KINDS),
            }
            for s in Sector
        ],
        "areas": [
            {"label": a["area"], "parent": a["parent"], "cells": [a["by_kind"].get(k, 0) for k in KINDS], **a}
            for a in stats.areas
        ],
        "show_parent": len({a["parent"] for a in stats.areas}) > 1,
        "kinds": KINDS,
        "totals": [stats.active.get(k, 0) for k in KINDS],
        "chart": bar_chart([(a["area"], a["by_kind"], "") for a in areas]),
        "downloads": {fmt: "?" + urlencode({**query, "format": fmt}) for fmt in ("csv", "xlsx", "json")},
        "last_update": selectors.last_update(),
        "licence": licence_notice(),
    }
    return render(request, "api/public/statistics.html", context)


def _stats_filename(stats, ext: str) -> str:
    return stats_export.filename(stats).removesuffix(".xlsx") + "." + ext


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


STATISTICS_CSV_HEADER = ["ngay_so_lieu", "tu_ngay", "chi_so", "dia_ban", "loai_hinh", "linh_vuc", "nhom", "so_luong"]


def statistics_csv(stats) -> bytes:
    """The figures as one long table: a row per count (measure, area, type, sector, national group)."""
    as_of = stats.as_of.isoformat()
    start = stats.date_from.isoformat() if stats.date_from else ""
    rows = []
    for kind in KINDS:
        for sector in [s.value for s in Sector]:
            rows.append([as_of, start, "active", "", kind, sector, "", stats.active_by_sector[kind][sector]])
    for group in NationalGroup:
        rows.append([as_of, start, "active", "", "", "", group.value, stats.active_by_group.get(group.value, 0)])
    for area in stats.areas:
        for kind in KINDS:
            rows.append([as_of, start, "active", area["area"], kind, "", "", area["by_kind"].get(kind, 0)])
    if stats.date_from:
        for measure, counts in (("founded", stats.founded), ("dissolved", stats.dissolved)):
            for kind in KINDS:
                rows.append([as_of, start, measure, "", kind, "", "", counts.get(kind, 0)])
    return _csv_bytes(STATISTICS_CSV_HEADER, rows)


def statistics_xlsx(stats) -> bytes:
    """The statistics workbook of the staff page, plus a sheet with the licence and the source."""
    book = load_workbook(io.BytesIO(stats_export.statistics_workbook(stats, scope="toàn tỉnh")))
    sheet = book.create_sheet("Giấy phép")
    notice = licence_notice()
    last = selectors.last_update()
    for row in (
        ["Giấy phép", f"{notice['name']} ({notice['title']})"],
        ["Địa chỉ giấy phép", notice["url"]],
        ["Ghi nguồn", notice["attribution"]],
        ["Dữ liệu cập nhật lần cuối", timezone.localtime(last).strftime("%d/%m/%Y %H:%M") if last else ""],
    ):
        sheet.append(row)
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 70
    out = io.BytesIO()
    defuse_formulas(book)
    book.save(out)
    return out.getvalue()


def statistics_json(stats) -> bytes:
    data = {"meta": _meta(), "statistics": StatisticsSerializer(stats).data}
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1).encode()


def _csv_bytes(header: list[str], rows) -> bytes:
    out = io.StringIO()
    # The byte-order mark makes Excel read the file as UTF-8 (Vietnamese names intact).
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def _meta() -> dict:
    last = selectors.last_update()
    return {
        "publisher": settings.ALLIANCE_NAME,
        "licence": licence_notice(),
        "last_update": last.isoformat() if last else None,
        "generated": timezone.now().isoformat(),
    }


# ---------------------------------------------------------------- open data


DIRECTORY_CSV_HEADER = [
    "ma_so",
    "ten",
    "loai_hinh",
    "linh_vuc",
    "ngay_thanh_lap",
    "ma_xa",
    "xa",
    "ma_huyen",
    "huyen",
    "ma_xa_hien_nay",
    "xa_hien_nay",
]


def directory_csv() -> bytes:
    """The public directory as CSV (codes for type and sector; see the open data page)."""
    rows = []
    for org in selectors.public_organizations().iterator(chunk_size=1000):
        commune, parent, current = org.commune, org.commune.parent, org.commune.current
        district = parent if parent is not None and parent.level == Level.DISTRICT else None
        rows.append(
            [
                org.code,
                org.name,
                org.kind,
                org.sector,
                org.founded_on.isoformat(),
                commune.code,
                commune.name,
                district.code if district else "",
                district.name if district else "",
                current.code if current else "",
                current.name if current else "",
            ]
        )
    return _csv_bytes(DIRECTORY_CSV_HEADER, rows)


def directory_json(request) -> bytes:
    organizations = PublicOrganizationSerializer(
        selectors.public_organizations(), many=True, context={"request": request}
    ).data
    data = {"meta": {**_meta(), "as_of": timezone.localdate().isoformat()}, "organizations": organizations}
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1).encode()


@require_GET
def directory_download(request, fmt: str):
    """The whole public directory of today as one file."""
    name = f"danh-ba-kttt-{timezone.localdate().isoformat()}"
    if fmt == "csv":
        return _attachment(directory_csv(), "text/csv; charset=utf-8", f"{name}.csv")
    if fmt == "json":
        return _attachment(directory_json(request), "application/json", f"{name}.json")
    raise Http404


@require_GET
def open_data(request):
    """What can be downloaded, in which formats, under which licence, and how fresh it is."""
    today = timezone.localdate()
    context = {
        "today": today,
        "last_update": selectors.last_update(),
        "licence": licence_notice(),
        "count": selectors.public_organizations().count(),
        "stats_url": reverse("directory:statistics"),
        "directory_fields": DIRECTORY_CSV_HEADER,
        "statistics_fields": STATISTICS_CSV_HEADER,
    }
    return render(request, "api/public/open_data.html", context)
