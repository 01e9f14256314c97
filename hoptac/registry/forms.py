"""Forms of the registry pages: list filters, the organisation form and its variants, events."""

import datetime
import re

from django import forms
from django.conf import settings
from django.core import signing
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoptac.core.formatting import parse_vi_date, vi_number
from hoptac.core.forms import DATE_INPUT_FORMATS, ViDateInput
from hoptac.core.models import Role
from hoptac.geo.models import AdminUnit, Level
from hoptac.geo.selectors import province_units

from . import selectors
from .models import EventKind, Law, Organization, OrgKind, Sector
from .services import EDITABLE_FIELDS

# What a cooperative's own account may change on its record: how to reach it and its size.
# Identity, place and registration stay with the alliance and the area officers.
COOPERATIVE_FIELDS = [
    "street",
    "representative",
    "official_members",
    "associate_members",
    "employees",
    "charter_capital",
    "phone",
    "email",
    "website",
]

# How the organisation form is laid out: (legend, fields). Fields absent from a variant are skipped.
FIELD_GROUPS = [
    (_("Identity"), ["kind", "sector", "code", "name"]),
    (_("Address"), ["commune", "street"]),
    (
        _("Registration"),
        ["founded_on", "registration_number", "registration_date", "registration_office", "registration_law"],
    ),
    (
        _("People and capital"),
        ["representative", "official_members", "associate_members", "employees", "charter_capital"],
    ),
    (_("Activity"), ["business_lines"]),
    (_("Contacts"), ["phone", "email", "website"]),
]
WIDE_FIELDS = {"name", "business_lines", "street"}

SEEN_SALT = "registry.organization.seen"


def date_input() -> forms.DateInput:
    return ViDateInput()


DATE_FORMATS = DATE_INPUT_FORMATS


class DongField(forms.IntegerField):
    """Whole đồng; accepts what people type: "500.000.000", "500 000 000đ"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        # Show a stored amount the way people read it; typed text is shown as typed.
        return vi_number(value) if isinstance(value, int) else value

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"[\s.,đĐ]|dong|đồng", "", value.strip(), flags=re.IGNORECASE)
        return super().to_python(value)


# ---------------------------------------------------------------- list filters


class ListFilterForm(forms.Form):
    """The registry list's GET parameters; a bad value is ignored, not fatal."""

    STATUS_CHOICES = [("active", _("Active")), ("inactive", _("Not active")), ("all", _("All"))]
    MEMBER_CHOICES = [("", _("All")), ("yes", _("Members")), ("no", _("Not members"))]

    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Name, code, commune…"), "data-live-search": ""}
        ),
    )
    kind = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("All types")), *OrgKind.choices])
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=[("", _("All sectors")), *Sector.choices])
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)
    as_of = forms.DateField(label=_("As of"), required=False, widget=date_input(), input_formats=DATE_FORMATS)
    district = forms.ModelChoiceField(
        label=_("District (as it was then)"),
        required=False,
        queryset=AdminUnit.objects.none(),
        empty_label=_("All districts"),
    )
    commune_now = forms.ModelChoiceField(
        label=_("Commune (as it is now)"),
        required=False,
        queryset=AdminUnit.objects.none(),
        empty_label=_("All communes"),
    )
    member = forms.ChoiceField(label=_("Alliance member"), required=False, choices=MEMBER_CHOICES)
    archived = forms.BooleanField(label=_("Archived records"), required=False)

    def __init__(self, data: QueryDict | None, *, province_code: str, today: datetime.date | None = None):
        today = today or timezone.localdate()
        data = data.copy() if data is not None else QueryDict(mutable=True)
        # Defaults live in the data, so the form shows them and page links carry them.
        if not data.get("status"):
            data["status"] = "active"
        if not data.get("as_of"):
            data["as_of"] = today.strftime("%d/%m/%Y")
        super().__init__(data, label_suffix="")
        try:
            self.as_of = parse_vi_date(data["as_of"])
        except ValueError:
            self.as_of = today
        self.fields["district"].queryset = selectors.district_choices(self.as_of, province_code)
        self.fields["commune_now"].queryset = selectors.current_commune_choices(province_code)

    def filters(self) -> selectors.ListFilters:
        self.is_valid()
        data = self.cleaned_data
        district = data.get("district")
        commune = data.get("commune_now")
        return selectors.ListFilters(
            q=data.get("q") or "",
            kind=data.get("kind") or "",
            sector=data.get("sector") or "",
            status=data.get("status") or "active",
            as_of=data.get("as_of") or self.as_of,
            district=district.pk if district else None,
            commune_now=commune.pk if commune else None,
            member=data.get("member") or "",
            archived=bool(data.get("archived")),
        )


