"""Forms of the report pages: the period of a new report, the issue form, the archive reason."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoptac.core.forms import DATE_INPUT_FORMATS, ViDateInput

from .models import PeriodKind
from .periods import HALF, QUARTER, RANGE, make_period


def _date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, input_formats=DATE_INPUT_FORMATS, widget=ViDateInput(), **kwargs)


class NewReportForm(forms.Form):
    period_kind = forms.ChoiceField(label=_("Period"), choices=PeriodKind.choices, initial=QUARTER)
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), choices=[(n, n) for n in range(1, 5)], coerce=int, required=False
    )
    half = forms.TypedChoiceField(
        label=_("Half-year"),
        choices=[(1, _("First six months")), (2, _("Last six months"))],
        coerce=int,
        required=False,
    )
    date_from = _date_field(_("From"), required=False, help_text=_("Only for a date range"))
    date_to = _date_field(_("To"), required=False, help_text=_("Only for a date range"))
    as_of = _date_field(
        _("Figures as of"),
        required=False,
        help_text=_("Empty: the end of the period, or today if the period is not over"),
    )
    title = forms.CharField(label=_("Title"), max_length=300, required=False, help_text=_("Empty: the usual title"))

    @classmethod
    def initial_for(cls, today: datetime.date) -> dict:
        return {"period_kind": QUARTER, "year": today.year, "quarter": (today.month - 1) // 3 + 1, "half": 1}

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        kind = data["period_kind"]
        number = data.get("quarter") if kind == QUARTER else data.get("half") if kind == HALF else None
        try:
            period = make_period(
                kind, data["year"], number, date_from=data.get("date_from"), date_to=data.get("date_to")
            )
        except ValidationError as error:
            raise ValidationError(error.messages) from None
        as_of = data.get("as_of") or min(period.date_to, timezone.localdate())
        if as_of < period.date_from:
            self.add_error("as_of", _("The figures must be taken on a day within or after the period."))
        data["period"], data["as_of"] = period, as_of
        return data


class IssueForm(forms.Form):
    issued_on = _date_field(_("Date of issue"))
    signing_authority = forms.CharField(
        label=_("Signing on behalf"), max_length=60, required=False, help_text=_("e.g. KT. CHỦ TỊCH, TL. CHỦ TỊCH")
    )
    signer_title = forms.CharField(label=_("Signer's title"), max_length=200)
    signer_name = forms.CharField(label=_("Signer"), max_length=120)
    recipients = forms.CharField(
        label=_("Recipients (Nơi nhận)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("One a line"),
    )
    place = forms.CharField(label=_("Place in the date line"), max_length=100, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class WordTemplateForm(forms.Form):
    file = forms.FileField(label=_("Word template (.docx)"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


__all__ = ["RANGE"]
