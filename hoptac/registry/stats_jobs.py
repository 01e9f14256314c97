"""The statistics workbook as an export job (hoptac/core/exports.py, issue #9): long at national scale.

The same workbook as the statistics page's "Excel" link (stats_views.statistics with
``format=xlsx``): the same parameters, read by the page's own form, the same selector over the
organisations the user may see, the same scope line.
"""

import datetime
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoptac.core import exports

from . import selectors, stats_export
from .stats_views import StatisticsForm, _scope


def check(user, params: dict) -> dict:
    """The page's parameters (as_of, from, grouping; dates as on the page or ISO), as ISO dates."""
    data = {name: params.get(name) or "" for name in ("as_of", "from", "grouping")}
    data["as_of"] = data["as_of"] or timezone.localdate().isoformat()
    data["grouping"] = data["grouping"] or "then"
    form = StatisticsForm(data)
    if not form.is_valid():
        raise ValidationError([error for errors in form.errors.values() for error in errors])
    cleaned = form.cleaned_data
    return {
        "as_of": cleaned["as_of"].isoformat(),
        "from": cleaned["from"].isoformat() if cleaned["from"] else "",
        "grouping": cleaned["grouping"],
    }


def build(params: dict, user) -> tuple[str, str, bytes]:
    date_from = params.get("from")
    stats = selectors.registry_statistics(
        as_of=datetime.date.fromisoformat(params["as_of"]),
        date_from=datetime.date.fromisoformat(date_from) if date_from else None,
        grouping=params["grouping"],
        queryset=selectors.organizations_for(user),
    )
    content = stats_export.statistics_workbook(stats, scope=_scope(user))
    return stats_export.filename(stats), stats_export.CONTENT_TYPE, content


def back(params: dict) -> str:
    """The statistics page with the file's parameters (dates as the page writes them)."""
    query = {"grouping": params["grouping"], "as_of": datetime.date.fromisoformat(params["as_of"]).strftime("%d/%m/%Y")}
    if params.get("from"):
        query["from"] = datetime.date.fromisoformat(params["from"]).strftime("%d/%m/%Y")
    return f"{reverse('registry:stats')}?{urlencode(query)}"


exports.register("registry.statistics_xlsx", build, _("Statistics (xlsx)"), check, back)
