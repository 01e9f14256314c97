from django.urls import path

from . import views

app_name = "briefing"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("word-template/", views.word_template, name="word_template"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/recompose/", views.recompose, name="recompose"),
    path("<int:pk>/issue/", views.issue, name="issue"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/archive/", views.archive, name="archive"),
    path("<int:pk>/report.<str:fmt>", views.download, name="download"),
]
