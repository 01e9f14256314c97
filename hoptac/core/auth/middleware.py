"""Every request of a signed-in person passes here: timeouts, then the second factor.

- A session idle for SESSION_IDLE_MINUTES, or older than SESSION_COOKIE_AGE, is ended and
  the login page says why (in the person's language).
- A session of an account that has two-factor but did not give a code (signed in by a path
  that skipped it) is ended.
- An administrator without two-factor (when TWO_FACTOR_REQUIRED_FOR_ADMINS) reaches only
  the two-factor pages and logout until enrolled.
- The Django admin's, the CMS's and the portal's own login pages send people to the
  product's login, the only one that asks for the code.

It also makes the request known to the audit of account changes (``signals.acting_request``).
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from . import sessions, twofactor
from .signals import LOGOUT_REASON, NO_TWO_FACTOR, acting_request

UNVERIFIED = "unverified"


def _reverse_or_none(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


class AccountGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._paths = None

    def paths(self) -> dict:
        # Resolved on the first request: the URLconf is not loaded when middleware is built.
        if self._paths is None:
            login_pages = {
                _reverse_or_none("admin:login"): _reverse_or_none("admin:index"),
                _reverse_or_none("wagtailadmin_login"): _reverse_or_none("wagtailadmin_home"),
                # The portal's sign-in for pages restricted to signed-in readers.
                _reverse_or_none("wagtailcore_login"): "/",
            }
            always = {reverse("logout"), reverse("set_language")}
            always |= {p for p in (_reverse_or_none("admin:logout"), _reverse_or_none("wagtailadmin_logout")) if p}
            self._paths = {
                "login": reverse("login"),
                "other_logins": {page: home for page, home in login_pages.items() if page},
                "always": always,
                "twofactor": reverse("twofactor:overview"),
            }
        return self._paths

    def __call__(self, request):
        paths = self.paths()
        if request.path_info in paths["other_logins"]:
            return self._to_main_login(request, paths["other_logins"][request.path_info])
        user = request.user
        if user.is_authenticated and not request.path_info.startswith(settings.STATIC_URL):
            response = self._guard(request, user, paths)
            if response is not None:
                return response
        token = acting_request.set(request)
        try:
            return self.get_response(request)
        finally:
            acting_request.reset(token)

    def _guard(self, request, user, paths):
        reason = sessions.session_timeout(request.session)
        if reason:
            return self._end(request, reason, paths)
        path = request.path_info
        if path in paths["always"] or user.is_verified():
            return None
        if request.session.get(NO_TWO_FACTOR) is not True:
            if twofactor.has_two_factor(user):
                return self._end(request, UNVERIFIED, paths)
            request.session[NO_TWO_FACTOR] = True
        if twofactor.must_enrol(user) and not path.startswith(paths["twofactor"]):
            messages.warning(
                request, _("Administrators must turn on two-factor sign-in before anything else. It takes a minute.")
            )
            return self._redirect(request, reverse("twofactor:enrol"))
        return None

    def _end(self, request, reason: str, paths):
        setattr(request, LOGOUT_REASON, reason)
        logout(request)
        if reason == sessions.IDLE:
            text = _(
                "You were signed out because you did nothing for %(minutes)s minutes. Sign in again to continue."
            ) % {"minutes": settings.SESSION_IDLE_MINUTES}
        elif reason == sessions.EXPIRED:
            text = _("You were signed out: a sign-in lasts at most %(hours)s hours. Sign in again to continue.") % {
                "hours": settings.SESSION_COOKIE_AGE // 3600
            }
        else:
            text = _("This sign-in did not give the two-factor code. Sign in again here.")
        messages.warning(request, text)
        url = paths["login"]
        if request.method == "GET" and "HX-Request" not in request.headers:
            url += "?" + urlencode({"next": request.get_full_path()})
        return self._redirect(request, url)

    def _redirect(self, request, url: str):
        if "HX-Request" in request.headers:
            # htmx swaps a fragment; this header makes it load the whole page instead.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return HttpResponseRedirect(url)

    def _to_main_login(self, request, home: str | None):
        target = request.GET.get("next") or home or "/"
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = home or "/"
        if request.user.is_authenticated:
            return HttpResponseRedirect(target)
        return HttpResponseRedirect(self.paths()["login"] + "?" + urlencode({"next": target}))
