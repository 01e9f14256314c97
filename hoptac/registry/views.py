"""Registry pages for staff: the list, an organisation's page with its timeline, and the forms.

Views check access, validate a form, call a service and redirect. An organisation the
user may not see answers 404, not 403, so its existence is not disclosed.
"""

import datetime
import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hoptac.analytics.selectors import returns_of
from hoptac.awards.selectors import awards_of
from hoptac.core.audit import entries_for
from hoptac.core.formatting import vi_date, vi_money, vi_number
from hoptac.fund.selectors import loans_for
from hoptac.training.selectors import training_of
from hoptac.valuechain.selectors import value_chains_of

from . import selectors, services
from .forms import (
    EventForm,
    ListFilterForm,
    MembershipForm,
    OrganizationForm,
    ReasonForm,
    organization_form_class,
    seen_organization,
    seen_token,
)
from .models import NationalGroup, Organization, Status

PAGE_SIZE = 50
# A search term shared by thousands of names ("tan thanh" matches 4.928 organisations of the
# country) is not read page by page, and counting every match cost more than the page itself
# at national scale (docs/performance.md). Past this many matches the list shows the first
# ones and asks for a narrower search; without a search term the count is always exact.
SEARCH_COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """A paginator that counts at most ``cap`` rows; ``capped`` says there are more."""

    def __init__(self, object_list, per_page, *, cap: int):
        super().__init__(object_list, per_page)
        self.cap = cap

    @cached_property
    def _counted(self) -> int:
        # Only the ids, in no order: neither the status on the date (an annotation) nor the sort by
        # name is needed to count, and without the sort PostgreSQL counts from the trigram index.
        return self.object_list.values("pk").order_by()[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        return self._counted > self.cap


# Badge colour by status: operating, paused on the way, ended.
STATUS_BADGES = {
    Status.ACTIVE: "badge-active",
    Status.SUSPENDED: "badge-warning",
    Status.DISSOLVING: "badge-warning",
    Status.NOT_FOUNDED: "badge",
}

ACTION_LABELS = {
    "registry.organization.created": gettext_lazy("Record created"),
    "registry.organization.changed": gettext_lazy("Record changed"),
    "registry.organization.archived": gettext_lazy("Record archived"),
    "registry.organization.restored": gettext_lazy("Record restored"),
    "registry.event.recorded": gettext_lazy("Event recorded"),
    "registry.membership.started": gettext_lazy("Joined the alliance"),
    "registry.membership.ended": gettext_lazy("Left the alliance"),
}

# Keys of audit data that are not fields of the organisation.
EXTRA_LABELS = {
    "reason": gettext_lazy("reason"),
    "event": gettext_lazy("event"),
    "on": gettext_lazy("date"),
    "document": gettext_lazy("document no."),
    "joined_on": gettext_lazy("joined on"),
    "left_on": gettext_lazy("left on"),
}

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _is_htmx(request) -> bool:
    # A history restore wants the whole page even though htmx sends it.
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-History-Restore-Request") != "true"


def _visible_or_404(user, pk: int) -> Organization:
    return get_object_or_404(
        selectors.organizations_for(user).select_related(
            "commune__parent", "commune__current__parent", "created_by", "modified_by"
        ),
        pk=pk,
    )


def _require_manage(user) -> None:
    if not selectors.can_manage_registry(user):
        raise PermissionDenied


def _label_status(org: Organization, status: str) -> None:
    org.status_value = status
    org.status_label = Status(status).label
    org.status_class = STATUS_BADGES.get(status, "badge-inactive")


def _add_service_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError beside the fields it names, or above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


# ---------------------------------------------------------------- list


@login_required
@require_GET
def organization_list(request):
    """Organisations the user may see, filtered as of a date; htmx gets only the results."""
    form = ListFilterForm(request.GET, province_code=settings.ALLIANCE_PROVINCE_CODE)
    filters = form.filters()
    organizations = selectors.organization_list(request.user, filters)
    if filters.q:
        paginator = CappedPaginator(organizations, PAGE_SIZE, cap=SEARCH_COUNT_CAP)
    else:
        paginator = Paginator(organizations, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    for org in page.object_list:
        _label_status(org, org.status)
    htmx = _is_htmx(request)
    context = {
        "form": form,
        "filters": filters,
        "page_obj": page,
        "page_range": paginator.get_elided_page_range(page.number),
        "can_manage": selectors.can_manage_registry(request.user),
        "htmx": htmx,
    }
    template = "registry/_organization_results.html" if htmx else "registry/organization_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# ---------------------------------------------------------------- detail


def _display(name: str, value) -> str:
    """A value from the audit log as people read it: labels, dd/mm/yyyy, đồng."""
    if value is None or value == "":
        return "—"
    try:
        field = Organization._meta.get_field(name)
    except FieldDoesNotExist:
        field = None
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, str) and ISO_DATE.match(value):
        try:
            return vi_date(datetime.date.fromisoformat(value[:10]))
        except ValueError:
            return value
    if name == "charter_capital" and isinstance(value, int):
        return vi_money(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return vi_number(value)
    return str(value)


def _field_label(name: str) -> str:
    try:
        return capfirst(Organization._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return capfirst(EXTRA_LABELS.get(name, name.replace("_", " ")))


def readable_changes(changes: dict, *, new_only: bool = False) -> list[dict]:
    """{field: [old, new]} or {key: value} as rows with labels and formatted values."""
    rows = []
    for name, value in (changes or {}).items():
        row = {"name": name, "label": _field_label(name)}
        if new_only and isinstance(value, list) and len(value) == 2:
            row.update(value=_display(name, value[1]), pair=False)
        elif isinstance(value, list) and len(value) == 2:
            row.update(old=_display(name, value[0]), new=_display(name, value[1]), pair=True)
        else:
            row.update(value=_display(name, value), pair=False)
        rows.append(row)
    return rows


def _timeline(org: Organization) -> list[dict]:
    """Lifecycle events (dated facts) and audit entries (who changed what), newest first."""
    items = []
    for event in org.events.select_related("merged_into", "created_by"):
        items.append({"kind": "event", "day": event.on, "event": event, "sort": (event.on, 0, 0.0, event.pk)})
    for entry in entries_for(org):
        at = timezone.localtime(entry.at)
        items.append(
            {
                "kind": "audit",
                "day": at.date(),
                "at": at,
                "entry": entry,
                "label": ACTION_LABELS.get(entry.action, entry.action),
                "changes": readable_changes(entry.changes, new_only=entry.action == "registry.organization.created"),
                "sort": (at.date(), 1, at.timestamp(), entry.pk),
            }
        )
    items.sort(key=lambda item: item["sort"], reverse=True)
    return items


@login_required
@require_GET
def organization_detail(request, pk: int):
    org = _visible_or_404(request.user, pk)
    today = timezone.localdate()
    _label_status(org, org.status_on(today))
    memberships = list(org.memberships.all())
    current = next((m for m in memberships if m.left_on is None), None)
    context = {
        "org": org,
        "today": today,
        "national_group": NationalGroup(org.national_group).label,
        "memberships": memberships,
        "current_membership": current,
        "timeline": _timeline(org),
        # One query whatever their number: the card lists them without their money.
        "loans": list(loans_for(request.user).filter(borrower=org).order_by("-applied_on", "-code")),
        "awards": list(awards_of(org)),
        "training": list(training_of(org)),
        "value_chains": list(value_chains_of(org)),
        "returns_and_grades": returns_of(org),
        "can_edit": selectors.can_edit(request.user, org),
        "can_manage": selectors.can_manage_registry(request.user),
        "reason_form": ReasonForm(),
        "membership_form": MembershipForm(initial={"action": "end" if current else "start", "on": today}),
    }
    return render(request, "registry/organization_detail.html", context)


# ---------------------------------------------------------------- create / edit


@login_required
@require_http_methods(["GET", "POST"])
def organization_create(request):
    _require_manage(request.user)
    kwargs = {"user": request.user, "province_code": settings.ALLIANCE_PROVINCE_CODE}
    if request.method == "POST":
        form = OrganizationForm(request.POST, **kwargs)
        if form.is_valid():
            try:
                org = services.organization_create(by=request.user, **form.service_data())
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                messages.success(request, _("%(name)s was added to the registry.") % {"name": org.name})
                return redirect("registry:detail", pk=org.pk)
    else:
        form = OrganizationForm(**kwargs)
    return render(request, "registry/organization_form.html", {"form": form, "org": None})


@login_required
@require_http_methods(["GET", "POST"])
def organization_edit(request, pk: int):
    """Edit with a version check: a form opened before someone else's save is refused, not merged."""
    org = _visible_or_404(request.user, pk)
    if not selectors.can_edit(request.user, org):
        raise PermissionDenied
    if org.archived_on:
        messages.error(request, _("This record is archived; restore it before editing."))
        return redirect("registry:detail", pk=org.pk)
    form_class = organization_form_class(request.user)
    kwargs = {"user": request.user, "province_code": settings.ALLIANCE_PROVINCE_CODE}
    stale_changes = None
    if request.method == "POST":
        form = form_class(request.POST, instance=Organization.objects.get(pk=org.pk), **kwargs)
        if form.is_valid():
            seen = seen_organization(org, form.cleaned_data.get("seen") or "")
            try:
                services.organization_update(
                    organization=seen,
                    by=request.user,
                    data=form.service_data(),
                    expected_version=form.cleaned_data["version"],
                )
            except services.StaleEdit as stale:
                stale_changes = readable_changes(stale.changes)
                # Keep what the user typed; the next save applies it over the newer version.
                current = Organization.objects.get(pk=org.pk)
                data = request.POST.copy()
                data["version"] = current.version
                data["seen"] = seen_token(current)
                form = form_class(data, instance=current, **kwargs)
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                messages.success(request, _("The changes were saved."))
                return redirect("registry:detail", pk=org.pk)
    else:
        form = form_class(instance=org, initial={"version": org.version, "seen": seen_token(org)}, **kwargs)
    context = {"form": form, "org": org, "stale_changes": stale_changes}
    return render(request, "registry/organization_form.html", context, status=409 if stale_changes else 200)


# ---------------------------------------------------------------- events, archive, membership


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request, pk: int):
    org = _visible_or_404(request.user, pk)
    _require_manage(request.user)
    if request.method == "POST":
        form = EventForm(request.POST, organization=org)
        if form.is_valid():
            try:
                services.event_record(organization=org, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                messages.success(request, _("The event was recorded."))
                return redirect("registry:detail", pk=org.pk)
    else:
        form = EventForm(organization=org, initial={"on": timezone.localdate()})
    return render(request, "registry/event_form.html", {"form": form, "org": org})


def _archive_or_restore(request, pk: int, *, archive: bool):
    org = _visible_or_404(request.user, pk)
    _require_manage(request.user)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        service = services.organization_archive if archive else services.organization_restore
        try:
            service(organization=org, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            if archive:
                messages.success(request, _("The record was archived: it no longer appears in lists and figures."))
            else:
                messages.success(request, _("The record was restored."))
            return redirect("registry:detail", pk=org.pk)
    return render(request, "registry/archive_form.html", {"form": form, "org": org, "archive": archive})


@login_required
@require_http_methods(["GET", "POST"])
def organization_archive(request, pk: int):
    return _archive_or_restore(request, pk, archive=True)


@login_required
@require_http_methods(["GET", "POST"])
def organization_restore(request, pk: int):
    return _archive_or_restore(request, pk, archive=False)


@login_required
@require_POST
def membership_change(request, pk: int):
    org = _visible_or_404(request.user, pk)
    _require_manage(request.user)
    form = MembershipForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("registry:detail", pk=org.pk)
    data = form.cleaned_data
    day = {"day": vi_date(data["on"])}
    try:
        if data["action"] == "start":
            services.membership_start(organization=org, joined_on=data["on"], by=request.user, note=data["note"])
            messages.success(request, _("Alliance membership from %(day)s recorded.") % day)
        else:
            services.membership_end(organization=org, left_on=data["on"], by=request.user)
            messages.success(request, _("End of alliance membership on %(day)s recorded.") % day)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("registry:detail", pk=org.pk)
