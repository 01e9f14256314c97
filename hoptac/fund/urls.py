from django.urls import path

from . import views

app_name = "fund"
urlpatterns = [
    path("", views.home, name="home"),
    path("loans/", views.loan_list, name="loans"),
    path("loans/new/", views.loan_apply, name="apply"),
    path("loans/<int:pk>/", views.loan_detail, name="loan"),
    *[
        path(f"loans/<int:pk>/{name.replace('_', '-')}/", views.loan_action, {"action": name}, name=name)
        for name in views.ACTIONS
    ],
    path("appraisals/<int:pk>/attachment/", views.appraisal_attachment, name="attachment"),
    path("capital/", views.capital, name="capital"),
    path("arrears/", views.arrears, name="arrears"),
    path("statement/", views.statement, name="statement"),
]
