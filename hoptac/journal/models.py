"""The alliance's own documents (plans, proposals, cooperation programmes) and its activity journal.

Journal entries are the sentences of the quarterly report's narrative, filed under the areas
of work the report uses, in the report's order.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hoptac.core.models import BaseModel

# An archived record says why; a live one carries no stale reason.
ARCHIVED_WITH_REASON = (Q(archived_on__isnull=True) & Q(archived_reason="")) | (
    Q(archived_on__isnull=False) & ~Q(archived_reason="")
)


class Archivable(models.Model):
    """Archived instead of deleted: hidden from lists, the report and the export, kept with its history.

    ``version`` grows with every save, so a form opened on an older version is refused (no lost updates).
    """

    archived_on = models.DateTimeField(_("archived on"), null=True, blank=True)
    archived_reason = models.TextField(_("reason for archiving"), blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_on is not None


class DocumentKind(models.TextChoices):
    PLAN = "plan", _("Plan")
    PROPOSAL = "proposal", _("Proposal")
    COOPERATION = "cooperation", _("Cooperation programme")
    REPORT = "report", _("Report")
    OTHER = "other", _("Other document")


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("document status", "Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")


class Document(BaseModel, Archivable):
    """A document the alliance drafts or issues: a plan, a proposal, a cooperation programme…

    Its status only moves forward (draft → submitted → approved); each move is dated and audited.
    An approved document has a number and an issue date.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=500)
    number = models.CharField(_("number"), max_length=60, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT)
    drafted_on = models.DateField(_("drafted on"))
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    partner = models.CharField(_("partner"), max_length=300, blank=True)
    year = models.PositiveIntegerField(_("year it concerns"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="journal/documents/%Y/", blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-drafted_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="approved") | (Q(issued_on__isnull=False) & ~Q(number="")),
                name="journal_document_approved_numbered",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_on__isnull=False),
                name="journal_document_submitted_dated",
            ),
            models.CheckConstraint(condition=ARCHIVED_WITH_REASON, name="journal_document_archived_with_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    @property
    def status_class(self) -> str:
        return {"draft": "badge-inactive", "submitted": "badge-warning", "approved": "badge-active"}[self.status]


class Area(models.TextChoices):
    """The areas of work, in the order the quarterly report tells them."""

    ADVISING = "advising", _("Advising the province")
    PROMOTION = "promotion", _("Promoting and developing cooperatives")
    CAPITAL = "capital", _("Capital support")
    INFORMATION = "information", _("Information system administration")
    TRAINING = "training", _("Training")
    VALUE_CHAINS = "value_chains", _("Value chains")
    EMULATION = "emulation", _("Emulation and awards")
    OTHER = "other", _("Other")


AREA_ORDER = {value: index for index, value in enumerate(Area.values)}


class JournalEntry(BaseModel, Archivable):
    """Something the alliance did on a date, told as the report would tell it."""

    on = models.DateField(_("date"))
    area = models.CharField(_("area of work"), max_length=20, choices=Area.choices)
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"), help_text=_("The sentences as they should appear in the report."))
    conference = models.BooleanField(_("conference held"), default=False)
    attendance = models.PositiveIntegerField(_("attendance"), null=True, blank=True)
    documents = models.ManyToManyField(Document, verbose_name=_("documents"), blank=True, related_name="entries")
    organizations = models.ManyToManyField(
        "registry.Organization", verbose_name=_("organisations"), blank=True, related_name="journal_entries"
    )

    class Meta:
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        ordering = ["on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(conference=True) | Q(attendance__isnull=True), name="journal_attendance_only_conference"
            ),
            models.CheckConstraint(condition=ARCHIVED_WITH_REASON, name="journal_entry_archived_with_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.on:%d/%m/%Y} {self.title}"
