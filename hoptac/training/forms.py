"""Forms of the training pages: they parse input; the services validate the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hoptac.core.formatting import vi_number
from hoptac.core.forms import DATE_INPUT_FORMATS, ViDateInput
from hoptac.journal.models import Document, DocumentKind
from hoptac.registry.models import Organization
from hoptac.registry.selectors import organizations_for

from .models import PLANNED_ORDER, BudgetSource, CourseStatus, Gender, ParticipantRole, PlannedCourse, TargetGroup

MONEY_MAX = 9 * 10**18  # BigIntegerField


def _date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, input_formats=DATE_INPUT_FORMATS, widget=ViDateInput(), **kwargs)


def _money_field(label, **kwargs) -> forms.IntegerField:
    # Text, not type=number: people type "120.000.000" and the browser would refuse the dots.
    return MoneyField(label=label, min_value=0, max_value=MONEY_MAX, **kwargs)


class MoneyField(forms.IntegerField):
    """Whole đồng, typed with or without "." between thousands: 120.000.000 or 120000000."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "class": "money-input"})
    default_error_messages = {"invalid": _("Enter the amount in whole đồng, e.g. 120.000.000.")}

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(".", "").replace(" ", "").replace("\u00a0", "")
            value = value.removesuffix("đ").removesuffix("đồng")
        return super().to_python(value)

    def prepare_value(self, value):
        return vi_number(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _year_field(**kwargs) -> forms.IntegerField:
    return forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, **kwargs)


def _text(label, max_length: int, required: bool = True, **kwargs) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=required, **kwargs)


def _note() -> forms.CharField:
    return forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


# ---------------------------------------------------------------- plans


class PlanForm(forms.Form):
    year = _year_field()
    title = _text(pgettext_lazy("training plan", "Title"), 300)
    number = _text(
        _("Plan no."), 60, required=False, help_text=_("For example 05/KH-LMHTX; required once the plan is issued.")
    )
    budget = _money_field(_("Total budget (đồng)"))
    document = forms.ModelChoiceField(
        label=_("Document in the journal"),
        queryset=Document.objects.none(),
        required=False,
        help_text=_("The same plan as recorded among the alliance's documents, if it is there."),
    )
    note = _note()

    def __init__(self, *args, issued: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = Document.objects.filter(kind=DocumentKind.PLAN).order_by("-drafted_on")
        if issued:
            self.fields["issued_on"] = _date_field(_("Issued on"))


class IssueForm(forms.Form):
    number = _text(_("Plan no."), 60)
    issued_on = _date_field(_("Issued on"))


class PlannedCourseForm(forms.Form):
    topic = _text(_("Topic"), 300)
    target_group = forms.ChoiceField(label=_("Target group"), choices=TargetGroup.choices)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), coerce=int, choices=[(1, "I"), (2, "II"), (3, "III"), (4, "IV")]
    )
    month = forms.TypedChoiceField(
        label=_("Month"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", "—")] + [(m, str(m)) for m in range(1, 13)],
    )
    participants = forms.IntegerField(label=_("Planned participants"), min_value=1, max_value=100_000)
    budget = _money_field(_("Planned budget (đồng)"))
    budget_source = forms.ChoiceField(label=_("Budget source"), choices=BudgetSource.choices)
    note = _note()


# ---------------------------------------------------------------- courses


class CourseFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All"))] + CourseStatus.choices)
    target_group = forms.ChoiceField(
        label=_("Target group"), required=False, choices=[("", _("All"))] + TargetGroup.choices
    )


class PlannedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: PlannedCourse) -> str:
        return f"{obj.plan.year} · {obj.when} · {obj.topic}"


class CourseForm(forms.Form):
    planned = PlannedChoiceField(
        label=_("Planned course"),
        queryset=PlannedCourse.objects.none(),
        required=False,
        help_text=_("The course of the training plan this course carries out, if any."),
    )
    topic = _text(_("Topic"), 300)
    starts_on = _date_field(_("Start date"))
    ends_on = _date_field(_("End date"))
    place = _text(_("Place"), 300)
    trainers = forms.CharField(
        label=_("Trainers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Names and where they come from."),
    )
    target_group = forms.ChoiceField(label=_("Target group"), choices=TargetGroup.choices)
    budget = _money_field(_("Budget (đồng)"))
    budget_source = forms.ChoiceField(label=_("Budget source"), choices=BudgetSource.choices)
    note = _note()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["planned"].queryset = PlannedCourse.objects.select_related("plan").order_by(
            "-plan__year", *PLANNED_ORDER
        )

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The course cannot end before it starts."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000, required=False
    )


# ---------------------------------------------------------------- participants


class ParticipantForm(forms.Form):
    full_name = _text(_("Full name"), 120)
    gender = forms.ChoiceField(label=_("Gender"), required=False, choices=[("", "—")] + Gender.choices)
    position = _text(_("Position"), 120, required=False)
    organization = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("From the register; leave empty for a unit that is not in it and type its name below."),
    )
    organization_name = _text(
        _("Unit (not in the register)"),
        300,
        required=False,
        help_text=_("For example UBND xã Quang Tiến, when the person's unit is not in the register."),
    )
    phone = _text(_("Phone"), 30, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=ParticipantRole.choices, initial=ParticipantRole.LEARNER)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations_for(user).current().order_by("name", "id")


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))
