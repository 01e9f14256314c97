"""What the API reads and writes. Public serializers see only ``selectors.PUBLIC_FIELDS``.

Query parameters are serializers too, so a bad value is a 400 with the field named, and the
schema documents every parameter from the same class that checks it.
"""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from rest_framework import serializers

from hoptac.geo.models import AdminUnit, Level
from hoptac.registry.forms import COOPERATIVE_FIELDS, communes_for
from hoptac.registry.models import EventKind, Law, Organization, OrgKind, Sector, Status
from hoptac.registry.services import EDITABLE_FIELDS
from hoptac.returns.models import Status as ReturnStatus

FIRST_DAY = datetime.date(1900, 1, 1)
LAST_DAY = datetime.date(2100, 12, 31)
DATE_FORMATS = ["iso-8601", "%d/%m/%Y"]


class Day(serializers.DateField):
    """A date as 2021-03-15 (or 15/03/2021), between 1900 and 2100."""

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", DATE_FORMATS)
        super().__init__(**kwargs)

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        if not FIRST_DAY <= day <= LAST_DAY:
            raise serializers.ValidationError(_("Give a date between 1900 and 2100."))
        return day


# ---------------------------------------------------------------- query parameters


class DirectoryQuery(serializers.Serializer):
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="Name, code or place; diacritics ignored."
    )
    kind = serializers.ChoiceField(choices=OrgKind.choices, required=False)
    sector = serializers.ChoiceField(choices=Sector.choices, required=False)
    district = serializers.RegexField(
        r"^[0-9]{3}$", required=False, help_text="GSO code of a district as it was until 30/06/2025, e.g. 216."
    )
    commune_now = serializers.RegexField(r"^[0-9]{5}$", required=False, help_text="GSO code of a commune of today.")


class StatisticsQuery(serializers.Serializer):
    as_of = Day(required=False, help_text="The date of the figures; today if absent.")
    grouping = serializers.ChoiceField(
        choices=[("then", "district-level unit on the date"), ("now", "commune of today")], required=False
    )

    def get_fields(self):
        fields = super().get_fields()
        # "from" is a Python keyword, so the field is added by name.
        fields["from"] = Day(required=False, help_text="Start of a period: foundings and endings are counted.")
        return fields

    def validate(self, data):
        if data.get("from") and data["from"] > data.get("as_of", data["from"]):
            raise serializers.ValidationError({"from": _("The start of the period must be on or before as_of.")})
        return data


class ReportQuery(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=1990, max_value=2100)


class UnitQuery(serializers.Serializer):
    level = serializers.ChoiceField(choices=Level.choices, required=False)
    valid_on = Day(required=False, help_text="Only units that existed on this date.")
    parent = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    q = serializers.CharField(required=False, allow_blank=True, max_length=100, help_text="Part of the name or code.")


class OrganizationQuery(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=200)
    kind = serializers.ChoiceField(choices=OrgKind.choices, required=False)
    sector = serializers.ChoiceField(choices=Sector.choices, required=False)
    status = serializers.ChoiceField(choices=["active", "inactive", "all"], required=False)
    as_of = Day(required=False, help_text="The date status is read on; today if absent.")
    district = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1, help_text="Unit id.")
    commune_now = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1, help_text="Unit id.")
    member = serializers.ChoiceField(choices=["yes", "no"], required=False)
    archived = serializers.BooleanField(required=False, default=False)


class AsOfQuery(serializers.Serializer):
    as_of = Day(required=False, help_text="The date the figures are computed on; today if absent.")


class LoanQuery(serializers.Serializer):
    as_of = Day(required=False, help_text="The date positions are computed on; today if absent.")
    status = serializers.ChoiceField(
        choices=["applied", "appraisal", "approved", "rejected", "contracted", "active", "closed", "written_off"],
        required=False,
    )
    borrower = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1, help_text="Organisation id.")


# ---------------------------------------------------------------- units


