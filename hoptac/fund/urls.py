from django.urls import path

from . import import_views, views

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
    path("import/", import_views.upload, name="import"),
    # One URL per book, as for the loan actions: no other book resolves, and every fund URL still reverses
    # with a pk at most (test_views walks them all for the access checks).
    *[
        path(f"import/{book}/template.xlsx", import_views.template, {"book": book}, name="import_template")
        for book in import_views.CHOICES
    ],
]
