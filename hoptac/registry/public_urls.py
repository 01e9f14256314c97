from django.urls import path

from hoptac.api import public_views as open_data

from . import public_views

app_name = "directory"
urlpatterns = [
    path("", public_views.directory, name="list"),
    path("areas/", open_data.areas, name="areas"),
    path("statistics/", open_data.statistics, name="statistics"),
    path("open-data/", open_data.open_data, name="open_data"),
    path("open-data/directory.<str:fmt>", open_data.directory_download, name="download"),
    path("<str:code>/", open_data.profile, name="profile"),
]
