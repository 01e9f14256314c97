"""The returns index, a form's period as a list, and its completeness and timeliness."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from hoptac.registry.models import Organization

from .. import exporters, selectors
from ..forms import GotoForm, ReturnFilterForm
from ..selectors import ReturnFilters
from .common import PAGE_SIZE, form_and_period, require, xlsx_response


@login_required
@require_GET
def index(request):
    """A cooperative's returns to file; for staff and officers, each form's recent periods."""
    user = request.user
    today = timezone.localdate()
    context = {"today": today}
    own = selectors.own_organization_id(user)
    if own:
        organization = Organization.objects.get(pk=own)
        dues = selectors.dues_of_organization(organization, today)
        for due in dues:
            due.is_overdue = due.overdue(today)
            due.editable = due.ret is not None and selectors.can_edit(user, due.ret)
        context.update(organization=organization, dues=dues)
        return render(request, "returns/index.html", context)
    if selectors.sees_return_lists(user):
        context.update(
            forms=selectors.index_counts(user, today),
            goto_form=GotoForm(),
            can_enter=selectors.can_enter_on_behalf(user),
        )
    return render(request, "returns/index.html", context)


@login_required
@require_GET
def goto(request):
    """The list of any form's period, chosen on the index."""
    require(selectors.sees_return_lists(request.user))
    form = GotoForm(request.GET)
    if form.is_valid():
        return redirect("returns:list", form.cleaned_data["form"].code, form.cleaned_data["parsed"].slug)
    today = timezone.localdate()
    return render(
        request,
        "returns/index.html",
        {
            "today": today,
            "forms": selectors.index_counts(request.user, today),
            "goto_form": form,
            "can_enter": selectors.can_enter_on_behalf(request.user),
        },
        status=400,
    )


@login_required
@require_GET
def return_list(request, form: str, period: str):
    """The returns of a form for a period, filtered and paginated (a constant number of queries)."""
    require(selectors.sees_return_lists(request.user))
    form_obj, period_obj = form_and_period(form, period)
    filter_form = ReturnFilterForm(request.GET or None, form=form_obj, period=period_obj)
    data = filter_form.cleaned_data if filter_form.is_valid() else {}
    filters = ReturnFilters(
        status=data.get("status") or "",
        district=data.get("district"),
        kind=data.get("kind") or "",
        flagged=bool(data.get("flagged")),
        q=data.get("q") or "",
    )
    qs = selectors.return_list(request.user, form_obj, period_obj, filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form_obj,
        "period": period_obj,
        "due": period_obj.due_on(form_obj),
        "filter_form": filter_form,
        "page_obj": page,
        "page_range": page.paginator.get_elided_page_range(page.number),
        "counts": selectors.status_counts(selectors.return_list(request.user, form_obj, period_obj)),
        "can_enter": selectors.can_enter_on_behalf(request.user),
    }
    return render(request, "returns/list.html", context)


# Rows per page of each list of the completeness page. Nationally 23.752 organisations had to
# file the annual form of 2025: on one page that was 8,2 MB of HTML (issue #9). The counts
# stay complete.
COMPLETENESS_PAGE_SIZE = 100


def _list_page(request, rows: list, param: str, anchor: str):
    """One page of one of the completeness lists, with the URLs of its page links.

    Each list has its own page parameter; a link changes only that one and keeps every other
    parameter of the request (the other lists' pages, any filter), and jumps back to the list.
    """
    paginator = Paginator(rows, COMPLETENESS_PAGE_SIZE)
    page = paginator.get_page(request.GET.get(param))

    def url(number: int) -> str:
        query = request.GET.copy()
        query[param] = number
        return f"?{query.urlencode()}#{anchor}"

    page.links = [
        (n, None if n == paginator.ELLIPSIS or n == page.number else url(n))
        for n in paginator.get_elided_page_range(page.number)
    ]
    page.previous_url = url(page.previous_page_number()) if page.has_previous() else None
    page.next_url = url(page.next_page_number()) if page.has_next() else None
    return page


@login_required
@require_GET
def completeness(request, form: str, period: str):
    """Who had to file, who did on time, late, or not at all, by district as it was then.

    The counts (totals and by area) cover every organisation; the three lists are paginated.
    """
    require(selectors.sees_return_lists(request.user))
    form_obj, period_obj = form_and_period(form, period)
    report = selectors.completeness(form_obj, period_obj, user=request.user)
    context = {
        "form": form_obj,
        "period": period_obj,
        "report": report,
        "missing": _list_page(request, report.missing, "missing_page", "h-missing"),
        "late": _list_page(request, report.rows_in(selectors.LATE), "late_page", "h-late"),
        "on_time": _list_page(request, report.rows_in(selectors.ON_TIME), "on_time_page", "h-on-time"),
        "today": timezone.localdate(),
        "can_enter": selectors.can_enter_on_behalf(request.user),
    }
    return render(request, "returns/completeness.html", context)


@login_required
@require_GET
def completeness_xlsx(request, form: str, period: str):
    require(selectors.sees_return_lists(request.user))
    form_obj, period_obj = form_and_period(form, period)
    report = selectors.completeness(form_obj, period_obj, user=request.user)
    filename = f"tinh-hinh-nop-{form_obj.code.replace('_', '-')}-{period_obj.slug}.xlsx"
    return xlsx_response(exporters.completeness_xlsx(report), filename)
