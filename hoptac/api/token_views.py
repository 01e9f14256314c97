"""Pages of the API for people: the documentation, and one's API tokens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import selectors, services
from .forms import RevokeForm, TokenForm


@require_GET
def docs(request):
    """Swagger UI on the product's own copy of its files, reading /api/v1/openapi.json."""
    return render(request, "api/docs.html")


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    """One's tokens (an administrator's: everyone's); a new one is shown once, on this page."""
    new_key = None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, new_key = services.token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                expires_on=form.cleaned_data["expires_on"],
                by=request.user,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.error_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            form = TokenForm()
    context = {
        "form": form,
        "new_key": new_key,
        "tokens": selectors.tokens_for(request.user).order_by("revoked_on", "-created_on", "-id"),
        "revoke_form": RevokeForm(),
    }
    response = render(request, "api/tokens.html", context)
    # The new key is in this page only: no copy in the browser's cache or history.
    add_never_cache_headers(response)
    return response


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(selectors.tokens_for(request.user), pk=pk)
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            services.token_revoke(token=token, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The token “%(name)s” was revoked: it no longer works.") % {"name": token.name})
    return redirect("api:tokens")
