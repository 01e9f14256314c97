"""Accounts, roles and the audit log shared by every app."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    ADMIN = "admin", _("Alliance administrator")
    STAFF = "staff", _("Alliance staff")
    AREA_OFFICER = "area_officer", _("Area officer")
    COOPERATIVE = "cooperative", _("Cooperative account")


class Department(models.TextChoices):
    REGISTRY = "registry", pgettext_lazy("department", "Registry")
    FUND = "fund", _("Support fund")
    TRAINING = "training", _("Training")
    AWARDS = "awards", _("Emulation and awards")
    VALUE_CHAIN = "value_chain", _("Value chains")
    OFFICE = "office", _("Office")


class User(AbstractUser):
    """A person who signs in. What they may see follows from role, areas and organisation."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.STAFF)
    department = models.CharField(_("department"), max_length=20, choices=Department.choices, blank=True)
    # Area officers see organisations whose commune lies in one of these units.
    areas = models.ManyToManyField("geo.AdminUnit", verbose_name=_("areas"), blank=True, related_name="+")
    # A cooperative account sees and reports only this organisation.
    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accounts",
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_alliance(self) -> bool:
        """Administrators and staff of the alliance see the whole province."""
        return self.is_superuser or self.role in (Role.ADMIN, Role.STAFF)

    @property
    def is_admin(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN


class BaseModel(models.Model):
    """Who created and last changed a record, and when."""

    created_on = models.DateTimeField(_("created on"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    modified_on = models.DateTimeField(_("modified on"), auto_now=True)
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """One change of state: who did what to which record, with the fields old -> new.

    Written by ``hoptac.core.audit.log_action`` from services, never edited afterwards.
    """

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="audit_entries"
    )
    action = models.CharField(_("action"), max_length=80)
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=300)
    # {"field": [old, new]} for changes; free data for other actions.
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


# --- export jobs (issue #9): files made by the background worker; the record lives in exports.py
from .exports import ExportJob, ExportStatus  # noqa: E402, F401

# --- end export jobs
