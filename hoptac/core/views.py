"""Pages of the product as a whole: the public home page."""

from django.shortcuts import render
from django.utils import timezone

from hoptac.registry.models import OrgKind
from hoptac.registry.selectors import registry_statistics
from hoptac.returns.selectors import dashboard_for


def home(request):
    """Public landing page with today's headline counts (counts only: public data)."""
    today = timezone.localdate()
    stats = registry_statistics(as_of=today)
    figures = [{"kind": kind.value, "label": kind.label, "count": stats.active.get(kind.value, 0)} for kind in OrgKind]
    dashboard = dashboard_for(request.user, today) if request.user.is_authenticated else None
    return render(
        request,
        "core/home.html",
        {"figures": figures, "total": stats.total_active, "today": today, "returns_dashboard": dashboard},
    )
