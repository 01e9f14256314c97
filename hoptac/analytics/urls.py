from django.urls import path

from . import views

app_name = "analytics"
urlpatterns = [
    path("", views.index, name="index"),
    path("cell/", views.cell, name="cell"),
    path("grades/", views.grades, name="grades"),
    path("grades/cell/", views.grades_cell, name="grades_cell"),
]
