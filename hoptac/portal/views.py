"""The portal's pages outside Wagtail's tree: search, the visit counts, public images.

The articles and categories themselves are Wagtail pages (models.py) served under /portal/.
"""

import mimetypes

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import selectors
from .forms import VisitRangeForm, default_range

# The only folders of MEDIA_ROOT that are public: Wagtail's images and their renditions.
PUBLIC_MEDIA_FOLDERS = ("images/", "original_images/")
PUBLIC_IMAGE_TYPES = {"jpg", "jpeg", "png", "webp", "gif", "avif"}


@require_GET
def search(request):
    query = request.GET.get("q", "").strip()[:200]
    results = selectors.paginate(request, selectors.search_articles(query)) if query else None
    return render(request, "portal/search.html", {"query": query, "results": results})


@require_GET
def news(request):
    """The menu's "Tin tức": the first category of the portal's menu (the news), or the home page."""
    first = next(iter(selectors.menu_categories()), None)
    return redirect(first.url if first is not None else "home")


@login_required
@require_GET
def visits(request):
    if not selectors.can_see_visits(request.user):
        raise PermissionDenied
    start, end = default_range()
    form = VisitRangeForm(request.GET or {"date_from": start.strftime("%d/%m/%Y"), "date_to": end.strftime("%d/%m/%Y")})
    if form.is_valid():
        start, end = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    days = selectors.daily_visits(start, end)
    busiest = max((n for _day, n in days), default=0)
    top = selectors.top_pages(start, end)
    titles = {
        "/": _("Home page"),
        "/directory/": _("Public directory"),
        "/bao-cao/": _("Published reports"),
        **selectors.page_titles([path for path, _n in top]),
    }
    return render(
        request,
        "portal/visits.html",
        {
            "form": form,
            "date_from": start,
            "date_to": end,
            "summary": selectors.visits_per_day(start, end),
            "days": list(reversed(days)),
            "busiest": busiest,
            "pages": [(path, titles.get(path, ""), count) for path, count in top],
            "title": _("Portal visits"),
        },
    )


@require_GET
def public_image(request, path: str):
    """A Wagtail image or rendition; nothing else of MEDIA_ROOT (reports and fund files are private)."""
    if not path.startswith(PUBLIC_MEDIA_FOLDERS) or ".." in path.split("/"):
        raise Http404
    # Pictures only, whatever lies in those folders: never an SVG, HTML or script served inline.
    if path.rsplit(".", 1)[-1].lower() not in PUBLIC_IMAGE_TYPES:
        raise Http404
    if not default_storage.exists(path):
        raise Http404
    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    # Through the storage API, so that pictures kept in an S3-compatible store are served too.
    response = FileResponse(default_storage.open(path, "rb"), content_type=content_type)
    # Renditions never change under one name: a new picture gets a new file name.
    response["Cache-Control"] = "public, max-age=2592000, immutable"
    return response
