"""API tokens: what a program presents instead of a password.

Only a hash of the key is stored; the key itself is shown once, when it is created. A
token acts with its owner's role and scope, so it can never see more than its owner. A
token is revoked, never deleted, so the audit log keeps naming it.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoptac.core.models import BaseModel


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        """Tokens not revoked and not expired today."""
        today = timezone.localdate()
        return self.filter(revoked_on__isnull=True).filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))


class ApiToken(BaseModel):
    """A key a program sends as ``Authorization: Token <key>``, acting as user."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("What the token is for, e.g. the accounting software.")
    )
    # The first characters of the key, to tell tokens apart in lists; not enough to guess the rest.
    prefix = models.CharField(_("key starts with"), max_length=8)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    last_used_on = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_on = models.DateTimeField(_("revoked on"), null=True, blank=True, editable=False)
    revoked_reason = models.TextField(_("reason for revoking"), blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_on", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def usable(self) -> bool:
        return self.revoked_on is None and (self.expires_on is None or self.expires_on >= timezone.localdate())
