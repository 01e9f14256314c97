from django.urls import path

from . import views

app_name = "public_reports"
urlpatterns = [
    path("", views.public_list, name="list"),
    path("<int:pk>/", views.public_detail, name="detail"),
    path("<int:pk>/bao-cao.<str:fmt>", views.public_file, name="file"),
]