class UnitRef(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = AdminUnit
        fields = ["id", "code", "name", "kind", "level", "parent", "valid_from", "valid_to", "current"]
        read_only_fields = fields


# ---------------------------------------------------------------- the public directory


class PublicOrganizationSerializer(serializers.Serializer):
    """One organisation as the public directory shows it, and nothing more."""

    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=OrgKind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    sector = serializers.ChoiceField(choices=Sector.choices)
    sector_label = serializers.CharField(source="get_sector_display")
    founded_on = serializers.DateField()
    commune = UnitRef(help_text="The commune as recorded (usually as it was at the founding).")
    district = serializers.SerializerMethodField(help_text="The district of that commune; null after 07/2025.")
    commune_now = serializers.SerializerMethodField(help_text="The commune it lies in today.")
    profile_url = serializers.SerializerMethodField()

    def get_district(self, org) -> UnitRef(allow_null=True):
        parent = org.commune.parent
        if parent is None or parent.level != Level.DISTRICT:
            return None
        return {"code": parent.code, "name": parent.name}

    def get_commune_now(self, org) -> UnitRef(allow_null=True):
        current = org.commune.current
        return {"code": current.code, "name": current.name} if current else None

    def get_profile_url(self, org) -> str:
        url = reverse("directory:profile", args=[org.code])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class PublicAwardSerializer(serializers.Serializer):
    on = serializers.DateField()
    number = serializers.CharField()
    issuer = serializers.CharField()
    issuer_label = serializers.CharField()
    form = serializers.CharField()
    form_label = serializers.CharField()
    title = serializers.CharField()


class PublicValueChainSerializer(serializers.Serializer):
    programme = serializers.CharField()
    year_from = serializers.IntegerField()
    year_to = serializers.IntegerField(allow_null=True)
    selected_on = serializers.DateField()
    plans = serializers.ListField(child=serializers.CharField())


class PublicProductSerializer(serializers.Serializer):
    name = serializers.CharField()
    ocop_stars = serializers.IntegerField(allow_null=True)
    certification = serializers.CharField()


class PublicProfileSerializer(PublicOrganizationSerializer):
    awards = PublicAwardSerializer(many=True, help_text="Awards to the organisation as a collective.")
    value_chains = PublicValueChainSerializer(many=True, help_text="Value-chain programmes it was selected for.")
    products = PublicProductSerializer(many=True)


# ---------------------------------------------------------------- statistics


class AreaCountSerializer(serializers.Serializer):
    area = serializers.CharField()
    area_id = serializers.IntegerField(allow_null=True)
    parent = serializers.CharField()
    by_kind = serializers.DictField(child=serializers.IntegerField())
    total = serializers.IntegerField()


class StatisticsSerializer(serializers.Serializer):
    """``registry_statistics`` as it is: the same figures as the statistics pages and their files."""

    as_of = serializers.DateField()
    date_from = serializers.DateField(allow_null=True)
    grouping = serializers.CharField()
    active = serializers.DictField(child=serializers.IntegerField(), help_text="Active organisations by type.")
    active_total = serializers.IntegerField(source="total_active")
    active_by_national_group = serializers.DictField(child=serializers.IntegerField(), source="active_by_group")
    active_by_kind_and_sector = serializers.DictField(
        child=serializers.DictField(child=serializers.IntegerField()), source="active_by_sector"
    )
    areas = AreaCountSerializer(many=True)
    founded = serializers.DictField(child=serializers.IntegerField(), help_text="Empty without a period.")
    dissolved = serializers.DictField(child=serializers.IntegerField(), help_text="Ended; empty without a period.")


# ---------------------------------------------------------------- published reports


class ReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    number = serializers.CharField()
    year = serializers.IntegerField()
    period_kind = serializers.CharField()
    period_number = serializers.IntegerField(allow_null=True)
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    issued_on = serializers.DateField(allow_null=True)
    published_on = serializers.DateTimeField()
    url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()
    docx_url = serializers.SerializerMethodField()

    def _absolute(self, url: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url

    def get_url(self, report) -> str:
        return self._absolute(reverse("public_reports:detail", args=[report.pk]))

    def get_pdf_url(self, report) -> str | None:
        return self._absolute(reverse("public_reports:file", args=[report.pk, "pdf"])) if report.pdf else None

    def get_docx_url(self, report) -> str | None:
        return self._absolute(reverse("public_reports:file", args=[report.pk, "docx"])) if report.docx else None


# ---------------------------------------------------------------- the registry (token)


class CommuneSerializer(serializers.ModelSerializer):
    parent = UnitRef(allow_null=True)

    class Meta:
        model = AdminUnit
        fields = ["id", "code", "name", "valid_from", "valid_to", "parent"]
        read_only_fields = fields


class OrganizationSerializer(serializers.ModelSerializer):
    """Every field of a record, for accounts that may see it."""

    commune = CommuneSerializer()
    status = serializers.ChoiceField(choices=Status.choices, help_text="Status on as_of (today by default).")
    # Plain strings: a record may have none ("" is not an address the schema's formats accept).
    email = serializers.CharField()
    website = serializers.CharField()
    registration_law = serializers.ChoiceField(choices=Law.choices, allow_blank=True)

    class Meta:
        model = Organization
        fields = [
            "id",
            "version",
            *EDITABLE_FIELDS,
            "status",
            "archived_on",
            "archived_reason",
            "created_on",
            "modified_on",
        ]
        read_only_fields = fields


class OrganizationWriteSerializer(serializers.ModelSerializer):
    """The editable fields; the commune must be one the account may record organisations in."""

    commune = serializers.PrimaryKeyRelatedField(queryset=AdminUnit.objects.none(), help_text="Unit id (level 3).")
    charter_capital = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=10**15, help_text="Whole đồng."
    )

    class Meta:
        model = Organization
        fields = EDITABLE_FIELDS

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if "commune" in self.fields:
            self.fields["commune"].queryset = communes_for(user, settings.ALLIANCE_PROVINCE_CODE)


class OrganizationUpdateSerializer(OrganizationWriteSerializer):
    version = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, help_text="The version read; a newer one on the server answers 409."
    )

    class Meta(OrganizationWriteSerializer.Meta):
        fields = [*EDITABLE_FIELDS, "version"]


