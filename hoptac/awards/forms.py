"""Forms of the awards pages: they parse input; the services validate the rules."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoptac.core.forms import DATE_INPUT_FORMATS, ViDateInput
from hoptac.registry.models import Organization

from .models import AwardForm, Bloc, Issuer, Movement, RecipientKind


def _date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, input_formats=DATE_INPUT_FORMATS, widget=ViDateInput(), **kwargs)


def _organizations():
    return Organization.objects.order_by("name")


class DecisionFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)
    issuer = forms.ChoiceField(label=_("Issuer"), required=False, choices=[("", _("All"))] + Issuer.choices)
    form = forms.ChoiceField(label=_("Form of award"), required=False, choices=[("", _("All"))] + AwardForm.choices)


class DecisionForm(forms.Form):
    number = forms.CharField(label=_("Decision no."), max_length=60)
    on = _date_field(_("Date"))
    issuer = forms.ChoiceField(label=_("Issuer"), choices=Issuer.choices)
    form = forms.ChoiceField(label=_("Form of award"), choices=AwardForm.choices)
    title = forms.CharField(label=_("Title"), max_length=300, required=False)


class RecipientForm(forms.Form):
    kind = forms.ChoiceField(label=_("Recipient kind"), choices=RecipientKind.choices)
    organization = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("Required for a collective; for an individual, the organisation they work in."),
    )
    person_name = forms.CharField(label=_("Full name"), max_length=120, required=False)
    position = forms.CharField(label=_("Position"), max_length=120, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _organizations()


class PeriodForm(forms.Form):
    date_from = _date_field(_("From"))
    date_to = _date_field(_("To"))

    @classmethod
    def default(cls) -> tuple[datetime.date, datetime.date]:
        today = timezone.localdate()
        return datetime.date(today.year, 1, 1), today

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The start of the period is after its end."))
        return data


class MovementForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    name = forms.CharField(label=_("Name"), max_length=300)
    launched_on = _date_field(_("Launched on"))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class BlocForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=300)
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    leader = forms.ModelChoiceField(
        label=_("Leader"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("The alliance"),
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Member units"), queryset=Organization.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = _organizations()
        self.fields["members"].queryset = _organizations()


class RegistrationForm(forms.Form):
    movement = forms.ModelChoiceField(label=_("Emulation movement"), queryset=Movement.objects.all())
    bloc = forms.ModelChoiceField(
        label=_("Bloc"), queryset=Bloc.objects.all(), required=False, help_text=_("For a bloc covenant.")
    )
    organization = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("For an organisation's own registration."),
    )
    targets = forms.CharField(label=_("Targets"), widget=forms.Textarea(attrs={"rows": 4}))
    signed_on = _date_field(_("Signed on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _organizations()
