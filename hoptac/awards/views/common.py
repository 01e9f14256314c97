"""Helpers shared by the awards pages."""

import re

from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hoptac.core.audit import entries_for

from .. import selectors
from ..models import Recipient

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HISTORY_SIZE = 30


def require_manage(user) -> None:
    if not selectors.can_manage_awards(user):
        raise PermissionDenied


def form_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form fields it names, or on the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def safe_filename(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text)


# What each audited action is called on a record's history.
ACTIONS = {
    "created": pgettext_lazy("audit action", "Recorded"),
    "changed": pgettext_lazy("audit action", "Changed"),
    "archived": pgettext_lazy("audit action", "Archived"),
    "restored": pgettext_lazy("audit action", "Restored"),
    "recipient_added": pgettext_lazy("audit action", "Recipient added"),
    "recipients_imported": pgettext_lazy("audit action", "Recipients imported from Excel"),
    "self_assessed": pgettext_lazy("audit action", "Self-assessment recorded"),
    "scored": pgettext_lazy("audit action", "Scored by the bloc"),
    "submitted": pgettext_lazy("audit action", "Submitted"),
    "approved": pgettext_lazy("audit action", "Approved"),
    "refused": pgettext_lazy("audit action", "Refused"),
    "decision_linked": pgettext_lazy("audit action", "Linked to its decision"),
    "nominee_added": pgettext_lazy("audit action", "Nominee added"),
    "withdrawn": pgettext_lazy("audit action", "Withdrawn"),
}


_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")

# Audited keys that are not fields of the record.
FIELD_LABELS = {
    "recipient": _("Recipient"),
    "nominee": _("Nominee"),
    "reason": _("Reason"),
    "file": _("File"),
    "rows": _("Rows"),
    "created": pgettext_lazy("import count", "Created"),
    "bloc": _("Bloc"),
    "added": pgettext_lazy("bloc members", "added"),
    "removed": pgettext_lazy("bloc members", "removed"),
}


def _field(model, name: str):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _shown(value, field=None) -> str:
    """An audited value as people read it: choice labels, dd/mm/yyyy dates, lists joined."""
    if value in (None, ""):
        return "—"
    if isinstance(value, dict):
        parts = {FIELD_LABELS.get(k, k): ", ".join(map(str, v)) if isinstance(v, list) else v for k, v in value.items()}
        return "; ".join(f"{k}: {v}" for k, v in parts.items() if v not in ("", None))
    choices = dict(field.flatchoices) if field is not None and field.choices else {}
    if value in choices:
        return str(choices[value])
    match = _ISO_DAY.match(str(value))
    if match:
        return f"{match[3]}/{match[2]}/{match[1]}"
    return str(value)


def history(instance) -> list[dict]:
    """The record's audit entries, newest first, as the history section shows them."""
    return describe(entries_for(instance)[:HISTORY_SIZE], type(instance))


def describe(entries, model) -> list[dict]:
    """Audit entries of records of model as people read them: when, who, what, which fields old → new."""
    items = []
    for entry in entries:
        changes = []
        for name, value in (entry.changes or {}).items():
            # Keys about a recipient or nominee are logged on its decision or proposal.
            field = _field(model, name) or _field(Recipient, name)
            label = str(field.verbose_name) if field is not None else FIELD_LABELS.get(name, name)
            if isinstance(value, list) and len(value) == 2 and value[0] in (None, ""):
                if value[1] not in (None, ""):
                    changes.append({"label": label, "value": _shown(value[1], field), "pair": False})
            elif isinstance(value, list) and len(value) == 2:
                pair = {"old": _shown(value[0], field), "new": _shown(value[1], field), "pair": True}
                changes.append({"label": label, **pair})
            elif value not in (None, "", [None, None]):
                changes.append({"label": label, "value": _shown(value, field), "pair": False})
        items.append(
            {
                "at": timezone.localtime(entry.at),
                "user": entry.user,
                "label": ACTIONS.get(entry.action.rsplit(".", 1)[-1], entry.action),
                "changes": changes,
            }
        )
    return items


def paginated(request, template: str, qs, **context):
    page_obj = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, template, {"page_obj": page_obj, "can_manage": selectors.can_manage_awards(request.user), **context}
    )
