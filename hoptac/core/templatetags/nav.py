"""What the page header needs on every page, whichever view rendered it.

A template library rather than a context processor, so pages of every app get the
navigation without each view passing it.
"""

from django import template
from django.conf import settings

register = template.Library()

# Which header link a view belongs to; views not listed highlight nothing.
SECTIONS = {
    "home": "home",
    "registry:stats": "stats",
    "registry:stats_drilldown": "stats",
    "registry:import": "import",
    "registry:template": "import",
    "directory:list": "directory",
    "public_reports:list": "public_reports",
    "public_reports:detail": "public_reports",
    "wagtail_serve": "news",  # the portal's pages (news, categories, articles)
    "portal:search": "news",
}


@register.simple_tag
def alliance_name() -> str:
    return settings.ALLIANCE_NAME


@register.filter
def can_manage_registry(user) -> bool:
    from hoptac.registry.selectors import can_manage_registry as allowed

    return allowed(user)


@register.filter
def can_manage_fund(user) -> bool:
    from hoptac.fund.selectors import can_manage_fund as allowed

    return allowed(user)


@register.filter
def sees_fund(user) -> bool:
    """Users whose fund pages can list something: the alliance, area officers, a cooperative's account."""
    from hoptac.core.models import Role

    if not getattr(user, "is_authenticated", False):
        return False
    return (
        user.is_alliance
        or user.role == Role.AREA_OFFICER
        or (user.role == Role.COOPERATIVE and bool(user.organization_id))
    )


@register.simple_tag(takes_context=True)
def nav_section(context) -> str:
    match = getattr(context.get("request"), "resolver_match", None)
    if match is None:
        return ""
    if match.view_name in SECTIONS:
        return SECTIONS[match.view_name]
    if match.namespace in ("fund", "awards", "journal", "training", "valuechain", "briefing", "returns"):
        return match.namespace
    if match.namespace == "directory":
        return "directory"
    if match.namespace == "analytics":
        return "returns"
    return "registry" if match.namespace == "registry" else ""
