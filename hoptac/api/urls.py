from django.urls import path, re_path

from . import errors, token_views, views

app_name = "api"
urlpatterns = [
    path("openapi.json", views.Schema.as_view(), name="schema"),
    path("docs", token_views.docs, name="docs"),
    path("tokens/", token_views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", token_views.token_revoke, name="token_revoke"),
    path("directory/", views.DirectoryList.as_view(), name="directory"),
    path("directory/<str:code>/", views.DirectoryDetail.as_view(), name="directory_detail"),
    path("statistics/", views.Statistics.as_view(), name="statistics"),
    path("reports/", views.ReportList.as_view(), name="reports"),
    path("units/", views.UnitList.as_view(), name="units"),
    path("me/", views.Me.as_view(), name="me"),
    path("organizations/", views.OrganizationList.as_view(), name="organizations"),
    path("organizations/statistics/", views.OrganizationStatistics.as_view(), name="organization_statistics"),
    path("organizations/<int:pk>/", views.OrganizationDetail.as_view(), name="organization"),
    path("organizations/<int:pk>/events/", views.EventList.as_view(), name="events"),
    path("loans/", views.LoanList.as_view(), name="loans"),
    path("loans/<int:pk>/", views.LoanDetail.as_view(), name="loan"),
    path("returns/", views.ReturnList.as_view(), name="returns"),
    path("returns/forms/", views.ReturnFormList.as_view(), name="return_forms"),
    path("returns/<int:pk>/", views.ReturnDetail.as_view(), name="return"),
    path("returns/<int:pk>/submit/", views.ReturnSubmit.as_view(), name="return_submit"),
    # Anything else under /api/v1/ answers a JSON 404, like the endpoints do.
    re_path(r"^.*$", errors.not_found),
]
