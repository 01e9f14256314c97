from django.urls import path

from . import views

app_name = "valuechain"
urlpatterns = [
    path("", views.index, name="index"),
]
