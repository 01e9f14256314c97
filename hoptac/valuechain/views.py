"""Pages of value-chain support: programmes, criteria, surveys and scores, selection, support plans.

Everyone signed in reads what they may see (alliance staff everything; area officers and
cooperative accounts the surveys and plans of organisations they see). Only administrators
and the value-chain department write: any other user gets 403 on a write, and a record
outside what the user sees answers 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hoptac.core.audit import entries_for

from . import exporters, selectors, services
from .forms import (
    ActivityForm,
    ActivityStatusForm,
    AnswersForm,
    CriterionForm,
    DoneForm,
    PlanFilterForm,
    PlanForm,
    PlanStatusForm,
    ProductForm,
    ProgrammeFilterForm,
    ProgrammeForm,
    ProgrammeStatusForm,
    ReasonForm,
    SelectionForm,
    StartForm,
    SurveyCreateForm,
    SurveyEditForm,
    SurveyFilterForm,
)
from .models import (
    ActivityStatus,
    Criterion,
    PlanActivity,
    PlanProduct,
    PlanStatus,
    ProgrammeStatus,
    Selection,
    SurveyStatus,
)

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

ACTION_LABELS = {
    "valuechain.programme.created": gettext_lazy("Programme created"),
    "valuechain.programme.changed": gettext_lazy("Programme changed"),
    "valuechain.programme.status_changed": gettext_lazy("Status changed"),
    "valuechain.programme.archived": gettext_lazy("Archived"),
    "valuechain.programme.restored": gettext_lazy("Restored"),
    "valuechain.survey.created": gettext_lazy("Candidate added"),
    "valuechain.survey.changed": gettext_lazy("Survey changed"),
    "valuechain.survey.started": gettext_lazy("Survey started"),
    "valuechain.survey.scored": gettext_lazy("Scores recorded"),
    "valuechain.survey.done": gettext_lazy("Survey finished"),
    "valuechain.survey.reopened": gettext_lazy("Survey reopened"),
    "valuechain.survey.archived": gettext_lazy("Archived"),
    "valuechain.survey.restored": gettext_lazy("Restored"),
    "valuechain.plan.created": gettext_lazy("Plan drafted"),
    "valuechain.plan.changed": gettext_lazy("Plan changed"),
    "valuechain.plan.status_changed": gettext_lazy("Status changed"),
    "valuechain.plan.archived": gettext_lazy("Archived"),
    "valuechain.plan.restored": gettext_lazy("Restored"),
}


def _require_manage(user) -> None:
    if not selectors.can_manage_value_chains(user):
        raise PermissionDenied


def _form_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form fields it names, or on the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _error_message(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# The statuses of each kind of record, to tell a status change in words.
STATUS_CHOICES = {"programme": ProgrammeStatus, "survey": SurveyStatus, "plan": PlanStatus}


def _detail(action: str, changes: dict) -> str:
    """A status change as "old → new" in the user's language, and the reason given, if any."""
    parts = []
    choices = STATUS_CHOICES.get(action.split(".")[1] if action.count(".") >= 2 else "")
    status = changes.get("status")
    if choices and isinstance(status, list) and len(status) == 2 and all(v in choices.values for v in status):
        parts.append(f"{choices(status[0]).label} → {choices(status[1]).label}")
    if isinstance(changes.get("reason"), str) and changes["reason"]:
        parts.append(changes["reason"])
    return " · ".join(parts)


def _history(obj) -> list[dict]:
    return [
        {
            "at": e.at,
            "user": e.user,
            "label": ACTION_LABELS.get(e.action, e.action),
            "detail": _detail(e.action, e.changes or {}),
        }
        for e in entries_for(obj)[:50]
    ]


