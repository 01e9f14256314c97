"""What every portal page needs: the categories menu and absolute addresses for link previews."""

from django import template

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_menu(context) -> list:
    """The portal's categories, read once per request."""
    request = context.get("request")
    cached = getattr(request, "_portal_menu", None)
    if cached is None:
        cached = selectors.menu_categories()
        if request is not None:
            request._portal_menu = cached
    return cached


@register.simple_tag(takes_context=True)
def absolute_url(context, path: str) -> str:
    """``path`` as a full address (Open Graph and feeds need the scheme and host)."""
    request = context.get("request")
    if not path or request is None:
        return path or ""
    return request.build_absolute_uri(path)
