"""Forms of the fund pages: filters, the application, the staff's decisions and the money.

Field names match the keyword arguments (and error keys) of the services, so a service's
ValidationError lands beside the field it is about.
"""

import datetime
import os
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoptac.core.forms import DATE_INPUT_FORMATS, ViDateInput
from hoptac.registry.forms import DongField
from hoptac.registry.models import Organization

from .models import Appraisal, CapitalSource, LoanProduct, LoanStatus

# What an appraisal may carry: the documents staff scan or write, checked by their first bytes too,
# because the name alone says nothing about what a file is.
ATTACHMENT_SIGNATURES = {
    ".pdf": [b"%PDF-"],
    ".docx": [b"PK\x03\x04"],
    ".xlsx": [b"PK\x03\x04"],
    ".jpg": [b"\xff\xd8\xff"],
    ".jpeg": [b"\xff\xd8\xff"],
    ".png": [b"\x89PNG\r\n\x1a\n"],
}
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_ACCEPT = ",".join(ATTACHMENT_SIGNATURES)


def date_field(label, *, required: bool = True, help_text="") -> forms.DateField:
    return forms.DateField(
        label=label, required=required, help_text=help_text, input_formats=DATE_INPUT_FORMATS, widget=ViDateInput()
    )


class RateField(forms.DecimalField):
    """Percent a year as people type it: "7,2" or "7.2"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 7)
        kwargs.setdefault("decimal_places", 4)
        kwargs.setdefault("min_value", Decimal(0))
        kwargs.setdefault("max_value", Decimal(100))
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().rstrip("%").strip().replace(",", ".")
        return super().to_python(value)


def amount_field(label, *, required: bool = True, help_text=None) -> DongField:
    return DongField(
        label=label,
        required=required,
        min_value=1 if required else 0,
        help_text=help_text if help_text is not None else _("Whole đồng, e.g. 500.000.000"),
    )


class ActionForm(forms.Form):
    """A staff decision or a movement of money: dated today at the latest."""

    # Fields laid out across the form's whole width (templates read field.field.wide).
    wide = ("text", "recommendation", "reason", "note", "attachment")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.wide = name in self.wide

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        for name, value in data.items():
            if isinstance(value, datetime.date) and value > today:
                self.add_error(name, _("The date cannot be in the future."))
        return data


class LoanActionForm(ActionForm):
    """A step on one loan, carrying the loan's version the form was opened on (services.StaleLoan)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    # The newest audit entry of the loan when the form was opened: a refused form lists what came after it.
    seen = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


# ---------------------------------------------------------------- lists and dates