def _page(request, qs):
    paginator = Paginator(qs, PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    return page_obj, paginator.get_elided_page_range(page_obj.number)


def _simple_form(request, *, form, title: str, cancel: str, intro: str = "", status: int = 200):
    return render(
        request,
        "valuechain/simple_form.html",
        {"form": form, "title": title, "cancel": cancel, "intro": intro},
        status=status,
    )


def _reason_page(request, *, obj, service, kwarg: str, done_url: str, archive: bool, title: str):
    """Archive (or restore) obj through service, with the reason typed on this page."""
    _require_manage(request.user)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service(**{kwarg: obj}, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            if archive:
                messages.success(request, _("Archived: it no longer appears in lists and figures."))
            else:
                messages.success(request, _("Restored."))
            return redirect(done_url)
    return render(
        request,
        "valuechain/reason_form.html",
        {"form": form, "title": title, "object": obj, "archive": archive, "cancel": done_url},
    )


# ---------------------------------------------------------------- overview


@login_required
@require_GET
def index(request):
    user = request.user
    return render(
        request,
        "valuechain/index.html",
        {
            "programmes": list(selectors.open_programmes(user)[:20]),
            "surveys": list(selectors.surveys_under_way(user)[:50]),
            "plans": list(selectors.plans_in_progress(user)[:50]),
            "can_manage": selectors.can_manage_value_chains(user),
        },
    )


# ---------------------------------------------------------------- programmes


def _programme_or_404(user, pk: int):
    return get_object_or_404(selectors.programmes_for(user), pk=pk)


@login_required
@require_GET
def programme_list(request):
    form = ProgrammeFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.programme_list(
        request.user,
        year=filters.get("year"),
        status=filters.get("status", ""),
        archived=bool(filters.get("archived")),
    )
    page_obj, page_range = _page(request, qs)
    return render(
        request,
        "valuechain/programme_list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "page_range": page_range,
            "can_manage": selectors.can_manage_value_chains(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def programme_create(request):
    _require_manage(request.user)
    form = ProgrammeForm(request.POST or None, initial={"year_from": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_create(**form.cleaned_data, by=request.user)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Programme saved. Set its selection criteria."))
            return redirect("valuechain:programme", programme.pk)
    return _simple_form(request, form=form, title=_("New programme"), cancel=reverse("valuechain:programmes"))


@login_required
@require_http_methods(["GET", "POST"])
def programme_edit(request, pk: int):
    _require_manage(request.user)
    programme = _programme_or_404(request.user, pk)
    initial = {name: getattr(programme, name) for name in services.PROGRAMME_FIELDS}
    form = ProgrammeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_update(programme=programme, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Programme saved."))
            return redirect("valuechain:programme", programme.pk)
    return _simple_form(
        request,
        form=form,
        title=_("Edit the programme"),
        cancel=reverse("valuechain:programme", args=[programme.pk]),
    )


# What the programme page offers next, by status: (target, button label, forward step?).
PROGRAMME_NEXT = {
    ProgrammeStatus.DRAFT: [(ProgrammeStatus.SURVEY, pgettext_lazy("action", "Open for survey"), True)],
    ProgrammeStatus.SURVEY: [(ProgrammeStatus.DRAFT, gettext_lazy("Back to preparation"), False)],
    ProgrammeStatus.SELECTED: [
        (ProgrammeStatus.CLOSED, gettext_lazy("Close the programme"), True),
        (ProgrammeStatus.SURVEY, gettext_lazy("Reopen the survey"), False),
    ],
    ProgrammeStatus.CLOSED: [(ProgrammeStatus.SELECTED, gettext_lazy("Reopen the programme"), False)],
}


def _programme_steps(programme, ranking) -> list:
    """The status moves worth offering: going back to preparation only while nobody is surveyed."""
    steps = PROGRAMME_NEXT[programme.status]
    if ranking:
        steps = [step for step in steps if step[0] != ProgrammeStatus.DRAFT]
    return steps


@login_required
@require_GET
def programme_detail(request, pk: int):
    user = request.user
    programme = _programme_or_404(user, pk)
    can_manage = selectors.can_manage_value_chains(user)
    criteria = list(programme.criteria.order_by("order", "id"))
    ranking = selectors.programme_ranking(programme, user=user)
    open_for_criteria = (
        can_manage and programme.status in (ProgrammeStatus.DRAFT, ProgrammeStatus.SURVEY) and not programme.archived_on
    )
    # Once a survey is done the scoring is frozen: only the wording of criteria can change.
    scoring_frozen = any(c.done for c in ranking)
    plans = list(selectors.plan_list(user, programme=programme))
    return render(
        request,
        "valuechain/programme_detail.html",
        {
            "programme": programme,
            "criteria": [c for c in criteria if not c.archived_on],
            "archived_criteria": [c for c in criteria if c.archived_on] if can_manage else [],
            "max_total": sum(c.max_score * c.weight for c in criteria if not c.archived_on),
            "ranking": ranking,
            "plans": plans,
            "can_manage": can_manage,
            "next_steps": _programme_steps(programme, ranking) if can_manage and not programme.archived_on else [],
            "can_survey": can_manage and programme.status == ProgrammeStatus.SURVEY and not programme.archived_on,
            "can_select": can_manage
            and programme.status in (ProgrammeStatus.SURVEY, ProgrammeStatus.SELECTED)
            and not programme.archived_on
            and any(c.done for c in ranking),
            "criteria_open": open_for_criteria,
            "scoring_open": open_for_criteria and not scoring_frozen,
            "can_plan": can_manage and programme.status == ProgrammeStatus.SELECTED and not programme.archived_on,
            "history": _history(programme) if user.is_alliance else [],
        },
    )


@login_required
@require_POST
def programme_status(request, pk: int):
    _require_manage(request.user)
    programme = _programme_or_404(request.user, pk)
    form = ProgrammeStatusForm(request.POST)
    if form.is_valid():
        try:
            services.programme_set_status(programme=programme, status=form.cleaned_data["status"], by=request.user)
        except ValidationError as error:
            _error_message(request, error)
        else:
            messages.success(
                request, _("The programme is now “%(status)s”.") % {"status": programme.get_status_display()}
            )
    return redirect("valuechain:programme", programme.pk)


@login_required
@require_http_methods(["GET", "POST"])
def programme_archive(request, pk: int):
    _require_manage(request.user)
    programme = _programme_or_404(request.user, pk)
    return _reason_page(
        request,
        obj=programme,
        service=services.programme_archive,
        kwarg="programme",
        done_url=reverse("valuechain:programme", args=[pk]),
        archive=True,
        title=_("Archive the programme"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def programme_restore(request, pk: int):
    _require_manage(request.user)
    programme = _programme_or_404(request.user, pk)
    return _reason_page(
        request,
        obj=programme,
        service=services.programme_restore,
        kwarg="programme",
        done_url=reverse("valuechain:programme", args=[pk]),
        archive=False,
        title=_("Restore the programme"),
    )


@login_required
@require_GET
def ranking_export(request, pk: int):
    programme = _programme_or_404(request.user, pk)
    content = exporters.ranking_xlsx(programme, selectors.programme_ranking(programme, user=request.user))
    return _xlsx(content, f"xep-hang-chuong-trinh-{programme.pk}.xlsx")


# ---------------------------------------------------------------- criteria


def _criterion_or_404(user, pk: int) -> Criterion:
    return get_object_or_404(
        Criterion.objects.select_related("programme").filter(programme__in=selectors.programmes_for(user)), pk=pk
    )


@login_required
@require_http_methods(["GET", "POST"])
def criterion_create(request, pk: int):
    _require_manage(request.user)
    programme = _programme_or_404(request.user, pk)
    next_order = programme.criteria.filter(archived_on__isnull=True).count() + 1
    form = CriterionForm(request.POST or None, initial={"order": next_order, "weight": 1})
    if request.method == "POST" and form.is_valid():
        try:
            services.criterion_add(programme=programme, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Criterion added."))
            if "another" in request.POST:
                return redirect("valuechain:criterion_create", programme.pk)
            return redirect(reverse("valuechain:programme", args=[programme.pk]) + "#criteria")
    return render(
        request,
        "valuechain/criterion_form.html",
        {
            "form": form,
            "programme": programme,
            "title": _("Add a criterion"),
            "another": True,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def criterion_edit(request, pk: int):
    _require_manage(request.user)
    criterion = _criterion_or_404(request.user, pk)
    initial = {name: getattr(criterion, name) for name in services.CRITERION_FIELDS}
    form = CriterionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.criterion_update(criterion=criterion, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Criterion saved."))
            return redirect(reverse("valuechain:programme", args=[criterion.programme_id]) + "#criteria")
    return render(
        request,
        "valuechain/criterion_form.html",
        {"form": form, "programme": criterion.programme, "criterion": criterion, "title": _("Edit the criterion")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def criterion_archive(request, pk: int):
    _require_manage(request.user)
    criterion = _criterion_or_404(request.user, pk)
    return _reason_page(
        request,
        obj=criterion,
        service=services.criterion_archive,
        kwarg="criterion",
        done_url=reverse("valuechain:programme", args=[criterion.programme_id]) + "#criteria",
        archive=True,
        title=_("Archive the criterion"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def criterion_restore(request, pk: int):
    _require_manage(request.user)
    criterion = _criterion_or_404(request.user, pk)
    return _reason_page(
        request,
        obj=criterion,
        service=services.criterion_restore,
        kwarg="criterion",
        done_url=reverse("valuechain:programme", args=[criterion.programme_id]) + "#criteria",
        archive=False,
        title=_("Restore the criterion"),
    )


# ---------------------------------------------------------------- surveys


def _survey_or_404(user, pk: int):
    return get_object_or_404(
        selectors.surveys_for(user).select_related(
            "programme", "organization", "organization__commune", "organization__commune__parent"
        ),
        pk=pk,
    )


@login_required
@require_GET
def survey_list(request):
    user = request.user
    programmes = selectors.programmes_for(user).filter(archived_on__isnull=True)
    form = SurveyFilterForm(request.GET or None, programmes=programmes)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.survey_list(
        user,
        programme=filters.get("programme"),
        status=filters.get("status", ""),
        q=filters.get("q", ""),
        archived=bool(filters.get("archived")),
    )
    page_obj, page_range = _page(request, qs)
    return render(
        request,
        "valuechain/survey_list.html",
        {"form": form, "page_obj": page_obj, "page_range": page_range},
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_create(request, pk: int):
    _require_manage(request.user)
    programme = _programme_or_404(request.user, pk)
    candidates = selectors.candidates_for(request.user, programme)
    form = SurveyCreateForm(
        request.POST or None,
        candidates=candidates,
        initial={"surveyed_on": timezone.localdate(), "status": SurveyStatus.UNDER_WAY},
    )
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.survey_create(programme=programme, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Candidate added to the survey."))
            return redirect("valuechain:survey", survey.pk)
    return _simple_form(
        request,
        form=form,
        title=_("Add a candidate to survey"),
        intro=programme.name,
        cancel=reverse("valuechain:programme", args=[programme.pk]),
    )


@login_required
@require_GET
def survey_detail(request, pk: int):
    user = request.user
    survey = selectors.survey_with_scores(_survey_or_404(user, pk))
    can_manage = selectors.can_manage_value_chains(user)
    answers = selectors.answers_by_criterion(survey)
    criteria = list(selectors.live_criteria(survey.programme))
    rows = [(c, answers.get(c.pk)) for c in criteria]
    selection = Selection.objects.filter(survey=survey).first()
    plans = list(selectors.plans_for(user).filter(selection__survey=survey, archived_on__isnull=True))
    is_open = (
        can_manage
        and survey.programme.status == ProgrammeStatus.SURVEY
        and not survey.archived_on
        and not survey.programme.archived_on
    )
    today = timezone.localdate()
    return render(
        request,
        "valuechain/survey_detail.html",
        {
            "survey": survey,
            "rows": rows,
            "selection": selection,
            "plans": plans,
            "can_manage": can_manage,
            "can_score": is_open and survey.status != SurveyStatus.DONE,
            "can_reopen": is_open and survey.status == SurveyStatus.DONE and selection is None,
            "done_form": DoneForm(initial={"done_on": today}),
            "start_form": StartForm(initial={"on": min(survey.surveyed_on, today)}),
            "history": _history(survey) if user.is_alliance else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_edit(request, pk: int):
    _require_manage(request.user)
    survey = _survey_or_404(request.user, pk)
    initial = {name: getattr(survey, name) for name in services.SURVEY_FIELDS}
    form = SurveyEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_update(survey=survey, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Survey saved."))
            return redirect("valuechain:survey", survey.pk)
    return _simple_form(
        request,
        form=form,
        title=_("Edit the survey"),
        intro=str(survey.organization),
        cancel=reverse("valuechain:survey", args=[survey.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_answers(request, pk: int):
    """One form with every criterion: the surveyors' answer and the score they gave."""
    _require_manage(request.user)
    survey = _survey_or_404(request.user, pk)
    criteria = selectors.live_criteria(survey.programme)
    form = AnswersForm(request.POST or None, criteria=criteria, answers=selectors.answers_by_criterion(survey))
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_score(survey=survey, answers=form.scores(), by=request.user)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Scores saved."))
            return redirect("valuechain:survey", survey.pk)
    return render(
        request,
        "valuechain/survey_answers.html",
        {"survey": survey, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def survey_start(request, pk: int):
    _require_manage(request.user)
    survey = _survey_or_404(request.user, pk)
    form = StartForm(request.POST)
    if form.is_valid():
        try:
            services.survey_start(survey=survey, on=form.cleaned_data["on"], by=request.user)
        except ValidationError as error:
            _error_message(request, error)
        else:
            messages.success(request, _("The survey is under way."))
    else:
        messages.error(request, _("Enter a valid date (dd/mm/yyyy)."))
    return redirect("valuechain:survey", survey.pk)


@login_required
@require_POST
def survey_done(request, pk: int):
    _require_manage(request.user)
    survey = _survey_or_404(request.user, pk)
    form = DoneForm(request.POST)
    if form.is_valid():
        try:
            services.survey_mark_done(survey=survey, done_on=form.cleaned_data["done_on"], by=request.user)
        except ValidationError as error:
            _error_message(request, error)
        else:
            messages.success(request, _("The survey is done: the candidate is ranked."))
    else:
        messages.error(request, _("Enter a valid date (dd/mm/yyyy)."))
    return redirect("valuechain:survey", survey.pk)


@login_required
@require_http_methods(["GET", "POST"])
def survey_reopen(request, pk: int):
    _require_manage(request.user)
    survey = _survey_or_404(request.user, pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_reopen(survey=survey, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The survey is reopened: correct its scores, then finish it again."))
            return redirect("valuechain:survey", survey.pk)
    return render(
        request,
        "valuechain/reason_form.html",
        {
            "form": form,
            "title": _("Reopen the survey"),
            "object": survey,
            "archive": False,
            "cancel": reverse("valuechain:survey", args=[survey.pk]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_archive(request, pk: int):
    _require_manage(request.user)
    survey = _survey_or_404(request.user, pk)
    return _reason_page(
        request,
        obj=survey,
        service=services.survey_archive,
        kwarg="survey",
        done_url=reverse("valuechain:survey", args=[pk]),
        archive=True,
        title=_("Archive the survey"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_restore(request, pk: int):
    _require_manage(request.user)
    survey = _survey_or_404(request.user, pk)
    return _reason_page(
        request,
        obj=survey,
        service=services.survey_restore,
        kwarg="survey",
        done_url=reverse("valuechain:survey", args=[pk]),
        archive=False,
        title=_("Restore the survey"),
    )


@login_required
@require_GET
def survey_export(request, pk: int):
    survey = selectors.survey_with_scores(_survey_or_404(request.user, pk))
    content = exporters.survey_xlsx(survey)
    return _xlsx(content, f"khao-sat-{survey.organization.code}-{survey.programme_id}.xlsx")


# ---------------------------------------------------------------- selection


@login_required
@require_http_methods(["GET", "POST"])
def selection(request, pk: int):
    """Tick the candidates selected; give the reason for each one not selected."""
    _require_manage(request.user)
    programme = _programme_or_404(request.user, pk)
    ranking = selectors.programme_ranking(programme)
    done = [c for c in ranking if c.done]
    pending = [c for c in ranking if not c.done]
    decided = next((c.selection for c in done if c.selection), None)
    form = SelectionForm(
        request.POST or None,
        candidates=done,
        initial={
            "decided_on": decided.decided_on if decided else timezone.localdate(),
            "decision_number": decided.decision_number if decided else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            chosen = services.selection_record(
                programme=programme,
                decisions=form.decisions(),
                decided_on=form.cleaned_data["decided_on"],
                decision_number=form.cleaned_data["decision_number"],
                by=request.user,
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            n = sum(1 for s in chosen if s.selected)
            messages.success(request, _("Selection recorded: %(n)s cooperatives selected.") % {"n": n})
            return redirect(reverse("valuechain:programme", args=[programme.pk]) + "#ranking")
    return render(
        request,
        "valuechain/selection.html",
        {"programme": programme, "form": form, "pending": pending},
        status=400 if form.is_bound and form.errors else 200,
    )


# ---------------------------------------------------------------- support plans


def _plan_or_404(user, pk: int):
    return get_object_or_404(
        selectors.plans_for(user).select_related("selection__survey__organization", "selection__survey__programme"),
        pk=pk,
    )


@login_required
@require_GET
def plan_list(request):
    user = request.user
    programmes = selectors.programmes_for(user).filter(archived_on__isnull=True)
    form = PlanFilterForm(request.GET or None, programmes=programmes)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.plan_list(
        user,
        programme=filters.get("programme"),
        status=filters.get("status", ""),
        archived=bool(filters.get("archived")),
    )
    page_obj, page_range = _page(request, qs)
    return render(
        request,
        "valuechain/plan_list.html",
        {"form": form, "page_obj": page_obj, "page_range": page_range},
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request, pk: int):
    """A plan for the selected cooperative of selection pk."""
    _require_manage(request.user)
    chosen = get_object_or_404(
        Selection.objects.select_related("survey__organization", "survey__programme").filter(
            survey__in=selectors.surveys_for(request.user)
        ),
        pk=pk,
    )
    form = PlanForm(request.POST or None, initial={"starts_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(selection=chosen, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Plan drafted. Add its activities and products."))
            return redirect("valuechain:plan", plan.pk)
    return _simple_form(
        request,
        form=form,
        title=_("New support plan"),
        intro=f"{chosen.survey.organization} · {chosen.survey.programme}",
        cancel=reverse("valuechain:programme", args=[chosen.survey.programme_id]),
    )


# What the plan page offers next, by status.
PLAN_NEXT = {
    PlanStatus.DRAFT: [
        (PlanStatus.APPROVED, pgettext_lazy("support plan", "Approve")),
        (PlanStatus.CANCELLED, gettext_lazy("Cancel the plan")),
    ],
    PlanStatus.APPROVED: [
        (PlanStatus.IN_PROGRESS, gettext_lazy("Start")),
        (PlanStatus.CANCELLED, gettext_lazy("Cancel the plan")),
    ],
    PlanStatus.IN_PROGRESS: [
        (PlanStatus.DONE, gettext_lazy("Mark completed")),
        (PlanStatus.CANCELLED, gettext_lazy("Cancel the plan")),
    ],
    PlanStatus.DONE: [(PlanStatus.IN_PROGRESS, gettext_lazy("Reopen"))],
    PlanStatus.CANCELLED: [],
}


@login_required
@require_GET
def plan_detail(request, pk: int):
    user = request.user
    plan = _plan_or_404(user, pk)
    can_manage = selectors.can_manage_value_chains(user)
    activities = list(selectors.plan_activities(plan))
    products = list(selectors.plan_products(plan))
    editable = can_manage and not plan.archived_on and not plan.is_closed
    return render(
        request,
        "valuechain/plan_detail.html",
        {
            "plan": plan,
            "activities": activities,
            "activity_rows": [(a, _activity_moves().get(a.status, []) if editable else []) for a in activities],
            "products": products,
            "archived_activities": list(selectors.plan_activities(plan, archived=True)) if can_manage else [],
            "archived_products": list(selectors.plan_products(plan, archived=True)) if can_manage else [],
            "budget": sum(a.budget for a in activities),
            "budget_done": sum(a.budget for a in activities if a.status == ActivityStatus.DONE),
            "can_manage": can_manage,
            "editable": editable,
            "next_steps": PLAN_NEXT[plan.status] if can_manage and not plan.archived_on else [],
            "today": timezone.localdate(),
            "history": _history(plan) if user.is_alliance else [],
        },
    )


def _activity_moves() -> dict:
    return {
        ActivityStatus.PLANNED: [
            (ActivityStatus.IN_PROGRESS, _("Start")),
            (ActivityStatus.DONE, _("Done")),
            (ActivityStatus.CANCELLED, _("Cancel")),
        ],
        ActivityStatus.IN_PROGRESS: [(ActivityStatus.DONE, _("Done")), (ActivityStatus.CANCELLED, _("Cancel"))],
        ActivityStatus.DONE: [(ActivityStatus.IN_PROGRESS, _("Reopen"))],
        ActivityStatus.CANCELLED: [(ActivityStatus.PLANNED, _("Reopen"))],
    }


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk: int):
    _require_manage(request.user)
    plan = _plan_or_404(request.user, pk)
    initial = {name: getattr(plan, name) for name in services.PLAN_FIELDS}
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(plan=plan, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Plan saved."))
            return redirect("valuechain:plan", plan.pk)
    return _simple_form(
        request,
        form=form,
        title=_("Edit the plan"),
        intro=str(plan.organization),
        cancel=reverse("valuechain:plan", args=[plan.pk]),
    )


@login_required
@require_POST
def plan_status(request, pk: int):
    _require_manage(request.user)
    plan = _plan_or_404(request.user, pk)
    form = PlanStatusForm(request.POST)
    if form.is_valid():
        try:
            services.plan_set_status(
                plan=plan, status=form.cleaned_data["status"], on=form.cleaned_data["on"], by=request.user
            )
        except ValidationError as error:
            _error_message(request, error)
        else:
            messages.success(request, _("The plan is now “%(status)s”.") % {"status": plan.get_status_display()})
    else:
        messages.error(request, _("Enter a valid date (dd/mm/yyyy)."))
    return redirect("valuechain:plan", plan.pk)


@login_required
@require_http_methods(["GET", "POST"])
def plan_archive(request, pk: int):
    _require_manage(request.user)
    plan = _plan_or_404(request.user, pk)
    return _reason_page(
        request,
        obj=plan,
        service=services.plan_archive,
        kwarg="plan",
        done_url=reverse("valuechain:plan", args=[pk]),
        archive=True,
        title=_("Archive the plan"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_restore(request, pk: int):
    _require_manage(request.user)
    plan = _plan_or_404(request.user, pk)
    return _reason_page(
        request,
        obj=plan,
        service=services.plan_restore,
        kwarg="plan",
        done_url=reverse("valuechain:plan", args=[pk]),
        archive=False,
        title=_("Restore the plan"),
    )


# ---------------------------------------------------------------- activities and products


def _activity_or_404(user, pk: int) -> PlanActivity:
    return get_object_or_404(
        PlanActivity.objects.select_related("plan").filter(plan__in=selectors.plans_for(user)), pk=pk
    )


def _product_or_404(user, pk: int) -> PlanProduct:
    return get_object_or_404(
        PlanProduct.objects.select_related("plan").filter(plan__in=selectors.plans_for(user)), pk=pk
    )


def _plan_url(plan_id: int, anchor: str) -> str:
    return reverse("valuechain:plan", args=[plan_id]) + anchor


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request, pk: int):
    _require_manage(request.user)
    plan = _plan_or_404(request.user, pk)
    form = ActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_add(plan=plan, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Activity added."))
            return redirect(_plan_url(plan.pk, "#activities"))
    return _simple_form(
        request, form=form, title=_("Add an activity"), intro=plan.title, cancel=_plan_url(plan.pk, "#activities")
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, pk: int):
    _require_manage(request.user)
    activity = _activity_or_404(request.user, pk)
    initial = {name: getattr(activity, name) for name in services.ACTIVITY_FIELDS}
    form = ActivityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(activity=activity, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Activity saved."))
            return redirect(_plan_url(activity.plan_id, "#activities"))
    return _simple_form(
        request,
        form=form,
        title=_("Edit the activity"),
        intro=activity.plan.title,
        cancel=_plan_url(activity.plan_id, "#activities"),
    )


@login_required
@require_POST
def activity_status(request, pk: int):
    _require_manage(request.user)
    activity = _activity_or_404(request.user, pk)
    form = ActivityStatusForm(request.POST)
    if form.is_valid():
        try:
            services.activity_set_status(
                activity=activity, status=form.cleaned_data["status"], on=form.cleaned_data["on"], by=request.user
            )
        except ValidationError as error:
            _error_message(request, error)
        else:
            messages.success(request, _("Activity updated."))
    else:
        messages.error(request, _("Enter a valid date (dd/mm/yyyy)."))
    return redirect(_plan_url(activity.plan_id, "#activities"))


@login_required
@require_http_methods(["GET", "POST"])
def activity_archive(request, pk: int):
    _require_manage(request.user)
    activity = _activity_or_404(request.user, pk)
    return _reason_page(
        request,
        obj=activity,
        service=services.activity_archive,
        kwarg="activity",
        done_url=_plan_url(activity.plan_id, "#activities"),
        archive=True,
        title=_("Archive the activity"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_restore(request, pk: int):
    _require_manage(request.user)
    activity = _activity_or_404(request.user, pk)
    return _reason_page(
        request,
        obj=activity,
        service=services.activity_restore,
        kwarg="activity",
        done_url=_plan_url(activity.plan_id, "#activities"),
        archive=False,
        title=_("Restore the activity"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def product_create(request, pk: int):
    _require_manage(request.user)
    plan = _plan_or_404(request.user, pk)
    form = ProductForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.product_add(plan=plan, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Product added."))
            return redirect(_plan_url(plan.pk, "#products"))
    return _simple_form(
        request, form=form, title=_("Add a product"), intro=plan.title, cancel=_plan_url(plan.pk, "#products")
    )


@login_required
@require_http_methods(["GET", "POST"])
def product_edit(request, pk: int):
    _require_manage(request.user)
    product = _product_or_404(request.user, pk)
    initial = {name: getattr(product, name) for name in services.PRODUCT_FIELDS}
    form = ProductForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.product_update(product=product, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Product saved."))
            return redirect(_plan_url(product.plan_id, "#products"))
    return _simple_form(
        request,
        form=form,
        title=_("Edit the product"),
        intro=product.plan.title,
        cancel=_plan_url(product.plan_id, "#products"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def product_archive(request, pk: int):
    _require_manage(request.user)
    product = _product_or_404(request.user, pk)
    return _reason_page(
        request,
        obj=product,
        service=services.product_archive,
        kwarg="product",
        done_url=_plan_url(product.plan_id, "#products"),
        archive=True,
        title=_("Archive the product"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def product_restore(request, pk: int):
    _require_manage(request.user)
    product = _product_or_404(request.user, pk)
    return _reason_page(
        request,
        obj=product,
        service=services.product_restore,
        kwarg="product",
        done_url=_plan_url(product.plan_id, "#products"),
        archive=False,
        title=_("Restore the product"),
    )
