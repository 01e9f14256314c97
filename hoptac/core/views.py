"""Pages of the product as a whole: the public home page, which is also the portal's front page."""

from django.shortcuts import render
from django.utils import timezone

from hoptac.portal import selectors as portal
from hoptac.registry.models import OrgKind
from hoptac.registry.selectors import registry_statistics
from hoptac.returns.selectors import dashboard_for

LATEST_NEWS = 7
LATEST_REPORTS = 4


def home(request):
    """Public landing page: today's headline counts (counts only: public data), the latest news and reports.

    A signed-in user also sees their returns dashboard; the alliance's staff a link to the visit counts.
    """
    today = timezone.localdate()
    stats = registry_statistics(as_of=today)
    figures = [{"kind": kind.value, "label": kind.label, "count": stats.active.get(kind.value, 0)} for kind in OrgKind]
    dashboard = dashboard_for(request.user, today) if request.user.is_authenticated else None
    archive = portal.portal_reports(LATEST_REPORTS)
    return render(
        request,
        "core/home.html",
        {
            "figures": figures,
            "total": stats.total_active,
            "today": today,
            "returns_dashboard": dashboard,
            "news": portal.latest_articles(LATEST_NEWS),
            "reports": archive.reports,
            "reports_page": archive.page,
            "portal_home": portal.portal_home(),
            "sees_visits": portal.can_see_visits(request.user),
        },
    )
