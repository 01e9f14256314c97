from django.urls import path

from . import feeds, views

app_name = "portal"
urlpatterns = [
    path("tim-kiem/", views.search, name="search"),
    path("tin/", views.news, name="news"),
    path("rss.xml", feeds.NewsFeed(), name="rss"),
    path("atom.xml", feeds.NewsAtomFeed(), name="atom"),
    path("luot-truy-cap/", views.visits, name="visits"),
]
