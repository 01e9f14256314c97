"""Entering a return: a grid of the form version's fields, one input per indicator, by section.

The page works from the keyboard like a spreadsheet (Tab, Enter and the arrow keys move
between inputs; numbers are grouped as typed, by ``returns/entry.js``) and without any
script. "Save draft" keeps what can be kept (a value that cannot be read or is out of range
is refused, beside its field); "Submit" checks everything. On any error nothing is saved and
the page shows what was typed, with the messages beside the fields.
"""

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hoptac.registry.models import Organization
from hoptac.registry.selectors import organizations_for

from .. import selectors, services, validation
from ..grading import GRADING_FORM
from ..models import Return, ReturnForm, ReturnRevision, Unit
from ..periods import Period, period_of
from .common import form_and_period, require, return_or_404

INPUT_PREFIX = "v-"


@dataclass
class EntryRow:
    """One indicator on the entry page: its input as shown, its messages, last period's value."""

    spec: validation.Spec
    number: int
    value: str = ""
    errors: list[str] = field(default_factory=list)
    flag: dict | None = None
    previous: str = ""

    @property
    def name(self) -> str:
        return INPUT_PREFIX + self.spec.code

    @property
    def input_id(self) -> str:
        return "id_" + self.name

    @property
    def inputmode(self) -> str:
        if self.spec.unit == Unit.PERCENT:
            return "decimal"
        if self.spec.is_number and self.spec.min_value is not None and self.spec.min_value >= 0:
            return "numeric"
        return "text"

    @property
    def signed(self) -> bool:
        return self.spec.is_number and (self.spec.min_value is None or self.spec.min_value < 0)

    @property
    def choices(self) -> list[tuple[str, str]]:
        return [(c[0], validation.choice_label(c)) for c in self.spec.choices]

    @property
    def unit_label(self) -> str:
        return {
            Unit.MONEY: _("đồng"),
            Unit.COUNT: "",
            Unit.PERCENT: "%",
            Unit.SCORE: _("points"),
        }.get(self.spec.unit, "")

    @property
    def limits(self) -> str:
        low, high = self.spec.min_value, self.spec.max_value
        if not self.spec.is_number or (low is None and high is None):
            return ""
        if low is not None and high is not None:
            return _("%(min)s to %(max)s") % {
                "min": validation.display(self.spec, low),
                "max": validation.display(self.spec, high),
            }
        if high is not None:
            return _("at most %(max)s") % {"max": validation.display(self.spec, high)}
        return "" if low == 0 else _("at least %(min)s") % {"min": validation.display(self.spec, low)}


def _raw_from_post(request, specs) -> dict[str, str]:
    return {s.code: request.POST.get(INPUT_PREFIX + s.code, "") for s in specs}


def _rows(specs, shown: dict[str, str], errors: dict, flags: list[dict], previous) -> list[tuple[str, list[EntryRow]]]:
    by_code = {f["indicator"]: f for f in flags or []}
    rows = []
    for number, spec in enumerate(specs, start=1):
        last = previous.values.get(spec.code) if previous else None
        rows.append(
            EntryRow(
                spec,
                number,
                value=shown.get(spec.code, ""),
                errors=errors.get(spec.code, []),
                flag=by_code.get(spec.code),
                previous=validation.display(spec, last),
            )
        )
    return selectors.group_by_section(rows, key=lambda r: r.spec.section)


def _render(
    request,
    *,
    form: ReturnForm,
    period: Period,
    organization: Organization | None,
    ret: Return | None,
    shown: dict[str, str] | None = None,
    errors: dict | None = None,
    revision: int | None = None,
    status: int = 200,
    stale: list | None = None,
):
    version = ret.version if ret else form.version_for(period.year)
    if version is None:
        raise Http404
    specs = validation.specs_for(version)
    if shown is None:
        stored = validation.values_of(ret) if ret else {}
        shown = {s.code: validation.as_input(s, stored.get(s.code)) for s in specs}
    previous = validation.previous_return(form, organization, period.year, period.quarter)
    errors = errors or {}
    non_field = errors.get(validation.NON_FIELD, [])
    context = {
        "form": form,
        "period": period,
        "organization": organization,
        "ret": ret,
        "version": version,
        "sections": _rows(specs, shown, errors, ret.flags if ret else [], previous),
        "previous": previous,
        "revision": ret.revision if revision is None and ret else (revision or 0),
        "errors": errors,
        "error_count": sum(len(v) for k, v in errors.items() if k != validation.NON_FIELD),
        "non_field_errors": non_field,
        "due": period.due_on(form),
        "today": timezone.localdate(),
        "is_grading": form.code == GRADING_FORM,
        "on_behalf": selectors.is_on_behalf(request.user, organization),
        "stale": _stale_changes(ret, stale or [], specs),
    }
    return render(request, "returns/entry.html", context, status=status)


