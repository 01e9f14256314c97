"""Award decisions and their recipients: list, record, edit, add, correct, archive; counts and exports."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hoptac.core.formatting import vi_date

from .. import exporters, importer, selectors, services
from ..forms import (
    DecisionEditForm,
    DecisionFilterForm,
    DecisionForm,
    PeriodForm,
    ReasonForm,
    RecipientForm,
    RestoreForm,
)
from ..models import AwardForm, Decision, Issuer, ProposalStatus, Recipient, RecipientKind
from .common import describe, form_errors, history, paginated, require_manage, safe_filename, xlsx_response


@login_required
@require_GET
def index(request):
    return redirect("awards:decisions")


def _filters(request) -> tuple[DecisionFilterForm, dict]:
    form = DecisionFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, {"year": filters.get("year"), "issuer": filters.get("issuer", ""), "form": filters.get("form", "")}


@login_required
@require_GET
def decision_list(request):
    form, filters = _filters(request)
    qs = selectors.decision_list(request.user, **filters)
    query = urlencode({k: v for k, v in filters.items() if v})
    return paginated(request, "awards/decision_list.html", qs, form=form, query=query)


@login_required
@require_GET
def decision_list_export(request):
    _form, filters = _filters(request)
    content = exporters.decisions_xlsx(selectors.decision_list(request.user, **filters))
    return xlsx_response(content, "quyet-dinh-khen-thuong.xlsx")


def _approved_proposal(request):
    """The approved proposal a decision is recorded from (?proposal=), if any and still unlinked."""
    pk = request.POST.get("proposal") or request.GET.get("proposal")
    if not pk or not str(pk).isdigit():
        return None
    return get_object_or_404(
        selectors.proposals_for(request.user), pk=pk, status=ProposalStatus.APPROVED, decision__isnull=True
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_create(request):
    require_manage(request.user)
    proposal = _approved_proposal(request)
    initial = {}
    if proposal is not None:
        initial = {"issuer": proposal.issuer, "form": proposal.form, "on": proposal.decided_on, "title": proposal.title}
    form = DecisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.award_decision_create(**form.cleaned_data, proposal=proposal, by=request.user)
        except ValidationError as error:
            form_errors(form, error)
        else:
            if proposal is not None:
                messages.success(
                    request,
                    _("Decision %(number)s recorded with the proposal's nominees as its recipients.")
                    % {"number": decision.number},
                )
            else:
                messages.success(
                    request, _("Decision %(number)s recorded. Add its recipients.") % {"number": decision.number}
                )
            return redirect("awards:decision", decision.pk)
    return render(request, "awards/decision_form.html", {"form": form, "decision": None, "proposal": proposal})


def _decision_or_404(user, pk: int):
    return get_object_or_404(selectors.decisions_for(user), pk=pk)


def _visible_recipients(user, decision, *, archived: bool = False):
    return selectors.recipients_for(user, archived=archived).filter(decision=decision).order_by("kind", "id")


def _render_decision(request, decision, *, recipient_form=None, status: int = 200):
    can_manage = selectors.can_manage_awards(request.user)
    if can_manage and recipient_form is None:
        recipient_form = RecipientForm(user=request.user)
    return render(
        request,
        "awards/decision_detail.html",
        {
            "decision": decision,
            "recipients": _visible_recipients(request.user, decision),
            "archived": _visible_recipients(request.user, decision, archived=True) if can_manage else [],
            "proposals": selectors.proposals_for(request.user).filter(decision=decision),
            "can_manage": can_manage,
            "recipient_form": recipient_form,
            "history": history(decision) if can_manage else [],
        },
        status=status,
    )


@login_required
@require_GET
def decision_detail(request, pk: int):
    return _render_decision(request, _decision_or_404(request.user, pk))


@login_required
@require_http_methods(["GET", "POST"])
def decision_edit(request, pk: int):
    """Edit with a version check: a form opened before someone else's save is refused, not merged."""
    decision = _decision_or_404(request.user, pk)
    require_manage(request.user)
    stale = None
    if request.method == "POST":
        form = DecisionEditForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.award_decision_update(decision=decision, expected_version=version, by=request.user, **data)
            except services.StaleEdit as error:
                stale = error.entries
                # Keep what the user typed; saving again applies it over the newer version.
                fresh = request.POST.copy()
                fresh["version"] = Decision.objects.get(pk=decision.pk).version
                form = DecisionEditForm(fresh)
                form.is_valid()
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(request, _("The decision was saved."))
                return redirect("awards:decision", decision.pk)
    else:
        initial = {name: getattr(decision, name) for name in services.DECISION_FIELDS}
        form = DecisionEditForm(initial={**initial, "version": decision.version})
    return render(
        request,
        "awards/decision_form.html",
        {"form": form, "decision": decision, "stale": describe(stale, Decision) if stale is not None else None},
        status=409 if stale is not None else 200,
    )


