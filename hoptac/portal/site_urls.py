"""The portal's addresses outside /portal/'s own views, included at the site's root.

Wagtail's page pattern takes any path under /portal/, so it comes last, after the portal's
own views (``hoptac.portal.urls``, included before this module).
"""

from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from . import views
from .sitemaps import SITEMAPS

urlpatterns = [
    path("cms/", include(wagtailadmin_urls)),
    path("portal/tai-lieu/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    re_path(r"^media/(?P<path>(?:images|original_images)/.+)$", views.public_image, name="portal_image"),
    path("portal/", include(wagtail_urls)),
]
