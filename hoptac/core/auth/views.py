"""Signing in with a second factor, and one's own two-factor settings."""

import time

import django_otp
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from hoptac.core.models import User

from . import twofactor
from .forms import AppCodeForm, CodeForm
from .signals import NO_TWO_FACTOR, SECOND_FACTOR

# Session keys: a password accepted, waiting for the code; backup codes to show once.
PENDING = "hoptac_2fa_pending"
NEW_CODES = "hoptac_2fa_new_codes"
ENROL_KEY = "hoptac_2fa_enrol_key"
# The code must follow the password within this time.
PENDING_SECONDS = 300


class LoginView(auth_views.LoginView):
    """The password; then, for an account with two-factor, the code (``login_code``) before signing in."""

    template_name = "core/login.html"

    def form_valid(self, form):
        user = form.get_user()
        if not twofactor.has_two_factor(user):
            return super().form_valid(form)
        # Not signed in yet: the session only remembers whose password was right, for a few
        # minutes, under a new key (as login() would give it).
        self.request.session.cycle_key()
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,
            "at": int(time.time()),
            "next": self.get_success_url(),
        }
        return redirect("login_code")


def _pending_user(request):
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        return None, None
    return User.objects.filter(pk=pending["user"], is_active=True).first(), pending


@never_cache
@require_http_methods(["GET", "POST"])
def login_code(request):
    """The second step of signing in: a code from the app, or a backup code."""
    user, pending = _pending_user(request)
    if user is None:
        request.session.pop(PENDING, None)
        messages.warning(request, _("Enter your username and password again."))
        return redirect("login")
    # A wrong code counts as a failed sign-in of this account, like a wrong password.
    credentials = {"username": user.get_username(), SECOND_FACTOR: True}
    if AxesProxyHandler.is_locked(request, credentials):
        request.session.pop(PENDING, None)
        return get_lockout_response(request, None, credentials)
    form = CodeForm(request.POST or None)
    form.fields["code"].widget.attrs["autofocus"] = True
    if request.method == "POST" and form.is_valid():
        device = twofactor.verify(user, form.cleaned_data["code"])
        if device is not None:
            del request.session[PENDING]
            user.otp_device = device  # django-otp keeps it in the session at sign-in
            auth_login(request, user, backend=pending["backend"])
            if twofactor.backup_codes_left(user) <= 2:
                messages.warning(request, _("You have few backup codes left: make new ones in Two-factor sign-in."))
            return redirect(pending["next"])
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False):
            request.session.pop(PENDING, None)  # AxesMiddleware answers with the lockout page
        if twofactor.must_wait(user):
            form.add_error("code", _("Several wrong codes in a row: wait a few seconds, then type the code shown now."))
        else:
            form.add_error("code", _("This code is not right. Check the time on your phone, or use a backup code."))
    return render(request, "core/twofactor/login_code.html", {"form": form})


@login_required
@require_http_methods(["GET"])
def overview(request):
    """One's two-factor sign-in: on or off, backup codes left, and what can be done."""
    user = request.user
    enabled = twofactor.has_two_factor(user)
    context = {
        "enabled": enabled,
        "required": twofactor.must_enrol(user),
        "codes_left": twofactor.backup_codes_left(user) if enabled else 0,
        # Two forms on the page: their fields need ids of their own.
        "renew_form": CodeForm(auto_id="renew_%s"),
        "disable_form": CodeForm(auto_id="disable_%s"),
    }
    return render(request, "core/twofactor/overview.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def enrol(request):
    """Turn two-factor on: scan the QR code (or type the key), then confirm with the first code."""
    user = request.user
    if twofactor.has_two_factor(user):
        return redirect("twofactor:overview")
    # The secret stays in the session (not the database) until a code confirms it: the same QR
    # code on every visit, and nothing written by a page view.
    key = request.session.setdefault(ENROL_KEY, twofactor.new_key())
    form = AppCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = twofactor.twofactor_enable(user=user, key=key, code=form.cleaned_data["code"])
        if codes is not None:
            del request.session[ENROL_KEY]
            request.session.pop(NO_TWO_FACTOR, None)
            django_otp.login(request, twofactor.confirmed_device(user))
            request.session[NEW_CODES] = codes
            messages.success(request, _("Two-factor sign-in is on. From now on you will be asked for a code."))
            return redirect("twofactor:backup_codes")
        form.add_error(
            "code", _("This code is not right. Check that the phone's time is correct and try the next one.")
        )
    device = twofactor.device_for_key(user, key)
    context = {
        "form": form,
        # Drawn by qrcode from the device's own address: no user text reaches the SVG unescaped.
        "qr": mark_safe(twofactor.qr_svg(device)),
        "key": twofactor.manual_key(device),
        "required": twofactor.must_enrol(user),
    }
    return render(request, "core/twofactor/enrol.html", context)


@never_cache
@login_required
@require_http_methods(["GET"])
def backup_codes(request):
    """The new backup codes, shown this once."""
    codes = request.session.pop(NEW_CODES, None)
    if not codes:
        return redirect("twofactor:overview")
    return render(request, "core/twofactor/backup_codes.html", {"codes": codes})


@login_required
@require_POST
def disable(request):
    """Turn two-factor off; the current code proves it is the owner asking."""
    form = CodeForm(request.POST)
    if form.is_valid() and twofactor.twofactor_disable(user=request.user, code=form.cleaned_data["code"]):
        request.session[NO_TWO_FACTOR] = True
        messages.success(request, _("Two-factor sign-in is off."))
        return redirect("twofactor:overview")
    messages.error(request, _("Two-factor sign-in is still on: the code was not right."))
    return redirect("twofactor:overview")


@login_required
@require_POST
def renew_backup_codes(request):
    """New backup codes for old ones (used up, or lost); the current code proves it is the owner."""
    form = CodeForm(request.POST)
    codes = form.is_valid() and twofactor.backup_codes_renew(user=request.user, code=form.cleaned_data["code"])
    if not codes:
        messages.error(request, _("No new codes: the code was not right."))
        return redirect("twofactor:overview")
    request.session[NEW_CODES] = codes
    return redirect("twofactor:backup_codes")


@login_required
@require_http_methods(["GET"])
def keep_alive(request):
    """Nothing but the request itself: the page calls it while someone types, so typing counts as activity.

    A long text typed in one form (a report's section, a return) makes no request for many
    minutes; without this the idle timeout would end the session and the typing would be lost.
    """
    return HttpResponse(status=204)
