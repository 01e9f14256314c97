"""Emulation and awards: movements, blocs and covenants, proposals, award decisions and their recipients.

The process (Law 06/2022/QH15): a movement is launched, units register or sign a bloc
covenant, they assess themselves at year end, the bloc scores them, proposals go up and an
authority issues an award decision naming collective or individual recipients.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hoptac.core.models import BaseModel


class Issuer(models.TextChoices):
    VCA = "vca", _("Vietnam Cooperative Alliance")
    PROVINCE = "province", _("Provincial People's Committee")
    ALLIANCE = "alliance", _("Provincial Cooperative Alliance")
    OTHER = "other", _("Other")


class AwardForm(models.TextChoices):
    FLAG = "flag", _("Emulation flag")
    MERIT = "merit", _("Certificate of merit")
    COMMENDATION = "commendation", _("Certificate of commendation")
    MEDAL = "medal", _("Commemorative medal")
    TITLE = "title", _("Emulation title")


class RecipientKind(models.TextChoices):
    COLLECTIVE = "collective", _("Collective")
    INDIVIDUAL = "individual", _("Individual")


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("proposal status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("proposal status", "Submitted")
    APPROVED = "approved", pgettext_lazy("proposal status", "Approved")
    REFUSED = "refused", pgettext_lazy("proposal status", "Refused")


# Self-assessment and bloc scores are out of 100, as the blocs' scoring sheets are.
SCORE_MAX = 100


class Movement(BaseModel):
    """An emulation movement (phong trào thi đua) launched for a year."""

    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=300)
    launched_on = models.DateField(_("launched on"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("emulation movement")
        verbose_name_plural = _("emulation movements")
        ordering = ["-year", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class Bloc(BaseModel):
    """An emulation bloc (khối thi đua) of a year; no leader means the alliance leads it."""

    name = models.CharField(_("name"), max_length=300)
    year = models.PositiveSmallIntegerField(_("year"))
    leader = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("leader"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Leave empty when the alliance leads the bloc."),
    )
    members = models.ManyToManyField(
        "registry.Organization", verbose_name=_("members"), blank=True, related_name="emulation_blocs"
    )

    class Meta:
        verbose_name = _("emulation bloc")
        verbose_name_plural = _("emulation blocs")
        ordering = ["-year", "name"]
        constraints = [models.UniqueConstraint(fields=["name", "year"], name="awards_bloc_unique_name_year")]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class Registration(BaseModel):
    """An emulation registration of one organisation, or a covenant (giao ước) signed by a bloc."""

    movement = models.ForeignKey(
        Movement, verbose_name=_("movement"), on_delete=models.PROTECT, related_name="registrations"
    )
    bloc = models.ForeignKey(
        Bloc, verbose_name=_("bloc"), null=True, blank=True, on_delete=models.PROTECT, related_name="covenants"
    )
    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="emulation_registrations",
    )
    targets = models.TextField(_("targets"))
    signed_on = models.DateField(_("signed on"))
    # Year-end self-assessment (the unit's own account of its results and its own score), then the
    # bloc's score; the bloc scores a unit only once it has assessed itself.
    self_assessment = models.TextField(_("self-assessment"), blank=True)
    self_score = models.DecimalField(_("self score"), max_digits=5, decimal_places=2, null=True, blank=True)
    self_assessed_on = models.DateField(_("self-assessed on"), null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    scored_on = models.DateField(_("scored on"), null=True, blank=True)

    class Meta:
        verbose_name = _("emulation registration")
        verbose_name_plural = _("emulation registrations")
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(bloc__isnull=True, organization__isnull=False)
                | models.Q(bloc__isnull=False, organization__isnull=True),
                name="awards_registration_bloc_xor_org",
            ),
            models.CheckConstraint(
                condition=models.Q(self_score__isnull=True) | models.Q(self_score__gte=0, self_score__lte=SCORE_MAX),
                name="awards_registration_self_score_range",
            ),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=0, score__lte=SCORE_MAX),
                name="awards_registration_score_range",
            ),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(self_score__isnull=False),
                name="awards_registration_scored_after_self_assessment",
            ),
        ]

    @property
    def is_covenant(self) -> bool:
        return self.bloc_id is not None

    def __str__(self) -> str:
        return str(self.bloc or self.organization)


class Proposal(BaseModel):
    """A proposal (tờ trình đề nghị khen thưởng) sent to an issuer, naming the units or people proposed.

    Its status moves draft → submitted → approved or refused, each move dated and audited;
    an approved proposal links to the decision that granted it.
    """

    number = models.CharField(_("proposal no."), max_length=60, blank=True)
    title = models.CharField(_("title"), max_length=300)
    year = models.PositiveSmallIntegerField(_("year of the achievements"))
    movement = models.ForeignKey(
        Movement,
        verbose_name=_("movement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    issuer = models.CharField(_("sent to"), max_length=20, choices=Issuer.choices)
    form = models.CharField(_("proposed form"), max_length=20, choices=AwardForm.choices)
    status = models.CharField(_("status"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT)
    drafted_on = models.DateField(_("drafted on"))
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for the refusal"), blank=True)
    note = models.TextField(_("note"), blank=True)
    file = models.FileField(_("file"), upload_to="awards/proposals/%Y/", blank=True)
    decision = models.ForeignKey(
        "Decision",
        verbose_name=_("decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
    )

    class Meta:
        verbose_name = _("award proposal")
        verbose_name_plural = _("award proposals")
        ordering = ["-drafted_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(submitted_on__isnull=False),
                name="awards_proposal_submitted_dated",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["approved", "refused"]) | models.Q(decided_on__isnull=False),
                name="awards_proposal_decided_dated",
            ),
            models.CheckConstraint(
                condition=models.Q(decision__isnull=True) | models.Q(status="approved"),
                name="awards_proposal_decision_when_approved",
            ),
        ]

    def __str__(self) -> str:
        return self.number or self.title

    @property
    def status_class(self) -> str:
        return {
            ProposalStatus.DRAFT: "badge-inactive",
            ProposalStatus.SUBMITTED: "badge-warning",
            ProposalStatus.APPROVED: "badge-active",
            ProposalStatus.REFUSED: "badge-danger",
        }[self.status]


class Nominee(BaseModel):
    """A unit or a person a proposal puts forward, with their achievements; withdrawn rather than deleted."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.PROTECT, related_name="nominees"
    )
    kind = models.CharField(_("recipient kind"), max_length=20, choices=RecipientKind.choices)
    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="award_nominations",
    )
    person_name = models.CharField(_("full name"), max_length=120, blank=True)
    position = models.CharField(_("position"), max_length=120, blank=True)
    reason = models.CharField(_("achievements"), max_length=500, blank=True)
    archived_on = models.DateTimeField(_("withdrawn on"), null=True, blank=True)
    archived_reason = models.TextField(_("reason for withdrawing"), blank=True)

    class Meta:
        verbose_name = _("nominee")
        verbose_name_plural = _("nominees")
        ordering = ["proposal", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="individual", person_name__gt="")
                | models.Q(kind="collective", organization__isnull=False),
                name="awards_nominee_complete",
            )
        ]

    def __str__(self) -> str:
        if self.kind == RecipientKind.INDIVIDUAL:
            return self.person_name
        return str(self.organization)


