"""The public directory: organisations operating today, with public business facts only.

Only name, code, type, sector, place and founding date ever leave the database here:
``hoptac.api.selectors.public_organizations`` loads no other column, so a template change
cannot leak a phone number. The profile, area, statistics and open data pages beside it
are in ``hoptac.api.public_views``.
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from hoptac.api.forms import PublicDirectoryForm
from hoptac.api.selectors import LAST_DISTRICT_DAY, public_organizations

from . import selectors

PAGE_SIZE = 50


@require_GET
def directory(request):
    today = timezone.localdate()
    district_day = min(today, LAST_DISTRICT_DAY)
    form = PublicDirectoryForm(request.GET, province_code=settings.ALLIANCE_PROVINCE_CODE, district_day=district_day)
    qs = public_organizations(today)
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
        if data["commune_now"]:
            qs = qs.filter(commune__current=data["commune_now"])
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
