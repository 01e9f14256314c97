"""Award proposals (tờ trình đề nghị khen thưởng): list, record, edit, nominees, submit, approve, refuse, link."""

import os
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import exporters, selectors, services
from ..forms import (
    DatedActionForm,
    LinkDecisionForm,
    NomineeForm,
    ProposalFilterForm,
    ProposalForm,
    ReasonForm,
    RefuseForm,
    RestoreForm,
)
from ..models import Nominee, ProposalStatus
from .common import form_errors, history, paginated, require_manage, xlsx_response


@login_required
@require_GET
def proposal_list(request):
    form = ProposalFilterForm(request.GET or None)
    filters = form.filters()
    qs = selectors.proposal_list(request.user, **filters)
    return paginated(request, "awards/proposal_list.html", qs, form=form, query=urlencode(filters))


@login_required
@require_GET
def proposal_list_export(request):
    filters = ProposalFilterForm(request.GET or None).filters()
    content = exporters.proposals_xlsx(selectors.proposal_list(request.user, **filters))
    return xlsx_response(content, "to-trinh-khen-thuong.xlsx")


def _proposal_or_404(user, pk: int):
    return get_object_or_404(selectors.proposals_for(user), pk=pk)


def _render_proposal(request, proposal, *, status: int = 200, **forms):
    can_manage = selectors.can_manage_awards(request.user)
    today = timezone.localdate()
    draft = proposal.status == ProposalStatus.DRAFT
    submitted = proposal.status == ProposalStatus.SUBMITTED
    approved_unlinked = proposal.status == ProposalStatus.APPROVED and not proposal.decision_id
    context = {
        "proposal": proposal,
        "nominees": selectors.nominees_of(proposal, user=request.user),
        "can_download": selectors.can_download_proposal_file(request.user),
        "withdrawn": selectors.nominees_of(proposal, archived=True) if can_manage else [],
        "can_manage": can_manage,
        "can_edit": can_manage and proposal.status in (ProposalStatus.DRAFT, ProposalStatus.SUBMITTED),
        "can_change_nominees": can_manage and draft,
        "history": history(proposal) if can_manage else [],
    }
    if can_manage and draft:
        context["nominee_form"] = forms.get("nominee_form") or NomineeForm(user=request.user)
        context["submit_form"] = forms.get("submit_form") or DatedActionForm(initial={"on": today})
    if can_manage and submitted:
        context["approve_form"] = forms.get("approve_form") or DatedActionForm(initial={"on": today})
        context["refuse_form"] = forms.get("refuse_form") or RefuseForm(initial={"on": today})
    if can_manage and approved_unlinked:
        context["link_form"] = forms.get("link_form") or LinkDecisionForm(proposal=proposal)
    return render(request, "awards/proposal_detail.html", context, status=status)


@login_required
@require_GET
def proposal_detail(request, pk: int):
    return _render_proposal(request, _proposal_or_404(request.user, pk))


