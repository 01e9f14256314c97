from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from hoptac.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    # Login (password, then the two-factor code) and one's two-factor settings: hoptac/core/auth/.
    path("accounts/", include("hoptac.core.auth.urls")),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("registry/", include("hoptac.registry.urls")),
    path("directory/", include("hoptac.registry.public_urls")),
    path("fund/", include("hoptac.fund.urls")),
    path("awards/", include("hoptac.awards.urls")),
    path("journal/", include("hoptac.journal.urls")),
    path("training/", include("hoptac.training.urls")),
    path("value-chains/", include("hoptac.valuechain.urls")),
    path("reports/", include("hoptac.briefing.urls")),
    path("returns/", include("hoptac.returns.urls")),
    path("returns/statistics/", include("hoptac.analytics.urls")),
    path("bao-cao/", include("hoptac.briefing.public_urls")),
    path("api/v1/", include("hoptac.api.urls")),
    # --- export jobs (issue #9): files made by the background worker (hoptac/core/exports.py)
    path("exports/", include("hoptac.core.export_urls")),
    # --- end export jobs
    # --- portal (issue #7): the public site's URLs; owned by the portal work.
    path("portal/", include("hoptac.portal.urls")),
    # The CMS (/cms/), attachments, images, sitemap.xml and Wagtail's pages under /portal/.
    path("", include("hoptac.portal.site_urls")),
    # --- end portal
    path("admin/", admin.site.urls),
]
