"""A return's page: its values, flags and history; sending back, approving, reopening."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hoptac.core.formatting import vi_number

from .. import grading, selectors, services, validation
from ..forms import ReopenForm, SendBackForm
from ..models import Grading, Status, Unit
from ..periods import period_of
from .common import require, return_or_404


def _value_rows(ret, specs, values, previous):
    flags = {f["indicator"]: f for f in ret.flags or []}
    rows = []
    for number, spec in enumerate(specs, start=1):
        last = previous.values.get(spec.code) if previous else None
        rows.append(
            {
                "number": number,
                "spec": spec,
                "value": validation.display(spec, values.get(spec.code)),
                "previous": validation.display(spec, last),
                "flag": flags.get(spec.code),
                "section": spec.section,
            }
        )
    return selectors.group_by_section(rows, key=lambda r: r["section"])


def revision_history(ret, specs) -> list[dict]:
    """The return's revisions, newest first, each with the values it changed from the one before."""
    by_code = {s.code: s for s in specs}
    revisions = list(ret.revisions.select_related("by").order_by("revision"))
    items, before = [], {}
    for rev in revisions:
        changes = []
        for code in sorted(set(before) | set(rev.values), key=lambda c: by_code[c].order if c in by_code else 999):
            old, new = before.get(code), rev.values.get(code)
            if old == new:
                continue
            spec = by_code.get(code)
            label = spec.indicator if spec else code
            changes.append(
                {
                    "label": label,
                    "old": validation.display(spec, _read(spec, old)) if spec else old,
                    "new": validation.display(spec, _read(spec, new)) if spec else new,
                }
            )
        items.append({"revision": rev, "changes": changes})
        before = rev.values
    return list(reversed(items))


def _read(spec, value):
    try:
        return validation.read_value(spec, value)
    except validation.Invalid:
        return value


def _grading_preview(ret, specs, values):
    """The sheet's total and the grade it gives (or would give once approved)."""
    if ret.form.code != grading.GRADING_FORM or ret.organization is None:
        return None
    total = sum(values.get(s.code) or 0 for s in specs if s.unit == Unit.SCORE)
    maximum = sum(s.max_value or 0 for s in specs if s.unit == Unit.SCORE)
    recorded = Grading.objects.filter(organization=ret.organization, year=ret.year).first()
    grade, reason = grading.grading_result(ret.organization, ret.year, total)
    return {
        "total": total,
        "maximum": maximum,
        "grade_code": recorded.grade if recorded else grade,
        "grade": recorded.get_grade_display() if recorded else dict(Grading._meta.get_field("grade").choices)[grade],
        "reason": recorded.not_graded_reason if recorded else reason,
        "recorded": recorded,
    }


def _render_detail(request, ret, *, send_back_form=None, errors=None, status=200):
    specs = validation.specs_for(ret.version)
    values = validation.values_of(ret)
    previous = validation.previous_return(ret.form, ret.organization, ret.year, ret.quarter)
    user = request.user
    period = period_of(ret)
    can_review = selectors.can_review(user, ret) and ret.status == Status.SUBMITTED
    due = period.due_on(ret.form)
    context = {
        "ret": ret,
        "form": ret.form,
        "period": period,
        "organization": ret.organization,
        "due": due,
        "late": bool(ret.submitted_on and ret.submitted_on > due),
        "sections": _value_rows(ret, specs, values, previous),
        "previous": previous,
        "flags": [{**f, "spec": next((s for s in specs if s.code == f["indicator"]), None)} for f in ret.flags or []],
        "history": revision_history(ret, specs),
        "can_edit": selectors.can_edit(user, ret),
        "can_review": can_review,
        "can_reopen": selectors.can_reopen(user, ret) and ret.status == Status.APPROVED,
        "send_back_form": send_back_form or (SendBackForm() if can_review else None),
        "errors": errors or {},
        "grading": _grading_preview(ret, specs, values),
        "today": timezone.localdate(),
    }
    for flag in context["flags"]:
        spec = flag["spec"]
        flag["last_shown"] = validation.display(spec, _read(spec, flag["last"])) if spec else flag["last"]
        flag["now_shown"] = validation.display(spec, _read(spec, flag["now"])) if spec else flag["now"]
        flag["ratio_shown"] = vi_number(float(flag.get("ratio") or 0), 1)
    return render(request, "returns/detail.html", context, status=status)


@login_required
@require_GET
def detail(request, pk: int):
    return _render_detail(request, return_or_404(request.user, pk))


@login_required
@require_POST
def send_back(request, pk: int):
    ret = return_or_404(request.user, pk)
    require(selectors.can_review(request.user, ret))
    form = SendBackForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, ret, send_back_form=form, status=400)
    try:
        services.return_send_back(ret=ret, comment=form.cleaned_data["comment"], by=request.user)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect("returns:detail", ret.pk)
    messages.success(request, _("Return sent back to the organisation with your comment."))
    return redirect("returns:detail", ret.pk)


@login_required
@require_POST
def approve(request, pk: int):
    ret = return_or_404(request.user, pk)
    require(selectors.can_review(request.user, ret))
    try:
        ret = services.return_approve(ret=ret, by=request.user)
    except services.ReturnInvalid as invalid:
        messages.error(request, _("This return does not pass the checks; send it back with a comment instead."))
        return _render_detail(request, ret, errors=invalid.errors, status=400)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect("returns:detail", ret.pk)
    messages.success(request, _("Return approved and locked."))
    return redirect("returns:detail", ret.pk)


@login_required
@require_http_methods(["GET", "POST"])
def reopen(request, pk: int):
    """An administrator unlocks an approved return, giving the reason (audited, shown to the organisation)."""
    ret = return_or_404(request.user, pk)
    require(selectors.can_reopen(request.user, ret))
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.return_reopen(ret=ret, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
            return redirect("returns:detail", ret.pk)
        messages.success(request, _("Return reopened: it is back with the organisation for correction."))
        return redirect("returns:detail", ret.pk)
    return render(request, "returns/reopen.html", {"ret": ret, "form": form, "period": period_of(ret)})
