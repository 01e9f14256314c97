"""Helpers shared by the returns pages."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from .. import selectors
from ..models import Return, ReturnForm
from ..periods import Period, period_for_form

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 50


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def form_and_period(code: str, slug: str) -> tuple[ReturnForm, Period]:
    """The form named in the URL and its period ("2020", "2021Q1"); 404 for either unknown."""
    form = get_object_or_404(ReturnForm, code=code)
    try:
        return form, period_for_form(form, slug)
    except ValueError:
        raise Http404 from None


def return_or_404(user, pk: int) -> Return:
    """A return user may see (404 otherwise, so its existence is not disclosed)."""
    return get_object_or_404(
        selectors.returns_for(user).select_related(
            "form", "version", "organization", "organization__commune", "organization__commune__parent", "approved_by"
        ),
        pk=pk,
    )


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
