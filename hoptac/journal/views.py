"""Pages of the activity journal and the alliance's documents: check access, validate, call a service."""

import datetime
import os
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hoptac.core.audit import diff, entries_for
from hoptac.registry.models import Organization

from . import exporters, selectors, services
from .forms import (
    ApproveForm,
    ArchiveForm,
    DocumentFilterForm,
    DocumentForm,
    EntryForm,
    PeriodForm,
    RestoreForm,
    SubmitForm,
    quarter_bounds,
    seen_token,
    seen_values,
)
from .models import Area, Document, DocumentKind, DocumentStatus, JournalEntry

# The journal of a long period is paged; a quarter (the usual view) fits on one page.
ENTRIES_PER_PAGE = 100
DOCUMENTS_PER_PAGE = 50


def _require_read(user) -> None:
    if not selectors.can_read(user):
        raise PermissionDenied


def _require_journal_write(user) -> None:
    if not selectors.can_write_journal(user):
        raise PermissionDenied


def _require_document_write(user) -> None:
    if not selectors.can_write_documents(user):
        raise PermissionDenied


def _add_service_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errs in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, error.messages)


# ---------------------------------------------------------------- history and changes, as people read them

ACTION_LABELS = {
    "journal.entry.created": gettext_lazy("Entry recorded"),
    "journal.entry.changed": gettext_lazy("Entry changed"),
    "journal.entry.archived": gettext_lazy("Entry archived"),
    "journal.entry.restored": gettext_lazy("Entry restored"),
    "journal.document.created": gettext_lazy("Document recorded"),
    "journal.document.changed": gettext_lazy("Document changed"),
    "journal.document.submitted": gettext_lazy("Marked as submitted"),
    "journal.document.approved": gettext_lazy("Marked as approved"),
    "journal.document.archived": gettext_lazy("Document archived"),
    "journal.document.restored": gettext_lazy("Document restored"),
}

# Keys of changes that are not model fields, or whose field label reads badly.
CHANGE_LABELS = {
    "documents": gettext_lazy("Linked documents"),
    "organizations": gettext_lazy("Linked organisations"),
    "reason": gettext_lazy("Reason"),
    "archived_reason": gettext_lazy("Reason for archiving"),
}

CHOICES = {"area": Area, "kind": DocumentKind, "status": DocumentStatus}