@login_required
@require_POST
def recipient_add(request, pk: int):
    decision = _decision_or_404(request.user, pk)
    require_manage(request.user)
    form = RecipientForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.award_recipient_add(decision=decision, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Recipient added."))
            return redirect("awards:decision", decision.pk)
    return _render_decision(request, decision, recipient_form=form, status=400)


def _recipient_or_404(user, pk: int) -> Recipient:
    qs = Recipient.objects.select_related("decision", "organization")
    recipient = get_object_or_404(qs, pk=pk)
    # Visible when its decision is, and (outside the alliance) when it is one of theirs.
    if not selectors.recipients_for(user, archived=bool(recipient.archived_on)).filter(pk=pk).exists():
        raise Http404
    return recipient


@login_required
@require_http_methods(["GET", "POST"])
def recipient_edit(request, pk: int):
    recipient = _recipient_or_404(request.user, pk)
    require_manage(request.user)
    if recipient.archived_on:
        messages.error(request, _("This recipient is archived; restore it before editing."))
        return redirect("awards:decision", recipient.decision_id)
    initial = {name: getattr(recipient, name) for name in services.RECIPIENT_FIELDS}
    initial["organization"] = recipient.organization_id
    form = RecipientForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.award_recipient_update(recipient=recipient, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The recipient was saved."))
            return redirect("awards:decision", recipient.decision_id)
    return render(
        request,
        "awards/recipient_form.html",
        {"form": form, "recipient": recipient, "decision": recipient.decision, "history": history(recipient)},
    )


def _archive_or_restore(request, pk: int, *, archive: bool):
    recipient = _recipient_or_404(request.user, pk)
    require_manage(request.user)
    form = (ReasonForm if archive else RestoreForm)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        service = services.award_recipient_archive if archive else services.award_recipient_restore
        try:
            service(recipient=recipient, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            form_errors(form, error)
        else:
            if archive:
                messages.success(request, _("The recipient was archived: it no longer counts."))
            else:
                messages.success(request, _("The recipient was restored and counts again."))
            return redirect("awards:decision", recipient.decision_id)
    return render(
        request,
        "awards/archive_form.html",
        {
            "form": form,
            "archive": archive,
            "subject": recipient,
            "back": reverse("awards:decision", args=[recipient.decision_id]),
            "parent_label": _("Decision %(number)s") % {"number": recipient.decision.number},
            "archive_text": _(
                "Archive a recipient entered by mistake or twice. It is kept with its history, can be restored, "
                "and no longer counts in the decision, the counts and the organisation's awards."
            ),
            "restore_text": _("The recipient will count again in the decision and the counts."),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def recipient_archive(request, pk: int):
    return _archive_or_restore(request, pk, archive=True)


@login_required
@require_http_methods(["GET", "POST"])
def recipient_restore(request, pk: int):
    return _archive_or_restore(request, pk, archive=False)


@login_required
@require_GET
def decision_export(request, pk: int):
    """The decision's recipients in the import template's columns: the file imports back as it is."""
    decision = _decision_or_404(request.user, pk)
    content = importer.recipients_workbook(decision, _visible_recipients(request.user, decision))
    return xlsx_response(content, f"quyet-dinh-{safe_filename(decision.number)}.xlsx")


# ---------------------------------------------------------------- counts


def _period(request):
    date_from, date_to = PeriodForm.default()
    form = PeriodForm(
        request.GET if "date_from" in request.GET else None, initial={"date_from": date_from, "date_to": date_to}
    )
    if form.is_bound and form.is_valid():
        date_from, date_to = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    return form, date_from, date_to


def _period_query(date_from, date_to, **extra) -> str:
    return urlencode({"date_from": vi_date(date_from), "date_to": vi_date(date_to), **extra})


@login_required
@require_GET
def counts(request):
    form, date_from, date_to = _period(request)
    rows = selectors.award_counts(date_from=date_from, date_to=date_to, user=request.user)
    links = [
        (
            row,
            reverse("awards:recipients")
            + "?"
            + _period_query(date_from, date_to, issuer=row.issuer, form=row.form, kind=row.kind),
        )
        for row in rows
    ]
    return render(
        request,
        "awards/counts.html",
        {
            "form": form,
            "date_from": date_from,
            "date_to": date_to,
            "rows": links,
            "total": sum(r.count for r in rows),
            "all_link": reverse("awards:recipients") + "?" + _period_query(date_from, date_to),
            "export_link": reverse("awards:counts_export") + "?" + _period_query(date_from, date_to),
        },
    )


@login_required
@require_GET
def counts_export(request):
    _form, date_from, date_to = _period(request)
    content = exporters.counts_xlsx(date_from=date_from, date_to=date_to, user=request.user)
    return xlsx_response(content, f"khen-thuong-{date_from:%Y%m%d}-{date_to:%Y%m%d}.xlsx")


@login_required
@require_GET
def recipients(request):
    form, date_from, date_to = _period(request)
    issuer = request.GET.get("issuer", "")
    award_form = request.GET.get("form", "")
    kind = request.GET.get("kind", "")
    issuer = issuer if issuer in Issuer.values else ""
    award_form = award_form if award_form in AwardForm.values else ""
    kind = kind if kind in RecipientKind.values else ""
    qs = selectors.award_recipients(date_from, date_to, issuer, award_form, kind, user=request.user)
    return render(
        request,
        "awards/recipients.html",
        {
            "form": form,
            "date_from": date_from,
            "date_to": date_to,
            "issuer_label": Issuer(issuer).label if issuer else "",
            "form_label": AwardForm(award_form).label if award_form else "",
            "kind_label": RecipientKind(kind).label if kind else "",
            "recipients": qs,
            "back": reverse("awards:counts") + "?" + _period_query(date_from, date_to),
        },
    )
