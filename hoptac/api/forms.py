"""Forms of the API app's pages: a new token, revoking one, and the open statistics' date."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoptac.core.forms import DATE_INPUT_FORMATS, ViDateInput
from hoptac.geo.models import AdminUnit
from hoptac.registry.forms import DirectoryFilterForm
from hoptac.registry.selectors import current_commune_choices

GROUPINGS = [
    ("then", _("District on the date")),
    ("now", _("Commune today")),
]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("What is it for?"),
        max_length=100,
        help_text=_("For example: the accounting software, the district's report spreadsheet."),
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=ViDateInput(),
        input_formats=DATE_INPUT_FORMATS,
        help_text=_("Leave empty for a token that works until it is revoked."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("expires_on", timezone.localdate() + datetime.timedelta(days=365))

    def clean_expires_on(self):
        # The service refuses it too; said here, it comes with the other errors of the form.
        day = self.cleaned_data.get("expires_on")
        if day and day < timezone.localdate():
            raise forms.ValidationError(_("The expiry date cannot be in the past."))
        return day


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class OpenStatisticsForm(forms.Form):
    """The date of the public figures, an optional start of a period, and how areas are grouped."""

    as_of = forms.DateField(label=_("As of"), required=False, widget=ViDateInput(), input_formats=DATE_INPUT_FORMATS)
    grouping = forms.ChoiceField(label=_("Group by"), choices=GROUPINGS, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword, so the field is added by name.
        self.fields["from"] = forms.DateField(
            label=_("From"),
            required=False,
            widget=ViDateInput(),
            input_formats=DATE_INPUT_FORMATS,
            help_text=_("Optional: counts foundings and endings"),
        )
        self.order_fields(["from", "as_of", "grouping"])

    def clean(self):
        data = super().clean()
        for name in ("from", "as_of"):
            day = data.get(name)
            if day and not datetime.date(1900, 1, 1) <= day <= datetime.date(2100, 12, 31):
                self.add_error(name, _("Give a date between 1900 and 2100."))
                data[name] = None
        if data.get("from") and data.get("as_of") and data["from"] > data["as_of"]:
            self.add_error("from", _("The start of the period must be on or before the date of the figures."))
        return data


class PublicDirectoryForm(DirectoryFilterForm):
    """The public directory's filters, with today's commune: districts no longer exist since 07/2025."""

    commune_now = forms.ModelChoiceField(
        label=_("Commune (as it is now)"),
        required=False,
        queryset=AdminUnit.objects.none(),
        empty_label=_("All communes"),
    )

    def __init__(self, data, *, province_code: str, district_day: datetime.date):
        super().__init__(data, province_code=province_code, district_day=district_day)
        self.fields["commune_now"].queryset = current_commune_choices(province_code)
