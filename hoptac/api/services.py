"""Writes of the API app: creating and revoking tokens, each audited."""

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoptac.core.audit import log_action

from .models import ApiToken, key_hash

# More than this many live tokens for one person is a sign of keys being lost track of.
MAX_TOKENS_PER_USER = 10


@transaction.atomic
def token_create(*, user, name: str, expires_on: datetime.date | None = None, by) -> tuple[ApiToken, str]:
    """A new token for user; returns it with its key, which is never readable again."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Say what the token is for.")})
    if expires_on and expires_on < timezone.localdate():
        raise ValidationError({"expires_on": _("The expiry date cannot be in the past.")})
    if not user.is_active:
        raise ValidationError(_("This account is disabled."))
    if ApiToken.objects.usable().filter(user=user).count() >= MAX_TOKENS_PER_USER:
        raise ValidationError(
            _("You already have %(n)s active tokens; revoke one you no longer use.") % {"n": MAX_TOKENS_PER_USER}
        )
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=key[:8],
        key_hash=key_hash(key),
        expires_on=expires_on,
        created_by=by,
        modified_by=by,
    )
    log_action(
        "api.token.created",
        instance=token,
        user=by,
        changes={"user": user.username, "name": name, "expires_on": expires_on},
    )
    return token, key


@transaction.atomic
def token_revoke(*, token: ApiToken, by, reason: str = "") -> ApiToken:
    """Stop a token from working, at once; it stays listed as revoked."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_on:
        raise ValidationError(_("This token is already revoked."))
    token.revoked_on = timezone.now()
    token.revoked_reason = (reason or "").strip()
    token.modified_by = by
    token.save(update_fields=["revoked_on", "revoked_reason", "modified_by", "modified_on"])
    log_action("api.token.revoked", instance=token, user=by, changes={"reason": token.revoked_reason})
    return token


def token_touch(token: ApiToken) -> None:
    """Note that the token was used; at most once a minute, so reads do not all write."""
    now = timezone.now()
    if token.last_used_on is None or now - token.last_used_on > datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_on=now)
        token.last_used_on = now
