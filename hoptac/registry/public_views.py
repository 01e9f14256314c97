"""The public directory: organisations operating today, with public business facts only.

Only name, code, type, sector, place and founding date ever leave the database here:
the queryset loads no other column, so a template change cannot leak a phone number.
"""

import datetime

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from hoptac.geo.models import REFORM_2025

from . import selectors
from .forms import DirectoryFilterForm
from .models import Organization

PAGE_SIZE = 50
PUBLIC_FIELDS = [
    "code",
    "name",
    "kind",
    "sector",
    "founded_on",
    "commune",
    "commune__name",
    "commune__parent",
    "commune__parent__name",
    "commune__current",
    "commune__current__name",
]
# Districts were abolished on 01/07/2025; the directory still lets people look for the one they know.
LAST_DISTRICT_DAY = REFORM_2025 - datetime.timedelta(days=1)


@require_GET
def directory(request):
    today = timezone.localdate()
    district_day = min(today, LAST_DISTRICT_DAY)
    form = DirectoryFilterForm(request.GET, province_code=settings.ALLIANCE_PROVINCE_CODE, district_day=district_day)
    qs = Organization.objects.current().active_on(today)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            qs = qs.search(data["q"])
        if data["kind"]:
            qs = qs.filter(kind=data["kind"])
        if data["sector"]:
            qs = qs.filter(sector=data["sector"])
        if data["district"]:
            qs = qs.filter(commune_id__in=selectors.communes_in_district_on(data["district"].pk, district_day))
    qs = qs.select_related("commune__parent", "commune__current").only(*PUBLIC_FIELDS).order_by("name", "id")
    paginator = Paginator(qs, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    htmx = request.headers.get("HX-Request") == "true" and request.headers.get("HX-History-Restore-Request") != "true"
    context = {
        "form": form,
        "page_obj": page,
        "page_range": paginator.get_elided_page_range(page.number),
        "today": today,
        "htmx": htmx,
    }
    template = "registry/_directory_results.html" if htmx else "registry/directory.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
