"""Pages of the activity journal and the alliance's documents: check access, validate, call a service."""

import os
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hoptac.core.audit import entries_for

from . import exporters, selectors, services
from .forms import (
    ApproveForm,
    DocumentFilterForm,
    DocumentForm,
    EntryForm,
    PeriodForm,
    SubmitForm,
    quarter_bounds,
)
from .models import Area, Document, DocumentStatus, JournalEntry


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


# ---------------------------------------------------------------- journal


@login_required
@require_GET
def index(request):
    """The journal of a period, grouped by area in the report's order."""
    _require_read(request.user)
    form = PeriodForm(request.GET or None)
    date_from, date_to = form.period()
    area = form.chosen_area()
    entries = list(selectors.journal_entries(date_from=date_from, date_to=date_to, area=area or None))
    groups = []
    for value, label in Area.choices:
        items = [e for e in entries if e.area == value]
        if items:
            groups.append({"area": value, "label": label, "entries": items})
    year = date_from.year
    quarters = []
    for q in range(1, 5):
        start, end = quarter_bounds(year, q)
        quarters.append(
            {
                "number": q,
                "query": urlencode({"year": year, "quarter": q}),
                "current": (start, end) == (date_from, date_to),
            }
        )
    export_query = urlencode(
        {"date_from": date_from.strftime("%d/%m/%Y"), "date_to": date_to.strftime("%d/%m/%Y"), "area": area}
    )
    return render(
        request,
        "journal/index.html",
        {
            "form": form,
            "groups": groups,
            "count": len(entries),
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
    entry = get_object_or_404(JournalEntry.objects.prefetch_related("documents", "organizations"), pk=pk)
    return render(
        request,
        "journal/entry_detail.html",
        {
            "entry": entry,
            "history": entries_for(entry)[:20],
            "can_write": selectors.can_write_journal(request.user),
        },
    )


def _entry_data(form) -> dict:
    data = dict(form.cleaned_data)
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
    _require_journal_write(request.user)
    entry = get_object_or_404(JournalEntry, pk=pk)
    initial = {
        "on": entry.on,
        "area": entry.area,
        "title": entry.title,
        "text": entry.text,
        "conference": entry.conference,
        "attendance": entry.attendance,
        "documents": list(entry.documents.all()),
        "organizations": list(entry.organizations.all()),
    }
    form = EntryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.journal_entry_update(entry=entry, by=request.user, **_entry_data(form))
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The journal entry was saved."))
            return redirect("journal:entry", entry.pk)
    return render(request, "journal/entry_form.html", {"form": form, "entry": entry})


# ---------------------------------------------------------------- documents


@login_required
@require_GET
def document_list(request):
    _require_read(request.user)
    form = DocumentFilterForm(request.GET or None)
    page = Paginator(selectors.documents(**form.filters()), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "journal/document_list.html",
        {"form": form, "page_obj": page, "can_write": selectors.can_write_documents(request.user)},
    )


@login_required
@require_GET
def document_detail(request, pk: int):
    _require_read(request.user)
    document = get_object_or_404(Document, pk=pk)
    return _render_document(request, document)


def _render_document(request, document: Document, *, submit_form=None, approve_form=None, status: int = 200):
    today = timezone.localdate()
    can_write = selectors.can_write_documents(request.user)
    return render(
        request,
        "journal/document_detail.html",
        {
            "document": document,
            "entries": document.entries.order_by("on", "id"),
            "history": entries_for(document)[:20],
            "can_write": can_write,
            "submit_form": submit_form or SubmitForm(initial={"on": today}),
            "approve_form": approve_form or ApproveForm(initial={"on": today, "number": document.number}),
            "can_submit": can_write and document.status == DocumentStatus.DRAFT,
            "can_approve": can_write and document.status == DocumentStatus.SUBMITTED,
        },
        status=status,
    )


def _document_data(form) -> dict:
    data = dict(form.cleaned_data)
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
    _require_document_write(request.user)
    document = get_object_or_404(Document, pk=pk)
    initial = {name: getattr(document, name) for name in services.DOCUMENT_FIELDS}
    # No "currently" link: the file is served only through the access-checked download.
    form = DocumentForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_update(document=document, by=request.user, **_document_data(form))
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The document was saved."))
            return redirect("journal:document", document.pk)
    return render(request, "journal/document_form.html", {"form": form, "document": document})


@login_required
@require_POST
def document_submit(request, pk: int):
    _require_document_write(request.user)
    document = get_object_or_404(Document, pk=pk)
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