def _label(model, name: str) -> str:
    if name in CHANGE_LABELS:
        return str(CHANGE_LABELS[name])
    try:
        return capfirst(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:  # an audit key that is no longer a field
        return name


def _display(name: str, value, names: dict) -> str:
    if value in (None, "", []):
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if name in CHOICES and value in CHOICES[name].values:
        return str(CHOICES[name](value).label)
    if name in ("documents", "organizations") and isinstance(value, list):
        return "; ".join(names[name].get(pk, f"#{pk}") for pk in value)
    if name == "file":
        return os.path.basename(str(value))
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return datetime.date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return str(value)


def readable_changes(model, changes: dict) -> list[dict]:
    """{field: [old, new]} or {key: value} as rows with labels and formatted values."""
    pks = {"documents": set(), "organizations": set()}
    for name, value in (changes or {}).items():
        if name in pks:
            for side in value if isinstance(value, list) and len(value) == 2 else [value]:
                pks[name].update(side if isinstance(side, list) else [])
    names = {
        "documents": {d.pk: str(d) for d in Document.objects.filter(pk__in=pks["documents"])},
        "organizations": dict(Organization.objects.filter(pk__in=pks["organizations"]).values_list("pk", "name")),
    }
    rows = []
    for name, value in (changes or {}).items():
        row = {"label": _label(model, name)}
        if isinstance(value, list) and len(value) == 2 and name not in ("documents", "organizations"):
            row.update(old=_display(name, value[0], names), new=_display(name, value[1], names), pair=True)
        elif name in ("documents", "organizations") and len(value) == 2 and isinstance(value[0], list):
            row.update(old=_display(name, value[0], names), new=_display(name, value[1], names), pair=True)
        else:
            row.update(value=_display(name, value, names), pair=False)
        rows.append(row)
    return rows


def _form_plain(value):
    """A cleaned form value in the plain form of services.entry_values / document_values."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if hasattr(value, "values_list"):  # the chosen documents or organisations
        return sorted(value.values_list("pk", flat=True))
    return None if value == "" else value


def _kept_after_stale(form, seen: dict | None, now: dict, *, version: int):
    """The refused form's data for showing again: what the user changed, and the newer values elsewhere.

    A field the user left as it was shows the other person's value, so saving again does not undo it.
    """
    data = form.data.copy()
    data["version"] = version
    data["seen"] = seen_token(now)
    for name in form.fields:
        if seen is None or name not in seen or name not in now or name == "file":
            continue
        if _form_plain(form.cleaned_data.get(name)) != (None if seen[name] == "" else seen[name]):
            continue  # the user's own change: kept
        value = now[name]
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            else:
                data.pop(name, None)
        elif isinstance(value, list):
            data.setlist(name, [str(v) for v in value])
        elif isinstance(value, str) and name in ("on", "drafted_on") and value:
            data[name] = datetime.date.fromisoformat(value).strftime("%d/%m/%Y")
        else:
            data[name] = "" if value is None else str(value)
    return data


def _history(instance) -> list[dict]:
    """The newest audit entries of an item, labelled; a creation shows no field list."""
    items = []
    for item in entries_for(instance)[:20]:
        created = item.action.endswith(".created")
        items.append(
            {
                "at": item.at,
                "user": item.user,
                "label": ACTION_LABELS.get(item.action, item.action),
                "changes": [] if created else readable_changes(type(instance), item.changes),
            }
        )
    return items


# ---------------------------------------------------------------- journal


@login_required
@require_GET
def index(request):
    """The journal of a period, grouped by area in the report's order; archived entries only on request."""
    _require_read(request.user)
    form = PeriodForm(request.GET or None)
    date_from, date_to = form.period()
    area = form.chosen_area()
    show_archived = form.show_archived()
    entries = selectors.journal_entries(
        date_from=date_from, date_to=date_to, area=area or None, include_archived=show_archived
    )
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    groups = []
    for value, label in Area.choices:
        items = [e for e in page.object_list if e.area == value]
        if items:
            groups.append({"area": value, "label": label, "entries": items})
    year = date_from.year
    quarters = []
    for q in range(1, 5):
        start, end = quarter_bounds(year, q)
        query = {"year": year, "quarter": q}
        if show_archived:
            query["archived"] = "on"
        quarters.append(
            {
                "number": q,
                "query": urlencode(query),
                "current": (start, end) == (date_from, date_to),
            }
        )
    # The export, like the report, never has archived entries.
    export_query = urlencode(
        {"date_from": date_from.strftime("%d/%m/%Y"), "date_to": date_to.strftime("%d/%m/%Y"), "area": area}
    )
    return render(
        request,
        "journal/index.html",
        {
            "form": form,
            "groups": groups,
            "page_obj": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "count": page.paginator.count,
            "show_archived": show_archived,
            "date_from": date_from,
            "date_to": date_to,
            "year": year,
            "quarters": quarters,
            "export_query": export_query,
            "can_write": selectors.can_write_journal(request.user),
        },
    )


@login_required
@require_GET
def export(request):
    """The journal of the period as an xlsx file, one row per entry."""
    _require_read(request.user)
    form = PeriodForm(request.GET or None)
    date_from, date_to = form.period()
    content = exporters.journal_workbook(date_from=date_from, date_to=date_to, area=form.chosen_area() or None)
    response = HttpResponse(content, content_type=exporters.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="nhat-ky-{date_from:%Y-%m-%d}-{date_to:%Y-%m-%d}.xlsx"'
    return response


@login_required
@require_GET
def entry_detail(request, pk: int):
    _require_read(request.user)
    entry = get_object_or_404(
        JournalEntry.objects.select_related("archived_by").prefetch_related("documents", "organizations"), pk=pk
    )
    return _render_entry(request, entry)


def _render_entry(request, entry: JournalEntry, *, archive_form=None, restore_form=None, status: int = 200):
    return render(
        request,
        "journal/entry_detail.html",
        {
            "entry": entry,
            "history": _history(entry),
            "can_write": selectors.can_write_journal(request.user),
            "archive_form": archive_form or ArchiveForm(),
            "restore_form": restore_form or RestoreForm(),
        },
        status=status,
    )


def _entry_data(form) -> dict:
    data = dict(form.cleaned_data)
    data.pop("version", None)
    data.pop("seen", None)
    if not data.get("conference"):
        data["attendance"] = None
    return data


@login_required
@require_http_methods(["GET", "POST"])
def entry_create(request):
    _require_journal_write(request.user)
    form = EntryForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.journal_entry_create(by=request.user, **_entry_data(form))
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The journal entry was recorded."))
            return redirect("journal:entry", entry.pk)
    return render(request, "journal/entry_form.html", {"form": form, "entry": None})


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request, pk: int):
    """Edit with a version check: a form opened before someone else's save is refused, not merged."""
    _require_journal_write(request.user)
    entry = get_object_or_404(JournalEntry, pk=pk)
    if entry.archived_on:
        messages.error(request, _("This entry is archived; restore it before editing."))
        return redirect("journal:entry", entry.pk)
    stale_changes = None
    if request.method == "POST":
        form = EntryForm(request.POST, entry=entry)
        if form.is_valid():
            try:
                services.journal_entry_update(
                    entry=entry, by=request.user, expected_version=form.cleaned_data["version"], **_entry_data(form)
                )
            except services.StaleEdit:
                current = JournalEntry.objects.get(pk=entry.pk)
                now = services.entry_values(current)
                seen = seen_values(form.cleaned_data.get("seen"))
                stale_changes = readable_changes(JournalEntry, diff(seen, now)) if seen else []
                # Keep what the user typed; saving again applies it over the newer version.
                form = EntryForm(_kept_after_stale(form, seen, now, version=current.version), entry=current)
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                messages.success(request, _("The journal entry was saved."))
                return redirect("journal:entry", entry.pk)
    else:
        values = services.entry_values(entry)
        initial = {name: getattr(entry, name) for name in services.ENTRY_FIELDS}
        initial.update(
            documents=values["documents"],
            organizations=values["organizations"],
            version=entry.version,
            seen=seen_token(values),
        )
        form = EntryForm(initial=initial, entry=entry)
    context = {"form": form, "entry": entry, "stale_changes": stale_changes}
    return render(request, "journal/entry_form.html", context, status=409 if stale_changes is not None else 200)


@login_required
@require_POST
def entry_archive(request, pk: int):
    _require_journal_write(request.user)
    entry = get_object_or_404(JournalEntry, pk=pk)
    form = ArchiveForm(request.POST)
    if form.is_valid():
        try:
            services.journal_entry_archive(entry=entry, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(
                request, _("The entry was archived: it no longer appears in the journal, the report and the export.")
            )
            return redirect("journal:entry", entry.pk)
    return _render_entry(request, entry, archive_form=form, status=400)


@login_required
@require_POST
def entry_restore(request, pk: int):
    _require_journal_write(request.user)
    entry = get_object_or_404(JournalEntry, pk=pk)
    form = RestoreForm(request.POST)
    if form.is_valid():
        try:
            services.journal_entry_restore(entry=entry, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The entry was restored."))
            return redirect("journal:entry", entry.pk)
    return _render_entry(request, entry, restore_form=form, status=400)


# ---------------------------------------------------------------- documents


@login_required
@require_GET
def document_list(request):
    _require_read(request.user)
    form = DocumentFilterForm(request.GET or None)
    page = Paginator(selectors.documents(**form.filters()), DOCUMENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "journal/document_list.html",
        {
            "form": form,
            "page_obj": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "can_write": selectors.can_write_documents(request.user),
        },
    )


@login_required
@require_GET
def document_detail(request, pk: int):
    _require_read(request.user)
    document = get_object_or_404(Document.objects.select_related("archived_by"), pk=pk)
    return _render_document(request, document)


def _render_document(
    request,
    document: Document,
    *,
    submit_form=None,
    approve_form=None,
    archive_form=None,
    restore_form=None,
    status: int = 200,
):
    today = timezone.localdate()
    can_write = selectors.can_write_documents(request.user)
    live = can_write and not document.archived_on
    return render(
        request,
        "journal/document_detail.html",
        {
            "document": document,
            "entries": document.entries.order_by("on", "id"),
            "history": _history(document),
            "can_write": can_write,
            "submit_form": submit_form or SubmitForm(initial={"on": today}),
            "approve_form": approve_form or ApproveForm(initial={"on": today, "number": document.number}),
            "archive_form": archive_form or ArchiveForm(),
            "restore_form": restore_form or RestoreForm(),
            "can_submit": live and document.status == DocumentStatus.DRAFT,
            "can_approve": live and document.status == DocumentStatus.SUBMITTED,
        },
        status=status,
    )


def _document_data(form) -> dict:
    data = dict(form.cleaned_data)
    data.pop("version", None)
    data.pop("seen", None)
    upload = data.pop("file", None)
    # ClearableFileInput gives False when "clear" is ticked.
    data["remove_file"] = upload is False
    data["file"] = upload or None
    return data


@login_required
@require_http_methods(["GET", "POST"])
def document_create(request):
    _require_document_write(request.user)
    form = DocumentForm(request.POST or None, request.FILES or None, initial={"drafted_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = _document_data(form)
        data.pop("remove_file")
        try:
            document = services.document_create(by=request.user, **data)
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The document was recorded as a draft."))
            return redirect("journal:document", document.pk)
    return render(request, "journal/document_form.html", {"form": form, "document": None})


@login_required
@require_http_methods(["GET", "POST"])
def document_edit(request, pk: int):
    """Edit with a version check, as for an entry; an upload has to be chosen again after a refusal."""
    _require_document_write(request.user)
    document = get_object_or_404(Document, pk=pk)
    if document.archived_on:
        messages.error(request, _("This document is archived; restore it before editing."))
        return redirect("journal:document", document.pk)
    stale_changes = None
    if request.method == "POST":
        form = DocumentForm(request.POST, request.FILES, document=document)
        if form.is_valid():
            try:
                services.document_update(
                    document=document,
                    by=request.user,
                    expected_version=form.cleaned_data["version"],
                    **_document_data(form),
                )
            except services.StaleEdit:
                current = Document.objects.get(pk=document.pk)
                now = services.document_values(current)
                seen = seen_values(form.cleaned_data.get("seen"))
                stale_changes = readable_changes(Document, diff(seen, now)) if seen else []
                form = DocumentForm(_kept_after_stale(form, seen, now, version=current.version), document=current)
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                messages.success(request, _("The document was saved."))
                return redirect("journal:document", document.pk)
    else:
        initial = {name: getattr(document, name) for name in services.DOCUMENT_FIELDS}
        initial.update(version=document.version, seen=seen_token(services.document_values(document)))
        # No "currently" link: the file is served only through the access-checked download.
        form = DocumentForm(initial=initial, document=document)
    context = {
        "form": form,
        "document": document,
        "file_name": os.path.basename(document.file.name or ""),
        "stale_changes": stale_changes,
    }
    return render(request, "journal/document_form.html", context, status=409 if stale_changes is not None else 200)


@login_required
@require_POST
def document_submit(request, pk: int):
    _require_document_write(request.user)
    document = get_object_or_404(Document, pk=pk)
    if document.archived_on:
        messages.error(request, _("This document is archived; restore it before changing it."))
        return redirect("journal:document", document.pk)
    form = SubmitForm(request.POST)
    if form.is_valid():
        try:
            services.document_submit(document=document, on=form.cleaned_data["on"], by=request.user)
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The document was marked as submitted."))
            return redirect("journal:document", document.pk)
    return _render_document(request, document, submit_form=form, status=400)


@login_required
@require_POST
def document_approve(request, pk: int):
    _require_document_write(request.user)
    document = get_object_or_404(Document, pk=pk)
    if document.archived_on:
        messages.error(request, _("This document is archived; restore it before changing it."))
        return redirect("journal:document", document.pk)
    form = ApproveForm(request.POST)
    if form.is_valid():
        try:
            services.document_approve(document=document, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The document was marked as approved."))
            return redirect("journal:document", document.pk)
    return _render_document(request, document, approve_form=form, status=400)


@login_required
@require_POST
def document_archive(request, pk: int):
    _require_document_write(request.user)
    document = get_object_or_404(Document, pk=pk)
    form = ArchiveForm(request.POST)
    if form.is_valid():
        try:
            services.document_archive(document=document, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The document was archived: it no longer appears in the list."))
            return redirect("journal:document", document.pk)
    return _render_document(request, document, archive_form=form, status=400)


@login_required
@require_POST
def document_restore(request, pk: int):
    _require_document_write(request.user)
    document = get_object_or_404(Document, pk=pk)
    form = RestoreForm(request.POST)
    if form.is_valid():
        try:
            services.document_restore(document=document, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The document was restored."))
            return redirect("journal:document", document.pk)
    return _render_document(request, document, restore_form=form, status=400)


@login_required
@require_GET
def document_file(request, pk: int):
    """A document's file, to those who may read the documents, always as a download."""
    _require_read(request.user)
    document = get_object_or_404(Document, pk=pk)
    if not document.file:
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    return FileResponse(handle, as_attachment=True, filename=os.path.basename(document.file.name))
