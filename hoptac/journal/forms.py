"""Forms of the journal pages. Field names match the services' keyword arguments."""

import datetime
import os

from django import forms
from django.core import signing
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoptac.core.forms import DATE_INPUT_FORMATS, ViDateInput
from hoptac.fund.forms import ATTACHMENT_SIGNATURES, check_attachment
from hoptac.registry.models import Organization

from .models import Area, Document, DocumentKind, DocumentStatus

# The alliance's documents are texts and tables, never photos.
DOCUMENT_EXTENSIONS = (".pdf", ".docx", ".xlsx")
DOCUMENT_ACCEPT = ",".join(DOCUMENT_EXTENSIONS)
assert all(ext in ATTACHMENT_SIGNATURES for ext in DOCUMENT_EXTENSIONS)


def date_field(label, *, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, input_formats=DATE_INPUT_FORMATS, widget=ViDateInput())


def quarter_of(day: datetime.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    start = datetime.date(year, 3 * quarter - 2, 1)
    end = datetime.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1) - datetime.timedelta(1)
    return start, end


class PeriodForm(forms.Form):
    """A period: a quarter of a year (the default, the current quarter) or explicit dates."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    quarter = forms.IntegerField(label=_("Quarter"), min_value=1, max_value=4, required=False)
    date_from = date_field(_("From"), required=False)
    date_to = date_field(_("To"), required=False)
    area = forms.ChoiceField(label=_("Area of work"), required=False, choices=[("", _("All areas")), *Area.choices])
    archived = forms.BooleanField(label=_("Show archived"), required=False)

    def period(self) -> tuple[datetime.date, datetime.date]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        today = timezone.localdate()
        if data.get("date_from") and data.get("date_to") and data["date_from"] <= data["date_to"]:
            return data["date_from"], data["date_to"]
        year, quarter = quarter_of(today)
        if data.get("year") and not data.get("quarter"):
            # A year without a quarter: the whole year.
            return datetime.date(data["year"], 1, 1), datetime.date(data["year"], 12, 31)
        return quarter_bounds(data.get("year") or year, data.get("quarter") or quarter)

    def chosen_area(self) -> str:
        self.is_valid()
        return getattr(self, "cleaned_data", {}).get("area") or ""

    def show_archived(self) -> bool:
        self.is_valid()
        return bool(getattr(self, "cleaned_data", {}).get("archived"))


SEEN_SALT = "hoptac.journal.seen"


def seen_token(values: dict) -> str:
    """What an edit form showed when it opened (services.entry_values / document_values), signed."""
    return signing.dumps(values, salt=SEEN_SALT, compress=True)


def seen_values(token: str) -> dict | None:
    """The values a form was opened on; None if the token is missing or forged."""
    try:
        values = signing.loads(token, salt=SEEN_SALT) if token else None
    except signing.BadSignature:
        return None
    return values if isinstance(values, dict) else None


class VersionedForm(forms.Form):
    """An edit form that carries the version it was opened on, so a save over someone else's is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    seen = forms.CharField(widget=forms.HiddenInput, required=False)


class EntryForm(VersionedForm):
    on = date_field(_("Date"))
    area = forms.ChoiceField(label=_("Area of work"), choices=Area.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    text = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The sentences as they should appear in the report."),
    )
    conference = forms.BooleanField(label=_("A conference was held"), required=False)
    attendance = forms.IntegerField(label=_("Attendance"), min_value=0, required=False)
    documents = forms.ModelMultipleChoiceField(
        label=_("Linked documents"),
        queryset=Document.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Hold Ctrl (Cmd on a Mac) to choose several."),
    )
    organizations = forms.ModelMultipleChoiceField(
        label=_("Linked organisations"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Hold Ctrl (Cmd on a Mac) to choose several."),
    )

    def __init__(self, *args, entry=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Archived documents are not offered, except those the entry already links (kept on save).
        live = Q(archived_on__isnull=True)
        if entry is not None:
            live |= Q(pk__in=entry.documents.values("pk"))
            self.fields["version"].required = True
        self.fields["documents"].queryset = Document.objects.filter(live).order_by("-drafted_on", "-id")
        self.fields["organizations"].queryset = Organization.objects.filter(archived_on__isnull=True).order_by(
            "name", "id"
        )

    def clean(self):
        data = super().clean()
        if data.get("on") and data["on"] > timezone.localdate():
            self.add_error("on", _("The date cannot be in the future."))
        if data.get("attendance") is not None and not data.get("conference"):
            self.add_error("attendance", _("Attendance is recorded only for a conference."))
        return data


def check_document_file(upload) -> None:
    """PDF, Word or Excel up to 10 MB, checked by content (the fund's attachment check)."""
    ext = os.path.splitext(upload.name or "")[1].lower()
    if ext not in DOCUMENT_EXTENSIONS:
        raise forms.ValidationError(_("Only PDF, Word (.docx) or Excel (.xlsx) files can be attached."), code="type")
    check_attachment(upload)


class DocumentForm(VersionedForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    # Titles of proposals run to two lines; a line break typed in one is kept as a space.
    title = forms.CharField(label=_("Title"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    number = forms.CharField(label=_("Number"), max_length=60, required=False, help_text=_("Optional while a draft."))
    drafted_on = date_field(_("Drafted on"))
    partner = forms.CharField(label=_("Partner"), max_length=300, required=False)
    year = forms.IntegerField(label=_("Year it concerns"), min_value=2000, max_value=2100, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, Word or Excel, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": DOCUMENT_ACCEPT}),
    )

    def __init__(self, *args, document=None, **kwargs):
        super().__init__(*args, **kwargs)
        if document is not None:
            self.fields["version"].required = True

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())

    def clean_drafted_on(self):
        day = self.cleaned_data.get("drafted_on")
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type"):
            check_document_file(upload)
        return upload


class SubmitForm(forms.Form):
    on = date_field(_("Submitted on"))


class ApproveForm(forms.Form):
    on = date_field(_("Approved / issued on"))
    number = forms.CharField(label=_("Number"), max_length=60, required=False)


class DocumentFilterForm(forms.Form):
    date_from = date_field(_("From"), required=False)
    date_to = date_field(_("To"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *DocumentKind.choices])
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *DocumentStatus.choices]
    )
    archived = forms.BooleanField(label=_("Show archived"), required=False)

    def filters(self) -> dict:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "kind": data.get("kind") or None,
            "status": data.get("status") or None,
            "include_archived": bool(data.get("archived")),
        }


class ArchiveForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for archiving"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: entered twice, entered by mistake."),
    )


class RestoreForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for restoring"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
