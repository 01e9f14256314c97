"""No lost updates in the CMS: a page saved from a form opened before someone else's save is refused.

Wagtail 8 refuses a stale *autosave* (a JSON request, "Saving will overwrite a newer
version") but lets the editor's Save / Submit / Publish button write over a newer revision:
the last to press the button wins and the other's work is gone from the live page. The edit
form carries the revision it was loaded on (``loaded_revision_id`` and its creation time);
the page form (``models.PortalPageForm.clean``) compares it with the page's latest revision,
in the same way Wagtail decides for an autosave, and refuses the save with a message naming
who changed what. Being a form error, the refusal keeps everything the editor typed on the
screen, and the form shown again carries the latest revision: the editor reads the message,
merges what the other changed, and saves again on purpose.
"""

from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

# Revision content kept by Wagtail itself, not typed by an editor.
BOOKKEEPING = {
    "pk",
    "id",
    "path",
    "depth",
    "numchild",
    "url_path",
    "content_type",
    "draft_title",
    "live",
    "has_unpublished_changes",
    "first_published_at",
    "last_published_at",
    "live_revision",
    "latest_revision",
    "latest_revision_created_at",
    "owner",
    "locked",
    "locked_at",
    "locked_by",
    "locale",
    "translation_key",
    "alias_of",
    "search_text",
    "comments",
    "wagtail_admin_comments",
}


def _out_of_date(data, latest) -> bool:
    """Wagtail's own test for an autosave (EditView.is_out_of_date), applied to every save."""
    if latest is None:
        return False
    if overwrite := data.get("overwrite_revision_id"):
        return overwrite != str(latest.pk)
    if loaded := data.get("loaded_revision_id"):
        return loaded != str(latest.pk) or data.get("loaded_revision_created_at", "") != (latest.created_at.isoformat())
    return False


def _label(page, name: str) -> str:
    try:
        return str(capfirst(type(page)._meta.get_field(name).verbose_name))
    except FieldDoesNotExist:
        return name


def changed_fields(page, loaded, latest) -> list[str]:
    """Labels of the fields that differ between the revision the form was loaded on and the latest one."""
    before = loaded.content if loaded is not None else {}
    after = latest.content
    names = [name for name in after if name not in BOOKKEEPING and before.get(name) != after.get(name)]
    return [_label(page, name) for name in names]


def stale_edit_message(data, page) -> str | None:
    """Why a save from this form would overwrite someone else's, or None when it would not."""
    if page is None or not page.pk:
        return None
    latest = page.get_latest_revision()
    if not _out_of_date(data, latest):
        return None
    loaded = page.revisions.filter(pk=data.get("loaded_revision_id") or 0).first()
    changed = changed_fields(page.specific, loaded, latest) if loaded is not None else []
    who = (latest.user.get_full_name() or latest.user.get_username()) if latest.user else _("someone")
    message = _("%(who)s saved this page at %(at)s, after you opened it, so your changes were not saved.") % {
        "who": who,
        "at": timezone.localtime(latest.created_at).strftime("%H:%M %d/%m/%Y"),
    }
    if changed:
        message += " " + _("They changed: %(fields)s.") % {"fields": ", ".join(changed)}
    message += " " + _(
        "What you typed is still here: add their changes to it (or open the page in another tab to "
        "see it as it is now), then save again."
    )
    return message
