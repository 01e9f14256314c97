"""The organisation picker's search: options for the text box, among the organisations the user may see."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from .. import selectors

LIMIT = 20


@login_required
@require_GET
def org_search(request):
    """At most LIMIT organisations whose name or code contains every word typed, diacritics ignored."""
    query = request.GET.get("q", "")[:100]
    found = selectors.organization_search(request.user, query, limit=LIMIT + 1)
    response = render(
        request,
        "awards/widgets/_organization_options.html",
        {"organizations": found[:LIMIT], "more": len(found) > LIMIT, "limit": LIMIT, "query": query.strip()},
    )
    patch_cache_control(response, private=True, no_store=True)
    return response
