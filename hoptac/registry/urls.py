from django.urls import path

from . import import_views, stats_views, views

app_name = "registry"
urlpatterns = [
    path("", views.organization_list, name="list"),
    path("new/", views.organization_create, name="create"),
    path("<int:pk>/", views.organization_detail, name="detail"),
    path("<int:pk>/edit/", views.organization_edit, name="edit"),
    path("<int:pk>/archive/", views.organization_archive, name="archive"),
    path("<int:pk>/restore/", views.organization_restore, name="restore"),
    path("<int:pk>/events/new/", views.event_create, name="event_create"),
    path("<int:pk>/membership/", views.membership_change, name="membership"),
    path("export/", import_views.export, name="export"),
    path("template.xlsx", import_views.template, name="template"),
    path("import/", import_views.upload, name="import"),
    # --- several servers (issue #9): a background import's progress and result
    path("import/<int:pk>/", import_views.import_job, name="import_job"),
    # --- end several servers
    path("stats/", stats_views.statistics, name="stats"),
    path("stats/organizations/", stats_views.drilldown, name="stats_drilldown"),
]
