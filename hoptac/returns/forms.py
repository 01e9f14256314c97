"""The small forms of the returns pages. The entry grid itself is built from the form version (views/entry.py)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from hoptac.registry.models import OrgKind
from hoptac.registry.selectors import district_choices

from .models import ReturnForm
from .periods import Period, period_for_form
from .templatetags.returns_tags import STATUS_LABELS


class SendBackForm(forms.Form):
    comment = forms.CharField(
        label=_("What must be corrected"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Say what must be corrected.")},
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for reopening"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Kept in the return's history and shown to the organisation."),
        error_messages={"required": _("Give the reason for reopening.")},
    )


class ReturnFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or code"), required=False, widget=forms.TextInput(attrs={"type": "search"}))
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + list(STATUS_LABELS.items())
    )
    district = forms.TypedChoiceField(label=_("District (then)"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("Type"), required=False)
    flagged = forms.BooleanField(label=_("Flagged for follow-up only"), required=False)

    def __init__(self, *args, form: ReturnForm, period: Period, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        districts = district_choices(period.end, settings.ALLIANCE_PROVINCE_CODE)
        self.fields["district"].choices = [("", _("All"))] + [(d.pk, d.name) for d in districts]
        kinds = [k for k in OrgKind if not form.kinds or k.value in form.kinds]
        self.fields["kind"].choices = [("", _("All"))] + [(k.value, k.label) for k in kinds]
        if len(kinds) < 2:
            del self.fields["kind"]
        if len(self.fields["district"].choices) < 2:
            del self.fields["district"]


class GotoForm(forms.Form):
    """Open any form's period: the list, completeness or bulk entry of, say, the 2019 annual report."""

    form = forms.ModelChoiceField(label=_("Form"), queryset=ReturnForm.objects.none(), empty_label=None)
    period = forms.CharField(
        label=_("Period (2020 or 2021Q1)"),
        max_length=10,
        widget=forms.TextInput(attrs={"placeholder": "2020", "inputmode": "text", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        # The organisations' forms first, then the alliance's own.
        self.fields["form"].queryset = ReturnForm.objects.filter(active=True).order_by("-respondent", "code")

    def clean(self):
        data = super().clean()
        if data.get("form") and data.get("period"):
            try:
                data["parsed"] = period_for_form(data["form"], data["period"])
            except ValueError as problem:
                self.add_error("period", str(problem))
        return data
