"""The register of cooperatives, unions, people's credit funds and cooperative groups.

An organisation's status on any date is derived from its dated lifecycle events: "active on
15/03/2021" has one answer years later, whatever happened since. ``StatusPeriod`` keeps that
derivation as periods for counting (registry/periods.py); it is rebuilt from the events, never
edited.
"""

import datetime

from django.db import models
from django.db.models import Case, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from hoptac.core.models import BaseModel
from hoptac.core.text import search_text


class OrgKind(models.TextChoices):
    HTX = "HTX", _("Cooperative (HTX)")
    LHHTX = "LHHTX", _("Cooperative union (LHHTX)")
    QTDND = "QTDND", _("People's credit fund (QTDND)")
    THT = "THT", _("Cooperative group (THT)")


class Sector(models.TextChoices):
    AGRICULTURE = "nong_nghiep", _("Agriculture, forestry, fishery")
    INDUSTRY = "cong_nghiep", _("Industry, handicraft")
    CONSTRUCTION = "xay_dung", _("Construction")
    TRADE = "thuong_mai", _("Trade, services")
    TRANSPORT = "van_tai", _("Transport")
    CREDIT = "tin_dung", _("Credit")
    ENVIRONMENT = "moi_truong", _("Environment")
    OTHER = "khac", _("Other")


class NationalGroup(models.TextChoices):
    """The national statistics split: agricultural / non-agricultural / QTDND."""

    AGRICULTURE = "nong_nghiep", _("Agricultural")
    NON_AGRICULTURE = "phi_nong_nghiep", _("Non-agricultural")
    QTDND = "qtdnd", _("People's credit funds")


def national_group(kind: str, sector: str) -> str:
    if kind == OrgKind.QTDND:
        return NationalGroup.QTDND
    if sector == Sector.AGRICULTURE:
        return NationalGroup.AGRICULTURE
    return NationalGroup.NON_AGRICULTURE


class Law(models.TextChoices):
    L2003 = "2003", _("Law on Cooperatives 2003")
    L2012 = "2012", _("Law on Cooperatives 2012")
    L2023 = "2023", _("Law on Cooperatives 2023")


class Status(models.TextChoices):
    NOT_FOUNDED = "not_founded", _("Not yet founded")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    DISSOLVING = "dissolving", _("Dissolving")
    DISSOLVED = "dissolved", _("Dissolved")
    REVOKED = "revoked", _("Registration revoked")
    MERGED = "merged", _("Merged")


class EventKind(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    RE_REGISTERED = "re_registered", _("Re-registered under the 2012 law")
    SUSPENDED = "suspended", _("Suspended")
    RESUMED = "resumed", _("Resumed")
    DISSOLUTION_STARTED = "dissolution_started", _("Dissolution started")
    DISSOLVED = "dissolved", _("Dissolved")
    REVOKED = "revoked", _("Registration revoked")
    MERGED = "merged", _("Merged into another organisation")


# The status an organisation has after each kind of event; events not listed keep it.
STATUS_AFTER = {
    EventKind.SUSPENDED: Status.SUSPENDED,
    EventKind.RESUMED: Status.ACTIVE,
    EventKind.DISSOLUTION_STARTED: Status.DISSOLVING,
    EventKind.DISSOLVED: Status.DISSOLVED,
    EventKind.REVOKED: Status.REVOKED,
    EventKind.MERGED: Status.MERGED,
}
ENDING_KINDS = [EventKind.DISSOLVED, EventKind.REVOKED, EventKind.MERGED]


class OrganizationQuerySet(models.QuerySet):
    def current(self):
        """Records that have not been archived (archived ones are mistakes kept for history)."""
        return self.filter(archived_on__isnull=True)

    def with_status_on(self, day: datetime.date):
        """Annotate ``status`` as it was on day, from the events up to that day."""
        latest = (
            LifecycleEvent.objects.filter(organization=OuterRef("pk"), on__lte=day, status_after__gt="")
            .order_by("-on", "-id")
            .values("status_after")[:1]
        )
        return self.annotate(
            status=Case(
                When(founded_on__gt=day, then=Value(Status.NOT_FOUNDED)),
                default=Coalesce(Subquery(latest), Value(Status.ACTIVE)),
                output_field=models.CharField(),
            )
        )

    def active_on(self, day: datetime.date):
        """Organisations operating on day: founded by then and not ended, suspended or dissolving.

        Read from the status periods (one range condition for every organisation, issue #9);
        ``active_on_by_events`` is the same answer from the events, which the tests hold it to.
        """
        periods = StatusPeriod.objects.filter(status=Status.ACTIVE, valid_from__lte=day).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=day)
        )
        return self.filter(pk__in=periods.values("organization_id"))

    def active_on_by_events(self, day: datetime.date):
        """``active_on`` from the lifecycle events themselves: each organisation's latest status change."""
        latest = (
            LifecycleEvent.objects.filter(organization=OuterRef("pk"), on__lte=day, status_after__gt="")
            .order_by("-on", "-id")
            .values("status_after")[:1]
        )
        return (
            self.filter(founded_on__lte=day)
            .alias(latest_status=Subquery(latest))
            .filter(Q(latest_status__isnull=True) | Q(latest_status=Status.ACTIVE))
        )

    def search(self, query: str):
        """Rows whose name, code or place contains every term of query, ignoring diacritics."""
        from hoptac.core.text import query_terms

        qs = self
        for term in query_terms(query):
            qs = qs.filter(search_text__contains=term)
        return qs


