"""Forms of the portal's own pages (the CMS's forms are Wagtail's)."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoptac.core.forms import ViDateInput

MAX_RANGE_DAYS = 731


class VisitRangeForm(forms.Form):
    date_from = forms.DateField(label=_("From"), widget=ViDateInput())
    date_to = forms.DateField(label=_("To"), widget=ViDateInput())

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end:
            if end < start:
                raise forms.ValidationError(_("The end date is before the start date."))
            if (end - start).days >= MAX_RANGE_DAYS:
                raise forms.ValidationError(_("Choose at most two years."))
        return data


def default_range(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The last 30 days up to today."""
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=29), today