@login_required
@require_http_methods(["GET", "POST"])
def proposal_create(request):
    require_manage(request.user)
    today = timezone.localdate()
    form = ProposalForm(request.POST or None, request.FILES or None, initial={"drafted_on": today, "year": today.year})
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        data.pop("remove_file")
        try:
            proposal = services.proposal_create(by=request.user, **data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The proposal was recorded as a draft. Add its nominees."))
            return redirect("awards:proposal", proposal.pk)
    return render(request, "awards/proposal_form.html", {"form": form, "proposal": None})


@login_required
@require_http_methods(["GET", "POST"])
def proposal_edit(request, pk: int):
    proposal = _proposal_or_404(request.user, pk)
    require_manage(request.user)
    initial = {name: getattr(proposal, name) for name in services.PROPOSAL_FIELDS}
    # No "currently" link: the file is served only through the access-checked download.
    form = ProposalForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_update(proposal=proposal, by=request.user, **form.service_data())
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The proposal was saved."))
            return redirect("awards:proposal", proposal.pk)
    return render(request, "awards/proposal_form.html", {"form": form, "proposal": proposal})


@login_required
@require_GET
def proposal_file(request, pk: int):
    """A proposal's file, to those who may see the proposal, always as a download."""
    proposal = _proposal_or_404(request.user, pk)
    if not selectors.can_download_proposal_file(request.user):
        raise PermissionDenied
    if not proposal.file:
        raise Http404
    try:
        handle = proposal.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    return FileResponse(handle, as_attachment=True, filename=os.path.basename(proposal.file.name))


def _action(request, pk: int, form_class, service, form_key: str, done: str, **form_kwargs):
    proposal = _proposal_or_404(request.user, pk)
    require_manage(request.user)
    form = form_class(request.POST, **form_kwargs)
    if form.is_valid():
        try:
            service(proposal, form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("awards:proposal", proposal.pk)
    return _render_proposal(request, proposal, status=400, **{form_key: form})


@login_required
@require_POST
def proposal_submit(request, pk: int):
    return _action(
        request,
        pk,
        DatedActionForm,
        lambda p, data: services.proposal_submit(proposal=p, on=data["on"], by=request.user),
        "submit_form",
        _("The proposal was marked as submitted."),
    )


@login_required
@require_POST
def proposal_approve(request, pk: int):
    return _action(
        request,
        pk,
        DatedActionForm,
        lambda p, data: services.proposal_approve(proposal=p, on=data["on"], by=request.user),
        "approve_form",
        _("The proposal was marked as approved. Record or link the decision that granted it."),
    )


@login_required
@require_POST
def proposal_refuse(request, pk: int):
    return _action(
        request,
        pk,
        RefuseForm,
        lambda p, data: services.proposal_refuse(proposal=p, on=data["on"], reason=data["reason"], by=request.user),
        "refuse_form",
        _("The proposal was marked as refused."),
    )


@login_required
@require_POST
def proposal_link(request, pk: int):
    proposal = _proposal_or_404(request.user, pk)
    return _action(
        request,
        pk,
        LinkDecisionForm,
        lambda p, data: services.proposal_link_decision(proposal=p, by=request.user, **data),
        "link_form",
        _("The proposal was linked to its decision."),
        proposal=proposal,
    )


# ---------------------------------------------------------------- nominees


@login_required
@require_POST
def nominee_add(request, pk: int):
    proposal = _proposal_or_404(request.user, pk)
    require_manage(request.user)
    form = NomineeForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.nominee_add(proposal=proposal, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Nominee added."))
            return redirect("awards:proposal", proposal.pk)
    return _render_proposal(request, proposal, status=400, nominee_form=form)


def _nominee_or_404(user, pk: int) -> Nominee:
    nominee = get_object_or_404(Nominee.objects.select_related("proposal", "organization"), pk=pk)
    _proposal_or_404(user, nominee.proposal_id)
    return nominee


@login_required
@require_http_methods(["GET", "POST"])
def nominee_edit(request, pk: int):
    nominee = _nominee_or_404(request.user, pk)
    require_manage(request.user)
    initial = {name: getattr(nominee, name) for name in services.RECIPIENT_FIELDS}
    initial["organization"] = nominee.organization_id
    form = NomineeForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.nominee_update(nominee=nominee, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The nominee was saved."))
            return redirect("awards:proposal", nominee.proposal_id)
    return render(
        request,
        "awards/nominee_form.html",
        {"form": form, "nominee": nominee, "proposal": nominee.proposal, "history": history(nominee)},
    )


def _withdraw_or_restore(request, pk: int, *, withdraw: bool):
    nominee = _nominee_or_404(request.user, pk)
    require_manage(request.user)
    form = (ReasonForm if withdraw else RestoreForm)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        service = services.nominee_withdraw if withdraw else services.nominee_restore
        try:
            service(nominee=nominee, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            form_errors(form, error)
        else:
            if withdraw:
                messages.success(request, _("The nominee was withdrawn from the proposal."))
            else:
                messages.success(request, _("The nominee is back in the proposal."))
            return redirect("awards:proposal", nominee.proposal_id)
    return render(
        request,
        "awards/archive_form.html",
        {
            "form": form,
            "archive": withdraw,
            "subject": nominee,
            "back": reverse("awards:proposal", args=[nominee.proposal_id]),
            "parent_label": str(nominee.proposal),
            "archive_title": _("Withdraw this nominee"),
            "archive_button": _("Withdraw"),
            "archive_text": _(
                "The nominee is taken out of the proposal but kept, with the reason, and can be put back while the "
                "proposal is a draft."
            ),
            "restore_text": _("The nominee will be part of the proposal again."),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def nominee_withdraw(request, pk: int):
    return _withdraw_or_restore(request, pk, withdraw=True)


@login_required
@require_http_methods(["GET", "POST"])
def nominee_restore(request, pk: int):
    return _withdraw_or_restore(request, pk, withdraw=False)