def _stale_values(ret: Return, opened: int, raw: dict[str, str], specs) -> dict[str, str]:
    """After a stale save: what the user changed keeps what they typed; the rest shows the latest values."""
    seen = ReturnRevision.objects.filter(ret=ret, revision=opened).values_list("values", flat=True).first() or {}
    latest = validation.values_of(ret)
    shown = {}
    for spec in specs:
        before = validation.as_input(spec, _typed(spec, seen.get(spec.code)))
        typed = raw.get(spec.code, "")
        shown[spec.code] = typed if typed.strip() != before else validation.as_input(spec, latest.get(spec.code))
    return shown


def _stale_changes(ret: Return | None, revisions: list, specs) -> list[dict]:
    """Each revision saved since the form was opened, with the figures it changed: label, before, after."""
    if not revisions or ret is None:
        return []
    before = (
        ReturnRevision.objects.filter(ret=ret, revision=revisions[0].revision - 1)
        .values_list("values", flat=True)
        .first()
        or {}
    )
    out = []
    for rev in revisions:
        changes = [
            (
                spec.indicator,
                validation.as_input(spec, _typed(spec, before.get(spec.code))),
                validation.as_input(spec, _typed(spec, rev.values.get(spec.code))),
            )
            for spec in specs
            if before.get(spec.code) != rev.values.get(spec.code)
        ]
        out.append({"rev": rev, "changes": changes})
        before = rev.values
    return out


def _typed(spec, stored: Any):
    try:
        return validation.read_value(spec, stored)
    except validation.Invalid:
        return stored


def _post(request, *, form: ReturnForm, period: Period, organization: Organization | None, ret: Return | None):
    action = request.POST.get("action", "save")
    version = ret.version if ret else form.version_for(period.year)
    specs = validation.specs_for(version)
    raw = _raw_from_post(request, specs)
    try:
        revision = int(request.POST.get("revision", "0"))
    except ValueError:
        revision = 0
    try:
        with transaction.atomic():
            if ret is None:
                ret = services.return_open(
                    form=form, organization=organization, year=period.year, quarter=period.quarter, by=request.user
                )
                revision = ret.revision
            if action == "submit":
                ret = services.return_submit(ret=ret, by=request.user, values=raw, revision=revision)
            else:
                ret = services.return_save(ret=ret, values=raw, revision=revision, by=request.user)
    except services.StaleReturn as stale:
        ret.refresh_from_db()
        messages.error(
            request,
            _(
                "Someone saved this return after you opened it. Nothing of yours was saved: the values you changed "
                "are kept below, the others show the latest. Check them and save again."
            ),
        )
        return _render(
            request,
            form=form,
            period=period,
            organization=organization,
            ret=ret,
            shown=_stale_values(ret, revision, raw, specs),
            status=409,
            stale=stale.revisions,
        )
    except services.ReturnInvalid as invalid:
        messages.error(request, _("Nothing was saved: correct the fields marked below."))
        existing = Return.objects.filter(pk=ret.pk).first() if ret and ret.pk else None
        return _render(
            request,
            form=form,
            period=period,
            organization=organization,
            ret=existing,
            shown=raw,
            errors=invalid.errors,
            revision=revision,
        )
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        existing = Return.objects.filter(pk=ret.pk).first() if ret and ret.pk else None
        return _render(
            request,
            form=form,
            period=period,
            organization=organization,
            ret=existing,
            shown=raw,
            errors={validation.NON_FIELD: refused.messages},
            revision=revision,
        )
    if action == "submit":
        messages.success(request, _("Return submitted. It is now waiting for review."))
        return redirect("returns:detail", ret.pk)
    messages.success(request, _("Draft saved. Submit it when every figure is in."))
    return redirect("returns:entry", ret.pk)


@login_required
@require_http_methods(["GET", "POST"])
def fill(request, form: str, period: str, org: int | None = None):
    """A return not started yet: the empty grid; the first save or submission opens it."""
    form_obj, period_obj = form_and_period(form, period)
    organization = None
    if org is not None:
        organization = get_object_or_404(organizations_for(request.user), pk=org)
        if not selectors.in_scope(form_obj, period_obj, organization):
            raise Http404
    existing = selectors.return_for_period(form_obj, period_obj, organization)
    if existing is not None:
        return redirect(
            "returns:entry" if selectors.can_edit(request.user, existing) else "returns:detail", existing.pk
        )
    require(selectors.can_fill(request.user, form=form_obj, organization=organization))
    if request.method == "POST":
        return _post(request, form=form_obj, period=period_obj, organization=organization, ret=None)
    return _render(request, form=form_obj, period=period_obj, organization=organization, ret=None)


@login_required
@require_http_methods(["GET", "POST"])
def entry(request, pk: int):
    """A started return's grid, while it may be changed (a draft or returned for correction)."""
    ret = return_or_404(request.user, pk)
    if not selectors.can_edit(request.user, ret):
        if request.method == "POST":
            require(False)
        return redirect("returns:detail", ret.pk)
    period = period_of(ret)
    if request.method == "POST":
        return _post(request, form=ret.form, period=period, organization=ret.organization, ret=ret)
    return _render(request, form=ret.form, period=period, organization=ret.organization, ret=ret)
