"""Emulation and awards: movements, blocs and covenants, proposals, award decisions and their recipients.

The process (Law 06/2022/QH15): a movement is launched, units register or sign a bloc
covenant, they assess themselves at year end, the bloc scores them, proposals go up and an
authority issues an award decision naming collective or individual recipients.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

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
    # Year-end self-assessment and the bloc's score.
    self_assessment = models.TextField(_("self-assessment"), blank=True)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("emulation registration")
        verbose_name_plural = _("emulation registrations")
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(bloc__isnull=True, organization__isnull=False)
                | models.Q(bloc__isnull=False, organization__isnull=True),
                name="awards_registration_bloc_xor_org",
            )
        ]

    @property
    def is_covenant(self) -> bool:
        return self.bloc_id is not None

    def __str__(self) -> str:
        return str(self.bloc or self.organization)


class Proposal(BaseModel):
    """A proposal (tờ trình) for an award, with its file."""

    movement = models.ForeignKey(
        Movement, verbose_name=_("movement"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "registry.Organization", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    form = models.CharField(_("proposed form"), max_length=20, choices=AwardForm.choices)
    submitted_on = models.DateField(_("submitted on"))
    file = models.FileField(_("file"), upload_to="awards/proposals/%Y/", blank=True)

    class Meta:
        verbose_name = _("award proposal")
        verbose_name_plural = _("award proposals")
        ordering = ["-submitted_on", "-id"]

    def __str__(self) -> str:
        return f"{self.organization} – {self.get_form_display()}"


class Decision(BaseModel):
    """An award decision: its number, date, issuer and form of award."""

    number = models.CharField(_("decision no."), max_length=60)
    on = models.DateField(_("date"))
    issuer = models.CharField(_("issuer"), max_length=20, choices=Issuer.choices)
    form = models.CharField(_("form of award"), max_length=20, choices=AwardForm.choices)
    title = models.CharField(_("title"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("award decision")
        verbose_name_plural = _("award decisions")
        ordering = ["-on", "-id"]
        constraints = [models.UniqueConstraint(fields=["number", "on", "issuer"], name="awards_decision_unique_number")]

    def __str__(self) -> str:
        return self.number


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
