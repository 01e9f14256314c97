from django.urls import path

from . import views

app_name = "journal"
urlpatterns = [
    path("", views.index, name="index"),
    path("export.xlsx", views.export, name="export"),
    path("entries/new/", views.entry_create, name="entry_create"),
    path("entries/<int:pk>/", views.entry_detail, name="entry"),
    path("entries/<int:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("entries/<int:pk>/archive/", views.entry_archive, name="entry_archive"),
    path("entries/<int:pk>/restore/", views.entry_restore, name="entry_restore"),
    path("documents/", views.document_list, name="documents"),
    path("documents/new/", views.document_create, name="document_create"),
    path("documents/<int:pk>/", views.document_detail, name="document"),
    path("documents/<int:pk>/edit/", views.document_edit, name="document_edit"),
    path("documents/<int:pk>/submit/", views.document_submit, name="document_submit"),
    path("documents/<int:pk>/approve/", views.document_approve, name="document_approve"),
    path("documents/<int:pk>/archive/", views.document_archive, name="document_archive"),
    path("documents/<int:pk>/restore/", views.document_restore, name="document_restore"),
    path("documents/<int:pk>/file/", views.document_file, name="document_file"),
]
