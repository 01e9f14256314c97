from django.urls import path

from . import views

app_name = "awards"
urlpatterns = [
    path("", views.index, name="index"),
    path("decisions/", views.decision_list, name="decisions"),
    path("decisions/new/", views.decision_create, name="decision_create"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision"),
    path("decisions/<int:pk>/recipients/", views.recipient_add, name="recipient_add"),
    path("decisions/<int:pk>/export.xlsx", views.decision_export, name="decision_export"),
    path("counts/", views.counts, name="counts"),
    path("counts/export.xlsx", views.counts_export, name="counts_export"),
    path("counts/recipients/", views.recipients, name="recipients"),
    path("movements/", views.movement_list, name="movements"),
    path("movements/new/", views.movement_create, name="movement_create"),
    path("blocs/", views.bloc_list, name="blocs"),
    path("blocs/new/", views.bloc_create, name="bloc_create"),
    path("registrations/", views.registration_list, name="registrations"),
    path("registrations/new/", views.registration_create, name="registration_create"),
]
