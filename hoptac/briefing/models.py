"""Reports of the alliance's work for a period: a draft anyone may rewrite, then an issued, frozen document.

A draft keeps only its text (with figure tokens); its figures are computed afresh from the
records each time it is shown. Issuing numbers it (NN/BC-LMHTX, a sequence per year),
dates and signs it, and freezes text and figures: an issued report never changes, even
when the records behind it are corrected later.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hoptac.core.models import BaseModel

from .periods import HALF, QUARTER, RANGE, YEAR


class PeriodKind(models.TextChoices):
    QUARTER = QUARTER, _("Quarter")
    HALF = HALF, _("Half-year")
    YEAR = YEAR, _("Year")
    RANGE = RANGE, _("Date range")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("report status", "Draft")
    ISSUED = "issued", _("Issued")


class Report(BaseModel):
    period_kind = models.CharField(_("period"), max_length=10, choices=PeriodKind.choices)
    year = models.PositiveIntegerField(_("year"))
    period_number = models.PositiveSmallIntegerField(_("quarter or half"), null=True, blank=True)
    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("to"))
    as_of = models.DateField(_("figures as of"))
    title = models.CharField(_("title"), max_length=300)
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    # [{"key", "heading", "text"}]: the text with [[figure]] tokens.
    sections = models.JSONField(_("sections"), default=list)
    version = models.PositiveIntegerField(default=1, editable=False)  # refuses a stale edit

    # Set when issued, never changed afterwards.
    sequence_year = models.PositiveIntegerField(_("year of issue"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("number in the year"), null=True, blank=True)
    number = models.CharField(_("number"), max_length=40, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=100, blank=True)
    signer_name = models.CharField(_("signer"), max_length=120, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=200, blank=True)
    signing_authority = models.CharField(_("signing on behalf"), max_length=60, blank=True)  # "KT. CHỦ TỊCH"
    recipients = models.TextField(_("recipients"), blank=True)  # "Nơi nhận:", one a line
    figures = models.JSONField(_("frozen figures"), default=dict, blank=True)  # key -> Figure.as_dict()
    docx = models.FileField(_("Word file"), upload_to="reports/%Y/", blank=True)
    pdf = models.FileField(_("PDF file"), upload_to="reports/%Y/", blank=True)

    # Publishing on the portal.
    published_on = models.DateTimeField(_("published on"), null=True, blank=True)

    archived_on = models.DateTimeField(_("archived on"), null=True, blank=True)
    archive_reason = models.CharField(_("archive reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-date_to", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sequence_year", "sequence"],
                condition=Q(sequence__isnull=False),
                name="briefing_report_unique_sequence",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(sequence__isnull=False) & Q(issued_on__isnull=False) & ~Q(number="")),
                name="briefing_report_issued_numbered",
            ),
            models.CheckConstraint(condition=Q(date_to__gte=models.F("date_from")), name="briefing_report_period"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    @property
    def is_issued(self) -> bool:
        return self.status == ReportStatus.ISSUED

    @property
    def is_published(self) -> bool:
        return self.published_on is not None


class WordTemplate(BaseModel):
    """An administrator's own Word template for reports (docxtpl); the newest active one is used."""

    file = models.FileField(_("Word template"), upload_to="reports/templates/")
    note = models.CharField(_("note"), max_length=300, blank=True)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("Word template")
        verbose_name_plural = _("Word templates")
        ordering = ["-created_on", "-id"]

    def __str__(self) -> str:
        return self.note or self.file.name
