from django.urls import path, register_converter

from . import views


class PeriodConverter:
    """A period in a URL: 2020 or 2021Q1."""

    regex = r"\d{4}(?:Q[1-4])?"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


class FormConverter:
    """A form's code; never "statistics", where the statistics from returns live (hoptac.analytics)."""

    regex = r"(?!statistics/)[-a-zA-Z0-9_]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


register_converter(PeriodConverter, "returns_period")
register_converter(FormConverter, "returns_form")

app_name = "returns"
urlpatterns = [
    path("", views.index, name="index"),
    path("go/", views.goto, name="goto"),
    path("r/<int:pk>/", views.detail, name="detail"),
    path("r/<int:pk>/edit/", views.entry, name="entry"),
    path("r/<int:pk>/send-back/", views.send_back, name="send_back"),
    path("r/<int:pk>/approve/", views.approve, name="approve"),
    path("r/<int:pk>/reopen/", views.reopen, name="reopen"),
    path("<returns_form:form>/<returns_period:period>/", views.return_list, name="list"),
    path("<returns_form:form>/<returns_period:period>/completeness/", views.completeness, name="completeness"),
    path(
        "<returns_form:form>/<returns_period:period>/completeness.xlsx",
        views.completeness_xlsx,
        name="completeness_xlsx",
    ),
    path("<returns_form:form>/<returns_period:period>/template.xlsx", views.template_download, name="template"),
    path("<returns_form:form>/<returns_period:period>/import/", views.import_upload, name="import"),
    path("<returns_form:form>/<returns_period:period>/new/", views.fill, name="fill_alliance"),
    path("<returns_form:form>/<returns_period:period>/new/<int:org>/", views.fill, name="fill"),
]
