"""The audit log: every state change is written here by the service that made it."""

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.functional import Promise

from .models import AuditEntry


def _plain(value: Any) -> Any:
    """A JSON-safe form of a field value, as people would read it."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, Promise):  # lazy translations
        return str(value)
    if isinstance(value, Decimal):
        return str(value)
    return value


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    """The current values of fields, to compare after an update."""
    return {name: _plain(getattr(instance, name)) for name in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Fields whose value changed, as {field: [old, new]}."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def log_action(action: str, *, instance: models.Model, user=None, changes: dict | None = None) -> AuditEntry:
    """Record that user did action (a dotted code like 'registry.organization.changed') to instance."""
    return AuditEntry.objects.create(
        action=action,
        user=user if getattr(user, "is_authenticated", False) else None,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        changes={
            k: [_plain(v) for v in pair] if isinstance(pair, (list, tuple)) else _plain(pair)
            for k, pair in (changes or {}).items()
        },
    )


def entries_for(instance: models.Model):
    """Audit entries about one record, newest first."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=str(instance.pk),
    ).select_related("user")
