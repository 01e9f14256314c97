"""The pickers of the statistics pages. All are GET forms: a table is a link anyone can keep or send."""

from django import forms
from django.utils.translation import get_language, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _

from hoptac.returns.models import Frequency

from .figures import KEY_ORDER, NONE_KEY, URL_NONE, Dimension, Period
from .selectors import GRADE_COLUMNS

GROUPINGS = [
    ("then", gettext_lazy("District in the report year")),
    ("now", gettext_lazy("Commune today")),
]


def _years_widget(years: list[int]):
    return forms.Select(choices=[(y, str(y)) for y in years])


def check_period(text: str, form) -> Period:
    """The period typed or picked, checked against the form's frequency; ValidationError in Vietnamese."""
    try:
        period = Period.parse(text)
    except ValueError:
        raise forms.ValidationError(_("Write the period as a year (2020) or a quarter (2021Q1).")) from None
    if form is not None and form.frequency == Frequency.ANNUAL and period.quarter:
        raise forms.ValidationError(_("This form is filed once a year: choose a year, not a quarter."))
    if form is not None and form.frequency == Frequency.QUARTERLY and not period.quarter:
        raise forms.ValidationError(_("This form is filed every quarter: choose a quarter."))
    return period


class PivotForm(forms.Form):
    """Which form, period, figures and arrangement the pivot shows."""

    form = forms.ChoiceField(label=gettext_lazy("Form"))
    period = forms.CharField(label=gettext_lazy("Period"))
    measures = forms.MultipleChoiceField(
        label=pgettext_lazy("pivot", "Figures"), widget=forms.CheckboxSelectMultiple, required=False
    )
    rows = forms.ChoiceField(label=pgettext_lazy("pivot", "Rows"))
    columns = forms.ChoiceField(label=pgettext_lazy("pivot", "Columns"), required=False)
    grouping = forms.ChoiceField(label=gettext_lazy("Areas"), choices=GROUPINGS)
    include_submitted = forms.BooleanField(
        label=gettext_lazy("Include returns submitted, not yet approved"), required=False
    )
    yoy = forms.BooleanField(label=gettext_lazy("Compare with the year before"), required=False)

    def __init__(self, data, *, forms_by_code: dict, measures: list, periods: list[Period], dimensions: list[str]):
        super().__init__(data)
        self.forms_by_code = forms_by_code
        english = not (get_language() or "vi").startswith("vi")
        self.fields["form"].choices = [
            (code, f.name_en if english and f.name_en else f.name_vi) for code, f in forms_by_code.items()
        ]
        self.fields["period"].widget = forms.Select(choices=[(p.code, p.label) for p in periods])
        self.fields["measures"].choices = [(m.key, m.name) for m in measures]
        dimension_choices = [(d, Dimension(d).label) for d in dimensions]
        self.fields["rows"].choices = dimension_choices
        self.fields["columns"].choices = [("", pgettext_lazy("pivot columns", "None"))] + dimension_choices

    def clean(self):
        data = super().clean()
        if data.get("period"):
            try:
                data["period"] = check_period(data["period"], self.forms_by_code.get(data.get("form")))
            except forms.ValidationError as error:
                self.add_error("period", error)
        if data.get("columns") and data.get("columns") == data.get("rows"):
            self.add_error("columns", _("Choose different dimensions for the rows and the columns."))
        return data


def _clean_area(value: str):
    if value in ("", URL_NONE):
        return value
    if not value.isdigit():
        raise forms.ValidationError(_("The area is not valid."))
    return int(value)


class DrilldownForm(forms.Form):
    """The parameters of a cell's link; a broken one shows an error, never a list that matches no figure."""

    form = forms.CharField()
    period = forms.CharField()
    grouping = forms.ChoiceField(choices=GROUPINGS, required=False)
    include_submitted = forms.BooleanField(required=False)
    area = forms.CharField(required=False)
    kind = forms.CharField(required=False)
    sector = forms.CharField(required=False)
    group = forms.CharField(required=False)
    size = forms.CharField(required=False)
    measures = forms.CharField(required=False)

    def __init__(self, data, *, forms_by_code: dict):
        super().__init__(data)
        self.forms_by_code = forms_by_code

    def clean_form(self):
        code = self.cleaned_data["form"]
        if code not in self.forms_by_code:
            raise forms.ValidationError(_("There is no such form."))
        return code

    def clean_area(self):
        return _clean_area(self.cleaned_data["area"])

    def clean(self):
        data = super().clean()
        if data.get("period") and data.get("form"):
            try:
                data["period"] = check_period(data["period"], self.forms_by_code[data["form"]])
            except forms.ValidationError as error:
                self.add_error("period", error)
        for dimension, keys in KEY_ORDER.items():
            value = data.get(dimension)
            if value not in ("", None, URL_NONE) and value not in keys:
                self.add_error(dimension, _("This value is not valid."))
        return data

    @property
    def cell(self) -> dict:
        """The dimensions the link narrows, with their keys ("-" is the "—" area, or the alliance's own)."""
        cell = {}
        for dimension in Dimension:
            value = self.cleaned_data.get(dimension.value)
            if value in ("", None):
                continue
            if value == URL_NONE:
                value = None if dimension == Dimension.AREA else NONE_KEY
            cell[dimension.value] = value
        return cell


class GradesForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=1990, max_value=2100)
    grouping = forms.ChoiceField(label=gettext_lazy("Areas"), choices=GROUPINGS)

    def __init__(self, data, *, years: list[int]):
        super().__init__(data)
        self.fields["year"].widget = _years_widget(years)


class GradeDrilldownForm(forms.Form):
    year = forms.IntegerField(min_value=1990, max_value=2100)
    grouping = forms.ChoiceField(choices=GROUPINGS, required=False)
    grade = forms.ChoiceField(choices=[("", "")] + [(g, g) for g in GRADE_COLUMNS], required=False)
    kind = forms.CharField(required=False)
    area = forms.CharField(required=False)

    def clean_area(self):
        return _clean_area(self.cleaned_data["area"])

    @property
    def cell(self) -> dict:
        cell = {}
        c = self.cleaned_data
        if c.get("grade"):
            cell["grade"] = c["grade"]
        if c.get("kind"):
            cell["kind"] = c["kind"]
        if c.get("area") == URL_NONE:
            cell["area"] = None
        elif c.get("area") not in ("", None):
            cell["area"] = c["area"]
        return cell
