"""The portal's middleware: counts public page views, and guards and frames the CMS's pages.

Counting keeps no personal data: no address, no cookie, no browser string, only the page's
path and the day. Static files, the CMS, the Django admin, staff pages, robots, htmx
fragments, prefetches and the alliance's own staff are not counted.
"""

import logging
import re

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.utils import timezone
from django.utils.csp import CSP

from .services import visit_record

logger = logging.getLogger(__name__)

# A simple test, not a robot database: what crawlers, link previewers and scripts call themselves.
BOTS = re.compile(
    r"bot|crawl|spider|slurp|archiver|preview|monitor|facebookexternalhit|embedly|headless|lighthouse|"
    r"curl|wget|python|httpx|aiohttp|okhttp|java/|go-http|libwww|scrapy|httpclient|axios|node-fetch",
    re.IGNORECASE,
)

# Wagtail's admin starts some widgets (date pickers, image and document choosers, inline
# panels) with inline <script> blocks. Its pages, and only them, get a nonce on every <script>
# element the server rendered, so those run; inline event handlers (onclick=…) and javascript:
# URLs stay refused. See docs/decisions/0009-portal-cms.md.
DRAFTAIL_LIST_STYLE = "'sha256-Mhr2Q/2u+/s2WzwlFRrqCw7x0IU+emukGS8Q9RtPZ44='"
CMS_CSP = {
    **settings.SECURE_CSP,
    "script-src": [*settings.SECURE_CSP["script-src"], CSP.NONCE],
    # No 'unsafe-inline': the CMS's pages carry no inline style (scripts setting element.style are
    # not affected). The rich-text editor (Draftail) adds one fixed <style> element for nested lists,
    # allowed by its hash; the other it adds (the grey hint in an empty heading) stays refused.
    "style-src": [*settings.SECURE_CSP["style-src"], DRAFTAIL_LIST_STYLE],
    # Image uploads are previewed through blob: URLs.
    "img-src": [*settings.SECURE_CSP["img-src"], "blob:"],
    # The page editor's live preview shows the page in a frame of the same origin.
    "frame-ancestors": [CSP.SELF],
}
_SCRIPT_TAG = re.compile(rb"<script(?=[\s>])(?![^>]*\bnonce=)", re.IGNORECASE)


def add_script_nonces(request, response) -> None:
    """Give the CMS page's own <script> elements the request's CSP nonce."""
    if getattr(response, "streaming", False) or not response.get("Content-Type", "").startswith("text/html"):
        return
    if b"<script" not in response.content:
        return
    nonce = str(request._csp_nonce).encode()
    response.content = _SCRIPT_TAG.sub(b'<script nonce="' + nonce + b'"', response.content)
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(response.content))


def is_public_path(path: str) -> bool:
    """Pages the public reads: the home page and everything under the public prefixes (settings)."""
    if path == "/":
        return True
    return any(path.startswith(prefix) for prefix in settings.PORTAL_PUBLIC_PREFIXES)


def should_count(request, response) -> bool:
    """Whether this request is a person's view of a public page."""
    if request.method != "GET" or response.status_code != 200 or getattr(response, "streaming", False):
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    if not is_public_path(request.path_info):
        return False
    headers = request.headers
    if "HX-Request" in headers or "prefetch" in (headers.get("Sec-Purpose", "") + headers.get("Purpose", "")):
        return False
    agent = headers.get("User-Agent", "")
    if not agent or BOTS.search(agent):
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated and user.is_alliance)


class PortalMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.cms_prefix = settings.PORTAL_CMS_PREFIX

    def __call__(self, request):
        in_cms = request.path_info.startswith(self.cms_prefix)
        if in_cms:
            user = getattr(request, "user", None)
            # A cooperative's or an area officer's account never edits the portal, whatever its groups say.
            if user is not None and user.is_authenticated and not user.is_alliance:
                raise PermissionDenied
        response = self.get_response(request)
        if in_cms:
            add_script_nonces(request, response)
            response._csp_config = CMS_CSP
        elif should_count(request, response):
            try:
                visit_record(path=request.path_info, day=timezone.localdate())
            except DatabaseError:
                # A busy database must not cost the visitor the page.
                logger.warning("visit not counted for %s", request.path_info, exc_info=True)
        return response