class Organization(BaseModel):
    """A cooperative, union, credit fund or cooperative group, as registered."""

    kind = models.CharField(_("type"), max_length=10, choices=OrgKind.choices)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    code = models.CharField(_("code (tax code)"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=300)
    # The commune as it was when the address was recorded (usually the founding date).
    commune = models.ForeignKey(
        "geo.AdminUnit", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="organizations"
    )
    street = models.CharField(_("street address"), max_length=300, blank=True)
    founded_on = models.DateField(_("founding date"))

    registration_number = models.CharField(_("registration certificate no."), max_length=50, blank=True)
    registration_date = models.DateField(_("registration date"), null=True, blank=True)
    registration_office = models.CharField(_("registration office"), max_length=200, blank=True)
    registration_law = models.CharField(_("registered under"), max_length=4, choices=Law.choices, blank=True)

    representative = models.CharField(_("legal representative"), max_length=200, blank=True)
    official_members = models.PositiveIntegerField(_("official members"), null=True, blank=True)
    associate_members = models.PositiveIntegerField(_("associate members"), null=True, blank=True)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    charter_capital = models.BigIntegerField(_("charter capital (đồng)"), null=True, blank=True)
    business_lines = models.TextField(_("business lines"), blank=True)

    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)

    archived_on = models.DateTimeField(_("archived on"), null=True, blank=True)
    archived_reason = models.TextField(_("reason for archiving"), blank=True)

    # Normalised name, code and place names: the column search reads on every database.
    search_text = models.TextField(editable=False, default="")
    # Incremented on every save; a form that saw an older version is refused (no lost updates).
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["kind", "founded_on"]),
            models.Index(fields=["commune", "kind"]),
            # --- counting index (issue #9): the statistics group the organisations active on a date
            # by kind, sector and commune; PostgreSQL reads them from this index, not the wide rows.
            models.Index(
                fields=["id", "kind", "sector", "commune"],
                condition=Q(archived_on__isnull=True),
                name="registry_org_count_idx",
            ),
            # --- end counting index
        ]
        constraints = [
            models.CheckConstraint(condition=Q(charter_capital__gte=0), name="registry_capital_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def from_db(cls, db, field_names, values, *args, **kwargs):
        instance = super().from_db(db, field_names, values, *args, **kwargs)
        instance._stored_founded_on = instance.__dict__.get("founded_on")
        return instance

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # The status periods start on the founding date (registry/periods.py).
        if getattr(self, "_stored_founded_on", None) != self.founded_on:
            from .periods import rebuild

            rebuild(self.pk)
            self._stored_founded_on = self.founded_on

    def refresh_search_text(self) -> None:
        commune = self.commune if self.commune_id else None
        district = commune.parent if commune and commune.parent_id else None
        self.search_text = search_text(self.name, self.code, commune and commune.name, district and district.name)

    def status_on(self, day: datetime.date) -> str:
        if self.founded_on > day:
            return Status.NOT_FOUNDED
        event = self.events.filter(on__lte=day, status_after__gt="").order_by("-on", "-id").only("status_after").first()
        return event.status_after if event else Status.ACTIVE

    @property
    def national_group(self) -> str:
        return national_group(self.kind, self.sector)


class LifecycleEvent(BaseModel):
    """A dated fact in an organisation's life: registered, suspended, dissolved…"""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("event"), max_length=30, choices=EventKind.choices)
    on = models.DateField(_("date"))
    # Derived from kind on save; blank when the event does not change the status.
    status_after = models.CharField(max_length=20, choices=Status.choices, blank=True, editable=False)
    law = models.CharField(_("law"), max_length=4, choices=Law.choices, blank=True)
    document = models.CharField(_("document no."), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)
    merged_into = models.ForeignKey(
        Organization, verbose_name=_("merged into"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("lifecycle event")
        verbose_name_plural = _("lifecycle events")
        ordering = ["on", "id"]
        indexes = [
            models.Index(fields=["organization", "on"]),
            # --- status index (issue #9): the status on a date (QuerySet.active_on, with_status_on)
            # reads each organisation's latest status-changing event; at national scale that lookup
            # runs once per organisation, and this index answers it without a sort.
            models.Index(
                fields=["organization", "-on", "-id"],
                condition=Q(status_after__gt=""),
                name="registry_event_status_idx",
            ),
            # --- end status index
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on:%d/%m/%Y}"

    def save(self, *args, **kwargs):
        self.status_after = STATUS_AFTER.get(self.kind, "")
        super().save(*args, **kwargs)
        from .periods import rebuild

        rebuild(self.organization_id)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        from .periods import rebuild

        rebuild(self.organization_id)
        return result


class StatusPeriod(models.Model):
    """One stretch of an organisation's status: from valid_from up to (not including) valid_to.

    Derived from the founding date and the lifecycle events by ``registry/periods.py`` and
    rebuilt whenever they change; never edited by hand. Reads of "active on a date" use it.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="status_periods")
    status = models.CharField(max_length=20, choices=Status.choices)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)  # exclusive; empty while current

    class Meta:
        verbose_name = _("status period")
        verbose_name_plural = _("status periods")
        ordering = ["organization", "valid_from"]
        indexes = [
            # On PostgreSQL "active on D" is read from this index alone (SQLite keeps only its keys).
            models.Index(
                fields=["status", "valid_from"], include=["valid_to", "organization"], name="registry_period_status_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.status} {self.valid_from}–{self.valid_to or ''}"


class Membership(BaseModel):
    """Membership of the alliance (đơn vị thành viên) over a period."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="memberships")
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("alliance membership")
        verbose_name_plural = _("alliance memberships")
        ordering = ["joined_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="registry_membership_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.joined_on:%d/%m/%Y}"


# --- several servers (issue #9): the background import's record lives in jobs.py
from .jobs import ImportJob, JobPhase, JobStatus  # noqa: E402, F401

# --- end several servers
