"""Signing in (/accounts/login/…) and one's two-factor settings (/accounts/two-factor/…)."""

from django.urls import include, path

from . import views

twofactor_patterns = [
    path("", views.overview, name="overview"),
    path("enrol/", views.enrol, name="enrol"),
    path("backup-codes/", views.backup_codes, name="backup_codes"),
    path("backup-codes/new/", views.renew_backup_codes, name="renew_backup_codes"),
    path("disable/", views.disable, name="disable"),
]

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/code/", views.login_code, name="login_code"),
    path("keep-alive/", views.keep_alive, name="keep_alive"),
    path("two-factor/", include((twofactor_patterns, "twofactor"))),
]