class CooperativeUpdateSerializer(OrganizationUpdateSerializer):
    """What a cooperative's own account may change on its record."""

    class Meta(OrganizationWriteSerializer.Meta):
        fields = [*COOPERATIVE_FIELDS, "version"]


class EventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=EventKind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    on = serializers.DateField()
    status_after = serializers.CharField(help_text="Blank when the event does not change the status.")
    law = serializers.CharField()
    document = serializers.CharField()
    note = serializers.CharField()
    merged_into = serializers.CharField(
        source="merged_into.code", allow_null=True, default=None, help_text="Code of the organisation merged into."
    )
    created_on = serializers.DateTimeField()


class EventWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=EventKind.choices)
    on = Day()
    law = serializers.ChoiceField(choices=Law.choices, required=False, allow_blank=True, default="")
    document = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    merged_into = serializers.CharField(
        required=False, allow_blank=True, max_length=20, default="", help_text="Code of the organisation (mergers)."
    )

    def __init__(self, *args, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization

    def validate_merged_into(self, code: str):
        code = code.strip()
        if not code:
            return None
        target = Organization.objects.current().filter(code=code).exclude(pk=self.organization.pk).first()
        if target is None:
            raise serializers.ValidationError(_("No organisation has the code %(code)s.") % {"code": code})
        return target


# ---------------------------------------------------------------- the fund (token)


class BorrowerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class PositionSerializer(serializers.Serializer):
    """Where a loan stood at the end of a day (``hoptac.fund.selectors.position``); whole đồng."""

    day = serializers.DateField()
    disbursed = serializers.IntegerField()
    principal_repaid = serializers.IntegerField()
    interest_paid = serializers.IntegerField()
    written_off = serializers.IntegerField()
    outstanding = serializers.IntegerField()
    overdue_principal = serializers.IntegerField()
    overdue_interest = serializers.IntegerField()
    days_past_due = serializers.IntegerField()
    bucket = serializers.CharField(help_text="Arrears bucket: current, 1-30, 31-90, 91-180, >180 days.")
    next_due_on = serializers.DateField(source="next_due.due_on", allow_null=True, default=None)
    next_due_principal = serializers.IntegerField(source="next_due.principal", allow_null=True, default=None)
    next_due_interest = serializers.IntegerField(source="next_due.interest", allow_null=True, default=None)


class LoanSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    borrower = BorrowerSerializer()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    project_name = serializers.CharField()
    applied_on = serializers.DateField()
    requested_amount = serializers.IntegerField()
    approved_amount = serializers.IntegerField(allow_null=True)
    decision_on = serializers.DateField(allow_null=True)
    contract_on = serializers.DateField(allow_null=True)
    annual_rate = serializers.DecimalField(max_digits=7, decimal_places=4, allow_null=True, coerce_to_string=True)
    term_months = serializers.IntegerField(allow_null=True)
    closed_on = serializers.DateField(allow_null=True)
    written_off_on = serializers.DateField(allow_null=True)
    position = PositionSerializer()


# ---------------------------------------------------------------- the account


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    role = serializers.CharField()
    department = serializers.CharField()
    organization = BorrowerSerializer(allow_null=True)
    areas = UnitRef(many=True)
    token = serializers.CharField(allow_null=True, help_text="The name of the token used, if any.")


# ---------------------------------------------------------------- returns (token)


class ReturnQuery(serializers.Serializer):
    form = serializers.SlugField(required=False, max_length=40, help_text="Form code, e.g. annual_htx.")
    year = serializers.IntegerField(required=False, min_value=1990, max_value=2100)
    quarter = serializers.IntegerField(required=False, min_value=1, max_value=4)
    status = serializers.ChoiceField(choices=ReturnStatus.choices, required=False)
    organization = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)


class ReturnFormSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.SerializerMethodField()
    frequency = serializers.CharField()
    respondent = serializers.CharField()
    kinds = serializers.ListField(child=serializers.CharField())

    def get_name(self, form) -> str:
        return form.name_en if (get_language() or "vi").startswith("en") else form.name_vi


class ReturnFieldSerializer(serializers.Serializer):
    """A field of the return's form version: what each value must be."""

    code = serializers.CharField()
    name = serializers.SerializerMethodField()
    unit = serializers.CharField(help_text="dong, count, percent, text, choice or score.")
    required = serializers.BooleanField(help_text="Needed to submit (a draft may leave it empty).")
    min_value = serializers.IntegerField(allow_null=True)
    max_value = serializers.IntegerField(allow_null=True)
    choices = serializers.SerializerMethodField()
    section = serializers.CharField()

    def get_name(self, spec) -> str:
        indicator = spec.indicator
        return indicator.name_en if (get_language() or "vi").startswith("en") else indicator.name_vi

    def get_choices(self, spec) -> list[str]:
        return [choice[0] for choice in spec.choices]


class ReturnSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    form = serializers.CharField(source="form.code")
    organization = BorrowerSerializer(allow_null=True)
    year = serializers.IntegerField()
    quarter = serializers.IntegerField(allow_null=True)
    status = serializers.ChoiceField(choices=ReturnStatus.choices)
    revision = serializers.IntegerField(help_text="Send it back with a change; a newer one on the server answers 409.")
    submitted_on = serializers.DateField(allow_null=True)
    approved_on = serializers.DateField(allow_null=True)
    comment = serializers.CharField(help_text="The reviewer's comment when it was sent back.")
    values = serializers.DictField(
        child=serializers.JSONField(), help_text="By field code: whole numbers, percentages as strings, texts, choices."
    )


class ReturnDetailSerializer(ReturnSerializer):
    form_fields = ReturnFieldSerializer(many=True, help_text="The fields of the form version the return is on.")


class ReturnOpenSerializer(serializers.Serializer):
    form = serializers.SlugField(max_length=40)
    organization = serializers.IntegerField(
        allow_null=True, min_value=1, max_value=2**31 - 1, help_text="Organisation id; null for the alliance's forms."
    )
    year = serializers.IntegerField(min_value=1990, max_value=2100)
    quarter = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=4, default=None)


class ReturnValuesSerializer(serializers.Serializer):
    values = serializers.DictField(
        child=serializers.JSONField(),
        help_text='By field code, as typed: 1500000000 or "1.500.000.000"; "12,5" for a percentage; null empties it.',
    )
    revision = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


class ReturnSubmitSerializer(serializers.Serializer):
    values = serializers.DictField(child=serializers.JSONField(), required=False, default=dict)
    revision = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
