"""What an article's body may contain, and the cleaning that enforces it on every save.

Wagtail's editor already produces only the features listed here; cleaning again on save
covers every other way a body can be written (the demo, a script, a future import), so a
``<script>`` or an ``onerror=`` can never reach a public page.
"""

from bs4 import BeautifulSoup

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link", "image", "hr", "blockquote"]

# Elements removed with everything inside them (the whitelist alone would keep their text).
_DROP_WITH_CONTENT = ["script", "style", "template", "noscript", "iframe", "object", "svg", "math"]


def sanitise(html: str | None) -> str:
    """Return the body in Wagtail's database format with only the allowed elements and attributes."""
    if not html:
        return ""
    doc = BeautifulSoup(html, "html.parser")
    for tag in doc.find_all(_DROP_WITH_CONTENT):
        tag.decompose()
    # Imported here: Wagtail's converters need the app registry, and models.py imports this module.
    from wagtail.admin.rich_text.converters.db_html import DbHTMLConverter

    cleaned, _removals = DbHTMLConverter(features=RICH_TEXT_FEATURES).clean(str(doc))
    return cleaned