class Decision(BaseModel):
    """An award decision: its number, date, issuer and form of award."""

    number = models.CharField(_("decision no."), max_length=60)
    on = models.DateField(_("date"))
    issuer = models.CharField(_("issuer"), max_length=20, choices=Issuer.choices)
    form = models.CharField(_("form of award"), max_length=20, choices=AwardForm.choices)
    title = models.CharField(_("title"), max_length=300, blank=True)
    # Incremented on every change; a form opened on an older version is refused (no lost updates).
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("award decision")
        verbose_name_plural = _("award decisions")
        ordering = ["-on", "-id"]
        constraints = [models.UniqueConstraint(fields=["number", "on", "issuer"], name="awards_decision_unique_number")]

    def __str__(self) -> str:
        return self.number


class RecipientQuerySet(models.QuerySet):
    def current(self):
        """Recipients that count: not archived."""
        return self.filter(archived_on__isnull=True)


class Recipient(BaseModel):
    """Who a decision awards: an organisation (collective) or a person, optionally with their organisation."""

    decision = models.ForeignKey(
        Decision, verbose_name=_("decision"), on_delete=models.CASCADE, related_name="recipients"
    )
    kind = models.CharField(_("recipient kind"), max_length=20, choices=RecipientKind.choices)
    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="awards",
    )
    person_name = models.CharField(_("full name"), max_length=120, blank=True)
    position = models.CharField(_("position"), max_length=120, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    # A recipient recorded by mistake is archived with a reason, not deleted; it no longer counts.
    archived_on = models.DateTimeField(_("archived on"), null=True, blank=True)
    archived_reason = models.TextField(_("reason for archiving"), blank=True)

    objects = RecipientQuerySet.as_manager()

    class Meta:
        verbose_name = _("award recipient")
        verbose_name_plural = _("award recipients")
        ordering = ["decision", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="individual", person_name__gt="")
                | models.Q(kind="collective", organization__isnull=False),
                name="awards_recipient_complete",
            )
        ]

    def __str__(self) -> str:
        if self.kind == RecipientKind.INDIVIDUAL:
            return self.person_name
        return str(self.organization)
