from django.urls import path

from . import views

app_name = "training"
urlpatterns = [
    path("", views.index, name="index"),
    path("plans/", views.plan_list, name="plans"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/issue/", views.plan_issue, name="plan_issue"),
    path("plans/<int:pk>/export.xlsx", views.plan_export, name="plan_export"),
    path("plans/<int:pk>/courses/new/", views.planned_add, name="planned_add"),
    path("plans/<int:pk>/courses/<int:planned_pk>/edit/", views.planned_edit, name="planned_edit"),
    path("courses/", views.course_list, name="courses"),
    path("courses/new/", views.course_create, name="course_create"),
    path("courses/<int:pk>/", views.course_detail, name="course"),
    path("courses/<int:pk>/edit/", views.course_edit, name="course_edit"),
    path("courses/<int:pk>/held/", views.course_held, name="course_held"),
    path("courses/<int:pk>/cancel/", views.course_cancel, name="course_cancel"),
    path("courses/<int:pk>/export.xlsx", views.course_export, name="course_export"),
    path("courses/<int:pk>/participants/", views.participant_add, name="participant_add"),
    path("courses/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("courses/<int:pk>/import/", views.import_check, name="import"),
    path("courses/<int:pk>/import/confirm/", views.import_confirm, name="import_confirm"),
    path("courses/<int:pk>/import/template.xlsx", views.import_template, name="import_template"),
    path("participants/<int:pk>/edit/", views.participant_edit, name="participant_edit"),
    path("participants/<int:pk>/archive/", views.participant_archive, name="participant_archive"),
    path("participants/<int:pk>/restore/", views.participant_restore, name="participant_restore"),
]
