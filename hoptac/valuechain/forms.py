"""Forms of the value-chain pages: they parse input; the services check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hoptac.core.forms import DATE_INPUT_FORMATS, ViDateInput
from hoptac.registry.forms import DongField

from .models import ActivityStatus, BudgetSource, PlanStatus, Programme, ProgrammeStatus, SurveyStatus


def _date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, input_formats=DATE_INPUT_FORMATS, widget=ViDateInput(), **kwargs)


def _text(label, rows: int = 3, **kwargs) -> forms.CharField:
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


def _money(label, **kwargs) -> DongField:
    """Whole đồng as people type it: "500.000.000"."""
    return DongField(label=label, min_value=0, help_text=_("Whole đồng, e.g. 500.000.000"), **kwargs)


# ---------------------------------------------------------------- filters


class ProgrammeFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All"))] + ProgrammeStatus.choices)
    archived = forms.BooleanField(label=_("Archived records"), required=False)


class SurveyFilterForm(forms.Form):
    q = forms.CharField(label=_("Cooperative"), required=False, max_length=100)
    programme = forms.ModelChoiceField(
        label=_("Programme"), required=False, queryset=Programme.objects.none(), empty_label=_("All")
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All"))] + SurveyStatus.choices)
    archived = forms.BooleanField(label=_("Archived records"), required=False)

    def __init__(self, *args, programmes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes if programmes is not None else Programme.objects.none()


class PlanFilterForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=_("Programme"), required=False, queryset=Programme.objects.none(), empty_label=_("All")
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All"))] + PlanStatus.choices)
    archived = forms.BooleanField(label=_("Archived records"), required=False)

    def __init__(self, *args, programmes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes if programmes is not None else Programme.objects.none()


# ---------------------------------------------------------------- programmes and criteria


class ProgrammeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=300)
    year_from = forms.IntegerField(label=_("From year"), min_value=1990, max_value=2100)
    year_to = forms.IntegerField(
        label=_("To year"),
        min_value=1990,
        max_value=2100,
        required=False,
        help_text=_("Leave empty for a programme of one year."),
    )
    budget = _money(_("Budget (đồng)"), required=False)
    description = _text(_("Description"), rows=4, required=False)


class ProgrammeStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ProgrammeStatus.choices)


class CriterionForm(forms.Form):
    order = forms.IntegerField(label=_("Order"), min_value=1, max_value=999, required=False)
    text = forms.CharField(label=_("Criterion"), max_length=500)
    guidance = _text(_("Guidance for surveyors"), required=False)
    max_score = forms.IntegerField(label=_("Maximum score"), min_value=1, max_value=1000)
    weight = forms.IntegerField(
        label=_("Weight"),
        min_value=1,
        max_value=100,
        required=False,
        help_text=_("The score counts this many times in the total; empty means 1."),
    )
    required = forms.BooleanField(
        label=_("Required: a candidate that does not meet it is not eligible"), required=False
    )
    pass_score = forms.IntegerField(
        label=_("Score needed to meet it"),
        min_value=1,
        max_value=1000,
        required=False,
        help_text=_("For a required criterion; empty means the full score."),
    )


# ---------------------------------------------------------------- surveys


class SurveyCreateForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Cooperative"), queryset=None)
    surveyed_on = _date_field(_("Survey date"))
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (SurveyStatus.PLANNED, SurveyStatus.PLANNED.label),
            (SurveyStatus.UNDER_WAY, SurveyStatus.UNDER_WAY.label),
        ],
    )
    surveyors = forms.CharField(label=_("Surveyors"), max_length=300, required=False)
    notes = _text(_("Notes"), required=False)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = candidates
        self.fields["organization"].label_from_instance = _candidate_label


def _candidate_label(org) -> str:
    district = org.commune.parent.name if org.commune and org.commune.parent_id else ""
    return f"{org.name} ({org.code}{', ' + district if district else ''})"


class SurveyEditForm(forms.Form):
    surveyed_on = _date_field(_("Survey date"))
    surveyors = forms.CharField(label=_("Surveyors"), max_length=300, required=False)
    notes = _text(_("Notes"), required=False)


class AnswersForm(forms.Form):
    """One score and one answer per live criterion of the programme."""

    def __init__(self, *args, criteria, answers, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            answer = answers.get(criterion.pk)
            self.fields[f"score_{criterion.pk}"] = forms.IntegerField(
                label=_("Score"),
                required=False,
                min_value=0,
                max_value=criterion.max_score,
                initial=answer.score if answer else None,
                widget=forms.NumberInput(attrs={"min": 0, "max": criterion.max_score, "class": "score-input"}),
                error_messages={
                    "min_value": _("The score must be between 0 and %(max)s.") % {"max": criterion.max_score},
                    "max_value": _("The score must be between 0 and %(max)s.") % {"max": criterion.max_score},
                },
            )
            self.fields[f"text_{criterion.pk}"] = forms.CharField(
                label=_("Answer"),
                required=False,
                initial=answer.text if answer else "",
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self):
        """(criterion, score field, answer field) for the template."""
        return [(c, self[f"score_{c.pk}"], self[f"text_{c.pk}"]) for c in self.criteria]

    def scores(self) -> dict:
        from .services import Score

        return {
            c: Score(self.cleaned_data.get(f"score_{c.pk}"), self.cleaned_data.get(f"text_{c.pk}") or "")
            for c in self.criteria
        }


class DoneForm(forms.Form):
    done_on = _date_field(_("Finished on"))


class StartForm(forms.Form):
    on = _date_field(_("Started on"))


class ReasonForm(forms.Form):
    reason = _text(_("Reason"), max_length=1000)


# ---------------------------------------------------------------- selection


class SelectionForm(forms.Form):
    """One tick and one reason per candidate whose survey is done."""

    decided_on = _date_field(_("Decided on"))
    decision_number = forms.CharField(label=_("Decision no."), max_length=60, required=False)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = list(candidates)
        for c in self.candidates:
            selection = c.selection
            self.fields[f"selected_{c.survey.pk}"] = forms.BooleanField(
                label=_("Selected"), required=False, initial=bool(selection and selection.selected)
            )
            self.fields[f"reason_{c.survey.pk}"] = forms.CharField(
                label=_("Reason for not selecting"),
                required=False,
                max_length=1000,
                initial=selection.reason
                if selection
                else ("" if c.eligible else _("Does not meet a required criterion.")),
            )

    def rows(self):
        return [(c, self[f"selected_{c.survey.pk}"], self[f"reason_{c.survey.pk}"]) for c in self.candidates]

    def decisions(self) -> list:
        from .services import Decision

        return [
            Decision(
                c.survey,
                bool(self.cleaned_data.get(f"selected_{c.survey.pk}")),
                self.cleaned_data.get(f"reason_{c.survey.pk}") or "",
            )
            for c in self.candidates
        ]


# ---------------------------------------------------------------- plans, activities, products


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Plan title"), max_length=300)
    starts_on = _date_field(_("Starts on"))
    ends_on = _date_field(_("Ends on"), required=False)
    partners = _text(_("Partners"), required=False, help_text=_("Enterprises, agencies, other cooperatives."))
    description = _text(_("Description"), rows=4, required=False)


class PlanStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=PlanStatus.choices)
    on = _date_field(pgettext_lazy("date of a status change", "On"))


class ActivityForm(forms.Form):
    description = forms.CharField(label=_("Activity"), max_length=500)
    planned_on = _date_field(_("Planned date"))
    budget = _money(_("Budget (đồng)"), required=False)
    budget_source = forms.ChoiceField(
        label=_("Budget source"), required=False, choices=[("", "—")] + BudgetSource.choices
    )
    partner = forms.CharField(label=_("Partner"), max_length=300, required=False)

    def clean_budget(self):
        return self.cleaned_data.get("budget") or 0


class ActivityStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=ActivityStatus.choices)
    on = _date_field(pgettext_lazy("date of a status change", "On"), required=False)


class ProductForm(forms.Form):
    name = forms.CharField(label=_("Product"), max_length=200)
    description = _text(_("Description"), required=False)
    ocop_stars = forms.TypedChoiceField(
        label=_("OCOP stars"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Not OCOP-rated")), (3, "3 ★"), (4, "4 ★"), (5, "5 ★")],
    )
    certification = forms.CharField(
        label=_("Certification"),
        max_length=200,
        required=False,
        help_text=_("For example VietGAP, GlobalGAP, organic."),
    )
