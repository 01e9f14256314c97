"""Pages of emulation and awards.

Everyone signed in may read what they may see (alliance staff all; area officers and
cooperative accounts the awards of organisations they see); only administrators and the
awards department write. A decision the user may not see answers 404; a write they may
not make answers 403.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hoptac.core.formatting import vi_date

from . import exporters, selectors, services
from .forms import (
    BlocForm,
    DecisionFilterForm,
    DecisionForm,
    MovementForm,
    PeriodForm,
    RecipientForm,
    RegistrationForm,
)
from .models import AwardForm, Issuer, RecipientKind

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_manage(user) -> None:
    if not selectors.can_manage_awards(user):
        raise PermissionDenied


def _form_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form fields it names, or on the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def index(request):
    return redirect("awards:decisions")


# ---------------------------------------------------------------- decisions


@login_required
@require_GET
def decision_list(request):
    form = DecisionFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.decision_list(
        request.user, year=filters.get("year"), issuer=filters.get("issuer", ""), form=filters.get("form", "")
    )
    page_obj = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "awards/decision_list.html",
        {"form": form, "page_obj": page_obj, "can_manage": selectors.can_manage_awards(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_create(request):
    _require_manage(request.user)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.award_decision_create(**form.cleaned_data, by=request.user)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request, _("Decision %(number)s recorded. Add its recipients.") % {"number": decision.number}
            )
            return redirect("awards:decision", decision.pk)
    return render(request, "awards/decision_form.html", {"form": form})


def _decision_or_404(user, pk: int):
    return get_object_or_404(selectors.decisions_for(user), pk=pk)


def _visible_recipients(user, decision):
    return selectors.recipients_for(user).filter(decision=decision).order_by("kind", "id")


@login_required
@require_GET
def decision_detail(request, pk: int):
    decision = _decision_or_404(request.user, pk)
    can_manage = selectors.can_manage_awards(request.user)
    return render(
        request,
        "awards/decision_detail.html",
        {
            "decision": decision,
            "recipients": _visible_recipients(request.user, decision),
            "can_manage": can_manage,
            "recipient_form": RecipientForm() if can_manage else None,
        },
    )


@login_required
@require_POST
def recipient_add(request, pk: int):
    _require_manage(request.user)
    decision = _decision_or_404(request.user, pk)
    form = RecipientForm(request.POST)
    if form.is_valid():
        try:
            services.award_recipient_add(decision=decision, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Recipient added."))
            return redirect("awards:decision", decision.pk)
    return render(
        request,
        "awards/decision_detail.html",
        {
            "decision": decision,
            "recipients": _visible_recipients(request.user, decision),
            "can_manage": True,
            "recipient_form": form,
        },
        status=400,
    )


@login_required
@require_GET
def decision_export(request, pk: int):
    decision = _decision_or_404(request.user, pk)
    content = exporters.recipients_xlsx(decision, _visible_recipients(request.user, decision))
    safe = "".join(c if c.isalnum() else "-" for c in decision.number)
    return _xlsx(content, f"quyet-dinh-{safe}.xlsx")


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
    return _xlsx(content, f"khen-thuong-{date_from:%Y%m%d}-{date_to:%Y%m%d}.xlsx")


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


# ---------------------------------------------------------------- movements, blocs, registrations


def _simple_list(request, template: str, qs, **context):
    page_obj = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, template, {"page_obj": page_obj, "can_manage": selectors.can_manage_awards(request.user), **context}
    )


def _simple_create(request, form_class, service, list_url: str, title: str, done: str):
    _require_manage(request.user)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service(**form.cleaned_data, by=request.user)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(list_url)
    return render(request, "awards/simple_form.html", {"form": form, "title": title, "cancel": reverse(list_url)})


@login_required
@require_GET
def movement_list(request):
    return _simple_list(request, "awards/movement_list.html", selectors.movements_for(request.user))


@login_required
@require_http_methods(["GET", "POST"])
def movement_create(request):
    return _simple_create(
        request,
        MovementForm,
        services.movement_create,
        "awards:movements",
        _("Launch a movement"),
        _("Movement saved."),
    )


@login_required
@require_GET
def bloc_list(request):
    return _simple_list(request, "awards/bloc_list.html", selectors.blocs_for(request.user))


@login_required
@require_http_methods(["GET", "POST"])
def bloc_create(request):
    return _simple_create(request, BlocForm, services.bloc_create, "awards:blocs", _("New bloc"), _("Bloc saved."))


@login_required
@require_GET
def registration_list(request):
    return _simple_list(request, "awards/registration_list.html", selectors.registrations_for(request.user))


@login_required
@require_http_methods(["GET", "POST"])
def registration_create(request):
    return _simple_create(
        request,
        RegistrationForm,
        services.registration_create,
        "awards:registrations",
        _("New registration or covenant"),
        _("Registration saved."),
    )