class DirectoryFilterForm(forms.Form):
    """Public directory filters: search, type, sector and district (the last districts, before 07/2025)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name, commune…"), "data-live-search": ""}),
    )
    kind = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("All types")), *OrgKind.choices])
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=[("", _("All sectors")), *Sector.choices])
    district = forms.ModelChoiceField(
        label=_("District (until 30/06/2025)"),
        required=False,
        queryset=AdminUnit.objects.none(),
        empty_label=_("All districts"),
    )

    def __init__(self, data, *, province_code: str, district_day: datetime.date):
        super().__init__(data, label_suffix="")
        self.fields["district"].queryset = selectors.district_choices(district_day, province_code)


# ---------------------------------------------------------------- the organisation form


def commune_choices(queryset) -> list:
    """Communes grouped by the unit above them, labelled with their validity, for a <select>.

    Units of both eras are offered: an organisation founded in 2018 is recorded in the
    commune as it was then.
    """
    units = queryset.select_related("parent").order_by("parent__name", "parent__valid_from", "name", "valid_from")
    groups: dict[int, tuple[tuple, str, list]] = {}
    for unit in units:
        parent = unit.parent
        key = parent.pk if parent else 0
        if key not in groups:
            # Units of past eras first (most records were registered then), today's last.
            order = (parent is None or parent.valid_to is None, parent.name if parent else "")
            groups[key] = (order, f"{parent.name} ({parent.validity})" if parent else "—", [])
        place = f"{unit.name} – {parent.name}" if parent else unit.name
        groups[key][2].append((unit.pk, f"{place} ({unit.validity})"))
    ordered = sorted(groups.values(), key=lambda group: group[:2])
    return [("", "---------"), *[(label, options) for _order, label, options in ordered]]


def communes_for(user, province_code: str):
    """Communes a user may record an organisation in: the province, or an officer's area."""
    qs = province_units(province_code).filter(level=Level.COMMUNE)
    if getattr(user, "role", None) == Role.AREA_OFFICER and not user.is_alliance:
        qs = qs.filter(pk__in=selectors.area_commune_ids(user))
    return qs


class OrganizationForm(forms.ModelForm):
    """Every editable field, for the alliance and area officers."""

    # The version the form was opened on; a save on an older one is refused (services.StaleEdit).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # What the user saw when the form opened (signed), so a refused stale edit can list what changed since.
    seen = forms.CharField(widget=forms.HiddenInput, required=False)
    charter_capital = DongField(
        label=_("Charter capital (đồng)"), required=False, help_text=_("Whole đồng, e.g. 500.000.000")
    )

    class Meta:
        model = Organization
        fields = EDITABLE_FIELDS
        widgets = {
            "founded_on": date_input(),
            "registration_date": date_input(),
            "business_lines": forms.Textarea(attrs={"rows": 3}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        }

    def __init__(self, *args, user=None, province_code: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        province_code = province_code or settings.ALLIANCE_PROVINCE_CODE
        if self.instance.pk:
            self.fields["version"].required = True
        for name in ("founded_on", "registration_date"):
            if name in self.fields:
                self.fields[name].input_formats = DATE_FORMATS
        if "commune" in self.fields:
            field = self.fields["commune"]
            field.queryset = communes_for(user, province_code)
            # Setting choices keeps ModelChoiceField's validation against the queryset.
            field.choices = commune_choices(field.queryset)
            field.help_text = _("The commune as it was on the founding date.")
        if "code" in self.fields:
            self.fields["code"].help_text = _("The tax code.")

    @property
    def groups(self):
        for legend, names in FIELD_GROUPS:
            fields = [(self[name], name in WIDE_FIELDS) for name in names if name in self.fields]
            if fields:
                yield legend, fields

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class CooperativeOrganizationForm(OrganizationForm):
    """What a cooperative's own account may change."""

    class Meta(OrganizationForm.Meta):
        fields = COOPERATIVE_FIELDS


def organization_form_class(user) -> type[OrganizationForm]:
    if getattr(user, "role", None) == Role.COOPERATIVE and not user.is_alliance:
        return CooperativeOrganizationForm
    return OrganizationForm


def seen_token(org: Organization) -> str:
    """The editable values as the form shows them, signed, carried in the form."""
    values = {}
    for name in EDITABLE_FIELDS:
        field = Organization._meta.get_field(name)
        value = getattr(org, field.attname)
        values[field.attname] = value.isoformat() if isinstance(value, datetime.date) else value
    return signing.dumps(values, salt=SEEN_SALT, compress=True)


def seen_organization(current: Organization, token: str) -> Organization:
    """current with the values the user saw; current itself if the token is missing or forged."""
    try:
        values = signing.loads(token, salt=SEEN_SALT) if token else None
    except signing.BadSignature:
        values = None
    if not isinstance(values, dict):
        return current
    seen = Organization.objects.get(pk=current.pk)
    for name in EDITABLE_FIELDS:
        field = Organization._meta.get_field(name)
        if field.attname not in values:
            continue
        value = values[field.attname]
        if field.get_internal_type() == "DateField" and value:
            value = datetime.date.fromisoformat(value)
        setattr(seen, field.attname, value)
    return seen


# ---------------------------------------------------------------- lifecycle, archive, membership


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Event"), choices=EventKind.choices)
    on = forms.DateField(label=_("Date"), widget=date_input(), input_formats=DATE_FORMATS)
    law = forms.ChoiceField(label=_("Law"), required=False, choices=[("", "---------"), *Law.choices])
    document = forms.CharField(label=_("Document no."), required=False, max_length=100)
    merged_into = forms.CharField(
        label=_("Merged into (code)"),
        required=False,
        max_length=20,
        help_text=_("Only for a merger: the code of the organisation it merged into."),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization

    def clean_merged_into(self):
        code = (self.cleaned_data.get("merged_into") or "").strip()
        if not code:
            return None
        target = Organization.objects.current().filter(code=code).exclude(pk=self.organization.pk).first()
        if target is None:
            raise forms.ValidationError(_("No organisation has the code %(code)s."), params={"code": code})
        return target


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class MembershipForm(forms.Form):
    ACTIONS = [("start", _("Joined the alliance")), ("end", _("Left the alliance"))]

    action = forms.ChoiceField(choices=ACTIONS, widget=forms.HiddenInput)
    on = forms.DateField(label=_("Date"), widget=date_input(), input_formats=DATE_FORMATS)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
