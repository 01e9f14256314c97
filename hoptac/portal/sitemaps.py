"""sitemap.xml: the home page, the public lists, every public portal page and published report."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from wagtail.models import Page

from hoptac.briefing.selectors import published_reports

from .models import HomePage


class PublicViewsSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return ["home", "directory:list", "public_reports:list"]

    def location(self, item):
        return reverse(item)


class PortalPagesSitemap(Sitemap):
    """Live, public Wagtail pages (the portal's root redirects to the home page: not listed)."""

    changefreq = "weekly"

    def items(self):
        return Page.objects.live().public().exclude(depth=1).not_type(HomePage).order_by("path")

    def location(self, item):
        return item.url

    def lastmod(self, item):
        return item.last_published_at


class PublishedReportsSitemap(Sitemap):
    changefreq = "yearly"

    def items(self):
        return published_reports()

    def location(self, item):
        return reverse("public_reports:detail", args=[item.pk])

    def lastmod(self, item):
        return item.published_on


SITEMAPS = {"pages": PublicViewsSitemap, "portal": PortalPagesSitemap, "reports": PublishedReportsSitemap}
