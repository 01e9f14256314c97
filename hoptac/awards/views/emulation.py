"""The emulation itself: movements, blocs and their members, registrations, self-assessment and bloc scoring."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import exporters, selectors, services
from ..forms import (
    BlocForm,
    BlocMemberForm,
    BlocScoreForm,
    MovementForm,
    RegistrationEditForm,
    RegistrationFilterForm,
    RegistrationForm,
    SelfAssessmentForm,
)
from .common import form_errors, history, paginated, require_manage, safe_filename, xlsx_response


def _form_page(request, form, *, title: str, cancel: str, status: int = 200, **context):
    return render(
        request, "awards/simple_form.html", {"form": form, "title": title, "cancel": cancel, **context}, status=status
    )


# ---------------------------------------------------------------- movements


@login_required
@require_GET
def movement_list(request):
    return paginated(request, "awards/movement_list.html", selectors.movements_for(request.user))


@login_required
@require_http_methods(["GET", "POST"])
def movement_create(request):
    require_manage(request.user)
    form = MovementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            movement = services.movement_create(**form.cleaned_data, by=request.user)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Movement saved."))
            return redirect("awards:movement", movement.pk)
    return _form_page(request, form, title=_("Launch a movement"), cancel=reverse("awards:movements"))


@login_required
@require_GET
def movement_detail(request, pk: int):
    movement = get_object_or_404(selectors.movements_for(request.user), pk=pk)
    can_manage = selectors.can_manage_awards(request.user)
    return render(
        request,
        "awards/movement_detail.html",
        {
            "movement": movement,
            "registrations": selectors.registration_list(request.user, movement=movement),
            "proposals": selectors.proposals_for(request.user).filter(movement=movement).order_by("-drafted_on"),
            "blocs": selectors.blocs_for(request.user).filter(year=movement.year),
            "can_manage": can_manage,
            "history": history(movement) if can_manage else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def movement_edit(request, pk: int):
    movement = get_object_or_404(selectors.movements_for(request.user), pk=pk)
    require_manage(request.user)
    initial = {name: getattr(movement, name) for name in services.MOVEMENT_FIELDS}
    form = MovementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.movement_update(movement=movement, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Movement saved."))
            return redirect("awards:movement", movement.pk)
    cancel = reverse("awards:movement", args=[movement.pk])
    return _form_page(request, form, title=_("Edit the movement"), cancel=cancel)


# ---------------------------------------------------------------- blocs


@login_required
@require_GET
def bloc_list(request):
    return paginated(request, "awards/bloc_list.html", selectors.blocs_for(request.user))


@login_required
@require_http_methods(["GET", "POST"])
def bloc_create(request):
    require_manage(request.user)
    form = BlocForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            bloc = services.bloc_create(**form.service_data(), by=request.user)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Bloc saved."))
            return redirect("awards:bloc", bloc.pk)
    return _form_page(request, form, title=_("New bloc"), cancel=reverse("awards:blocs"))


def _bloc_or_404(user, pk: int):
    return get_object_or_404(selectors.blocs_for(user), pk=pk)


def _render_bloc(request, bloc, *, member_form=None, status: int = 200):
    can_manage = selectors.can_manage_awards(request.user)
    ranking = selectors.bloc_ranking(bloc)
    registered = {row.registration.organization_id for row in ranking}
    members = list(bloc.members.order_by("name", "id"))
    return render(
        request,
        "awards/bloc_detail.html",
        {
            "bloc": bloc,
            "members": members,
            "unregistered": [m for m in members if m.pk not in registered],
            "covenants": selectors.bloc_covenants(bloc),
            "ranking": ranking,
            "scored": sum(1 for row in ranking if row.rank is not None),
            "can_manage": can_manage,
            "can_score": selectors.can_score_bloc(request.user, bloc),
            "member_form": member_form or (BlocMemberForm(user=request.user) if can_manage else None),
            "history": history(bloc) if can_manage else [],
        },
        status=status,
    )


@login_required
@require_GET
def bloc_detail(request, pk: int):
    return _render_bloc(request, _bloc_or_404(request.user, pk))


@login_required
@require_http_methods(["GET", "POST"])
def bloc_edit(request, pk: int):
    bloc = _bloc_or_404(request.user, pk)
    require_manage(request.user)
    initial = {
        "name": bloc.name,
        "year": bloc.year,
        "leader": bloc.leader_id,
        "member_codes": "\n".join(bloc.members.order_by("name", "id").values_list("code", flat=True)),
    }
    form = BlocForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.bloc_update(bloc=bloc, by=request.user, **form.service_data())
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Bloc saved."))
            return redirect("awards:bloc", bloc.pk)
    return _form_page(request, form, title=_("Edit the bloc"), cancel=reverse("awards:bloc", args=[bloc.pk]))


@login_required
@require_POST
def bloc_member_add(request, pk: int):
    bloc = _bloc_or_404(request.user, pk)
    require_manage(request.user)
    form = BlocMemberForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.bloc_member_add(bloc=bloc, organization=form.cleaned_data["organization"], by=request.user)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Member added to the bloc."))
            return redirect("awards:bloc", bloc.pk)
    return _render_bloc(request, bloc, member_form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def bloc_scores(request, pk: int):
    """The bloc's score of every member's registration, in one form; the ranking follows."""
    bloc = _bloc_or_404(request.user, pk)
    if not selectors.can_score_bloc(request.user, bloc):
        raise PermissionDenied
    registrations = list(selectors.bloc_registrations(bloc))
    form = BlocScoreForm(request.POST or None, registrations=registrations)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.bloc_score(bloc=bloc, scores=form.scores(), by=request.user)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Scores saved: %(n)s changed.") % {"n": changed})
            return redirect("awards:bloc", bloc.pk)
    return render(
        request,
        "awards/bloc_scores.html",
        {"bloc": bloc, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_GET
def bloc_export(request, pk: int):
    bloc = _bloc_or_404(request.user, pk)
    content = exporters.bloc_ranking_xlsx(bloc, selectors.bloc_ranking(bloc))
    return xlsx_response(content, f"khoi-thi-dua-{bloc.year}-{safe_filename(bloc.name)[:40]}.xlsx")


# ---------------------------------------------------------------- registrations


def _registration_filters(request) -> tuple[RegistrationFilterForm, dict]:
    form = RegistrationFilterForm(request.GET or None)
    return form, {"year": form.cleaned_data.get("year")} if form.is_valid() else {}


@login_required
@require_GET
def registration_list(request):
    form, filters = _registration_filters(request)
    qs = selectors.registration_list(request.user, **filters)
    query = urlencode({k: v for k, v in filters.items() if v})
    return paginated(request, "awards/registration_list.html", qs, form=form, query=query)


@login_required
@require_GET
def registration_list_export(request):
    _form, filters = _registration_filters(request)
    content = exporters.registrations_xlsx(selectors.registration_list(request.user, **filters))
    return xlsx_response(content, "dang-ky-thi-dua.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def registration_create(request):
    require_manage(request.user)
    initial = {k: request.GET[k] for k in ("movement", "bloc", "organization") if request.GET.get(k, "").isdigit()}
    form = RegistrationForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.registration_create(**form.cleaned_data, by=request.user)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Registration saved."))
            return redirect("awards:registration", registration.pk)
    cancel = reverse("awards:registrations")
    return _form_page(request, form, title=_("New registration or covenant"), cancel=cancel)


def _registration_or_404(user, pk: int):
    return get_object_or_404(selectors.registrations_for(user), pk=pk)


@login_required
@require_GET
def registration_detail(request, pk: int):
    registration = _registration_or_404(request.user, pk)
    can_manage = selectors.can_manage_awards(request.user)
    blocs = []
    if registration.organization_id:
        blocs = selectors.blocs_for(request.user).filter(
            members=registration.organization_id, year=registration.movement.year
        )
    return render(
        request,
        "awards/registration_detail.html",
        {
            "registration": registration,
            "blocs": blocs,
            "can_manage": can_manage,
            "can_self_assess": not registration.is_covenant and selectors.can_self_assess(request.user, registration),
            "history": history(registration) if can_manage else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def registration_edit(request, pk: int):
    registration = _registration_or_404(request.user, pk)
    require_manage(request.user)
    initial = {name: getattr(registration, name) for name in services.REGISTRATION_FIELDS}
    form = RegistrationEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.registration_update(registration=registration, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Registration saved."))
            return redirect("awards:registration", registration.pk)
    cancel = reverse("awards:registration", args=[registration.pk])
    return _form_page(request, form, title=_("Edit the registration"), cancel=cancel, subject=registration)


@login_required
@require_http_methods(["GET", "POST"])
def registration_self_assess(request, pk: int):
    """The unit's year-end self-assessment: by its own account, or by the awards staff."""
    registration = _registration_or_404(request.user, pk)
    if registration.is_covenant or not selectors.can_self_assess(request.user, registration):
        raise PermissionDenied
    initial = {"self_score": registration.self_score, "self_assessment": registration.self_assessment}
    form = SelfAssessmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.registration_self_assess(registration=registration, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The self-assessment was saved."))
            return redirect("awards:registration", registration.pk)
    return render(request, "awards/self_assessment_form.html", {"form": form, "registration": registration})
