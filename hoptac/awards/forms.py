"""Forms of the awards pages: they parse input; the services validate the rules."""

import datetime
import re
from decimal import Decimal

from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoptac.core.formatting import vi_number
from hoptac.core.forms import DATE_INPUT_FORMATS, ViDateInput
from hoptac.journal.forms import DOCUMENT_ACCEPT, check_document_file
from hoptac.registry.selectors import organizations_for

from .models import SCORE_MAX, AwardForm, Bloc, Decision, Issuer, Movement, ProposalStatus, RecipientKind
from .widgets import OrganizationPickerField

SEARCH_URL = reverse_lazy("awards:org_search")


def _date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, input_formats=DATE_INPUT_FORMATS, widget=ViDateInput(), **kwargs)


def _year_field(label=None, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(label=label or _("Year"), min_value=1990, max_value=2100, **kwargs)


def choosable_organizations(user):
    """Organisations a form may name: those user sees, not archived."""
    return organizations_for(user).filter(archived_on__isnull=True).order_by("name", "id")


def _picker(label, user, **kwargs) -> OrganizationPickerField:
    return OrganizationPickerField(choosable_organizations(user), search_url=SEARCH_URL, label=label, **kwargs)


class ScoreField(forms.DecimalField):
    """A score out of SCORE_MAX, typed as people write it: "92,5" or "92.5"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 5)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", SCORE_MAX)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return vi_number(value, 2).rstrip("0").rstrip(",")
        return value


# ---------------------------------------------------------------- decisions and recipients


class DecisionFilterForm(forms.Form):
    year = _year_field(required=False)
    issuer = forms.ChoiceField(label=_("Issuer"), required=False, choices=[("", _("All"))] + Issuer.choices)
    form = forms.ChoiceField(label=_("Form of award"), required=False, choices=[("", _("All"))] + AwardForm.choices)


class DecisionForm(forms.Form):
    number = forms.CharField(label=_("Decision no."), max_length=60)
    on = _date_field(_("Date"))
    issuer = forms.ChoiceField(label=_("Issuer"), choices=Issuer.choices)
    form = forms.ChoiceField(label=_("Form of award"), choices=AwardForm.choices)
    title = forms.CharField(label=_("Title"), max_length=300, required=False)


class DecisionEditForm(DecisionForm):
    # The version the form was opened on; a save on an older one is refused (services.StaleEdit).
    version = forms.IntegerField(widget=forms.HiddenInput)


class RecipientForm(forms.Form):
    kind = forms.ChoiceField(label=_("Recipient kind"), choices=RecipientKind.choices)
    person_name = forms.CharField(label=_("Full name"), max_length=120, required=False)
    position = forms.CharField(label=_("Position"), max_length=120, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)

    organization_help = _("Required for a collective; for an individual, the organisation they work in.")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = _picker(_("Organisation"), user, required=False)
        self.fields["organization"].help_text = self.organization_help
        self.order_fields(["kind", "organization", "person_name", "position", "reason"])


class NomineeForm(RecipientForm):
    reason = forms.CharField(
        label=_("Achievements"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class RestoreForm(forms.Form):
    reason = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


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


# ---------------------------------------------------------------- movements, blocs, registrations


class MovementForm(forms.Form):
    year = _year_field()
    name = forms.CharField(label=_("Name"), max_length=300)
    launched_on = _date_field(_("Launched on"))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


_CODE_SPLIT = re.compile(r"[\s,;]+")


class BlocForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=300)
    year = _year_field()
    member_codes = forms.CharField(
        label=_("Member units (codes)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}),
        help_text=_("The codes of the member organisations, one a line or separated by commas (pasted from Excel)."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"] = _picker(_("Leader"), user, required=False)
        self.fields["leader"].help_text = _("Leave empty when the alliance leads the bloc.")
        self.order_fields(["name", "year", "leader", "member_codes"])
        self.choosable = choosable_organizations(user)

    def clean_member_codes(self):
        codes = [c for c in _CODE_SPLIT.split(self.cleaned_data.get("member_codes") or "") if c]
        found = {o.code: o for o in self.choosable.filter(code__in=codes)}
        unknown = [c for c in dict.fromkeys(codes) if c not in found]
        if unknown:
            raise forms.ValidationError(
                _("No organisation you may choose has these codes: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        return [found[c] for c in dict.fromkeys(codes)]

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["members"] = data.pop("member_codes")
        return data


class BlocMemberForm(forms.Form):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = _picker(_("Organisation"), user)


class RegistrationForm(forms.Form):
    movement = forms.ModelChoiceField(label=_("Emulation movement"), queryset=Movement.objects.all())
    bloc = forms.ModelChoiceField(
        label=_("Bloc"), queryset=Bloc.objects.all(), required=False, help_text=_("For a bloc covenant.")
    )
    targets = forms.CharField(label=_("Targets"), widget=forms.Textarea(attrs={"rows": 4}))
    signed_on = _date_field(_("Signed on"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = _picker(_("Organisation"), user, required=False)
        self.fields["organization"].help_text = _(
            "For an organisation's own registration: type part of its name or its code and choose it."
        )
        self.order_fields(["movement", "bloc", "organization", "targets", "signed_on"])


class RegistrationEditForm(forms.Form):
    movement = forms.ModelChoiceField(label=_("Emulation movement"), queryset=Movement.objects.all())
    targets = forms.CharField(label=_("Targets"), widget=forms.Textarea(attrs={"rows": 4}))
    signed_on = _date_field(_("Signed on"))


class RegistrationFilterForm(forms.Form):
    year = _year_field(required=False)


class SelfAssessmentForm(forms.Form):
    self_score = ScoreField(label=_("Self score"), help_text=_("Out of 100 points, e.g. 92,5."))
    self_assessment = forms.CharField(
        label=_("Self-assessment"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Results against each target of the registration, and what remains to be done."),
    )


class BlocScoreForm(forms.Form):
    """One score field a registration of the bloc; blank means not scored."""

    def __init__(self, *args, registrations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.registrations = list(registrations)
        for registration in self.registrations:
            self.fields[f"score_{registration.pk}"] = ScoreField(
                label=registration.organization.name,
                required=False,
                initial=registration.score,
                widget=forms.TextInput(
                    attrs={
                        "inputmode": "decimal",
                        "autocomplete": "off",
                        "class": "score-input",
                        # The table's header names the column; the input says whose score it is.
                        "aria-label": _("Bloc score of %(name)s") % {"name": registration.organization.name},
                    }
                ),
            )

    def rows(self):
        for registration in self.registrations:
            yield registration, self[f"score_{registration.pk}"]

    def scores(self) -> dict[int, Decimal | None]:
        return {r.pk: self.cleaned_data.get(f"score_{r.pk}") for r in self.registrations}


# ---------------------------------------------------------------- proposals


class ProposalFilterForm(forms.Form):
    year = _year_field(label=_("Year of the achievements"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *ProposalStatus.choices]
    )
    form = forms.ChoiceField(label=_("Proposed form"), required=False, choices=[("", _("All")), *AwardForm.choices])

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class ProposalForm(forms.Form):
    number = forms.CharField(label=_("Proposal no."), max_length=60, required=False)
    title = forms.CharField(label=_("Title"), max_length=300)
    year = _year_field(label=_("Year of the achievements"))
    movement = forms.ModelChoiceField(label=_("Emulation movement"), queryset=Movement.objects.all(), required=False)
    issuer = forms.ChoiceField(label=_("Sent to"), choices=Issuer.choices)
    form = forms.ChoiceField(label=_("Proposed form"), choices=AwardForm.choices)
    drafted_on = _date_field(_("Drafted on"))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("The signed proposal: PDF, Word or Excel, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": DOCUMENT_ACCEPT}),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type"):
            check_document_file(upload)
        return upload

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        upload = data.pop("file", None)
        # ClearableFileInput gives False when "clear" is ticked.
        data["remove_file"] = upload is False
        data["file"] = upload or None
        return data


class DatedActionForm(forms.Form):
    on = _date_field(_("Date"))


class RefuseForm(forms.Form):
    on = _date_field(_("Date"))
    reason = forms.CharField(label=_("Reason for the refusal"), widget=forms.Textarea(attrs={"rows": 2}))


class LinkDecisionForm(forms.Form):
    decision = forms.ModelChoiceField(label=_("Decision"), queryset=Decision.objects.none())
    add_recipients = forms.BooleanField(
        label=_("Add the nominees to the decision's recipients"), required=False, initial=True
    )

    def __init__(self, *args, proposal=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Decision.objects.filter(issuer=proposal.issuer) if proposal else Decision.objects.none()
        if proposal is not None and proposal.submitted_on:
            qs = qs.filter(on__gte=proposal.submitted_on)
        self.fields["decision"].queryset = qs.order_by("-on", "-id")
        self.fields["decision"].label_from_instance = lambda d: f"{d.number} – {d.on:%d/%m/%Y} – {d.get_form_display()}"