class LoanFilterForm(forms.Form):
    """The loan list's GET parameters; a bad value is ignored."""

    q = forms.CharField(
        label=_("Borrower"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name, code, commune…")}),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *LoanStatus.choices]
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def filters(self) -> dict:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"q": data.get("q") or "", "status": data.get("status") or "", "overdue": bool(data.get("overdue"))}


class DayForm(forms.Form):
    """One date, today when left empty."""

    on = date_field(_("On"), required=False)

    def __init__(self, data=None, **kwargs):
        data = data.copy() if data is not None else {}
        # The default lives in the data, so the field shows the date the page is about.
        if not data.get("on"):
            data["on"] = timezone.localdate().strftime("%d/%m/%Y")
        super().__init__(data, **kwargs)

    def day(self) -> datetime.date:
        self.is_valid()
        return self.cleaned_data.get("on") or timezone.localdate()


class StatementForm(forms.Form):
    """The statement's date, the optional start of its period, and how areas are grouped."""

    GROUPINGS = [("then", _("District on the date")), ("now", _("Commune today"))]

    as_of = date_field(_("As of"), required=False)
    grouping = forms.ChoiceField(label=_("Areas"), choices=GROUPINGS, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword, so the field is added by name.
        self.fields["from"] = date_field(
            _("From"), required=False, help_text=_("Optional: disbursements, repayments and interest over a period")
        )
        self.order_fields(["from", "as_of", "grouping"])

    def clean(self):
        data = super().clean()
        if data.get("from") and data.get("as_of") and data["from"] > data["as_of"]:
            self.add_error("from", _("The start of the period must be on or before the date of the figures."))
        return data


# ---------------------------------------------------------------- the application


class BorrowerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organization) -> str:
        return f"{obj.name} ({obj.code})"


class ApplyForm(forms.Form):
    """An application for a project. A cooperative's account applies for itself (no borrower field)."""

    borrower = BorrowerChoiceField(label=_("Borrower"), queryset=Organization.objects.none())
    product = forms.ModelChoiceField(label=_("Loan product"), queryset=LoanProduct.objects.none())
    project_name = forms.CharField(label=_("Project"), max_length=300)
    purpose = forms.CharField(label=_("Purpose"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    project_cost = amount_field(_("Project cost (đồng)"))
    equity_amount = amount_field(_("Borrower's own capital (đồng)"), required=False)
    requested_amount = amount_field(_("Amount requested (đồng)"))
    requested_term_months = forms.IntegerField(label=_("Term requested (months)"), min_value=1, max_value=600)
    applied_on = date_field(_("Date of the application"))

    def __init__(self, *args, borrowers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if borrowers is None:
            del self.fields["borrower"]
        else:
            self.fields["borrower"].queryset = borrowers.filter(archived_on__isnull=True).order_by("name", "id")
        self.fields["product"].queryset = LoanProduct.objects.filter(active=True)

    def clean(self):
        data = super().clean()
        if data.get("applied_on") and data["applied_on"] > timezone.localdate():
            self.add_error("applied_on", _("The date cannot be in the future."))
        return data


# ---------------------------------------------------------------- staff decisions


def check_attachment(upload) -> None:
    """Refuse anything but PDF, DOCX, XLSX and JPEG/PNG images up to 10 MB."""
    ext = os.path.splitext(upload.name or "")[1].lower()
    if ext not in ATTACHMENT_SIGNATURES:
        raise forms.ValidationError(
            _("Only PDF, Word (.docx), Excel (.xlsx) or image (.jpg, .png) files can be attached."),
            code="type",
        )
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise forms.ValidationError(
            _("The file is larger than %(mb)d MB.") % {"mb": ATTACHMENT_MAX_BYTES // (1024 * 1024)}, code="size"
        )
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in ATTACHMENT_SIGNATURES[ext]):
        raise forms.ValidationError(
            _("The file's content is not a %(ext)s file.") % {"ext": ext.lstrip(".").upper()}, code="content"
        )


class AppraiseForm(LoanActionForm):
    on = date_field(_("Date"))
    text = forms.CharField(label=_("Appraisal notes"), widget=forms.Textarea(attrs={"rows": 4}))
    recommendation = forms.ChoiceField(
        label=_("Recommendation"), choices=Appraisal.Recommendation.choices, required=False
    )
    attachment = forms.FileField(
        label=_("Attachment"),
        required=False,
        help_text=_("PDF, Word, Excel or an image, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ATTACHMENT_ACCEPT}),
    )

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            check_attachment(upload)
        return upload


class ApproveForm(LoanActionForm):
    amount = amount_field(_("Amount approved (đồng)"))
    term_months = forms.IntegerField(label=_("Term (months)"), min_value=1, max_value=600)
    decision_number = forms.CharField(label=_("Decision no."), max_length=60)
    decision_on = date_field(_("Decision date"))
    approver = forms.CharField(label=_("Approved by"), max_length=200)


class RejectForm(LoanActionForm):
    decision_on = date_field(_("Decision date"))
    reason = forms.CharField(label=_("Reason for rejection"), widget=forms.Textarea(attrs={"rows": 2}))


class ContractForm(LoanActionForm):
    number = forms.CharField(label=_("Contract no."), max_length=60)
    on = date_field(_("Contract date"))


class DisburseForm(LoanActionForm):
    amount = amount_field(_("Amount (đồng)"))
    on = date_field(_("Date"))
    document = forms.CharField(label=_("Document no."), max_length=100, required=False)


class RepaymentForm(LoanActionForm):
    amount = amount_field(_("Amount paid (đồng)"))
    on = date_field(_("Date"))
    document = forms.CharField(label=_("Document no."), max_length=100, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class RescheduleForm(LoanActionForm):
    on = date_field(_("In force from"))
    term_months = forms.IntegerField(label=_("New term (months)"), min_value=1, max_value=600)
    annual_rate = RateField(
        label=_("New interest rate (% a year)"), required=False, help_text=_("Leave empty to keep the rate.")
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)


class WriteOffForm(LoanActionForm):
    on = date_field(_("Date"))
    reason = forms.CharField(label=_("Reason for writing off"), widget=forms.Textarea(attrs={"rows": 2}))


# ---------------------------------------------------------------- capital


class CapitalForm(ActionForm):
    """A contribution or a withdrawal, typed as a positive amount and a direction."""

    DIRECTIONS = [("in", _("Contribution")), ("out", _("Withdrawal"))]

    source = forms.ModelChoiceField(label=_("Source"), queryset=CapitalSource.objects.all())
    direction = forms.ChoiceField(label=_("Movement"), choices=DIRECTIONS)
    on = date_field(_("Date"))
    amount = amount_field(_("Amount (đồng)"))
    document = forms.CharField(label=_("Document no."), max_length=100, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def service_data(self) -> dict:
        data = self.cleaned_data
        sign = -1 if data["direction"] == "out" else 1
        return {
            "source": data["source"],
            "on": data["on"],
            "amount": sign * data["amount"],
            "document": data["document"],
            "note": data["note"],
        }
