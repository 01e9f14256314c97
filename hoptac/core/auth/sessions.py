"""How long a sign-in lasts: an idle timeout and an absolute one, and who the client is.

The session's expiry date moves forward whenever the session is saved, so
SESSION_COOKIE_AGE alone would never end a session that is in use: the time of sign-in is
kept in the session and checked on every request.
"""

import time

from django.conf import settings

LOGIN_AT = "hoptac_login_at"
LAST_SEEN = "hoptac_last_seen"
# Saving the session on every request would write to the database on every page; a minute's
# precision is enough for a timeout counted in tens of minutes.
LAST_SEEN_PRECISION = 60

IDLE = "idle"
EXPIRED = "expired"


def session_start(session) -> None:
    """Note the time of a sign-in (called when a user signs in)."""
    now = int(time.time())
    session[LOGIN_AT] = now
    session[LAST_SEEN] = now


def session_timeout(session) -> str | None:
    """Why this signed-in session must end now (IDLE or EXPIRED), or None; notes the activity."""
    now = int(time.time())
    login_at = session.get(LOGIN_AT)
    last_seen = session.get(LAST_SEEN)
    if login_at is None or last_seen is None:
        # Signed in before these keys existed: count from now.
        session_start(session)
        return None
    if now - login_at > settings.SESSION_COOKIE_AGE:
        return EXPIRED
    idle = settings.SESSION_IDLE_MINUTES * 60
    if idle and now - last_seen > idle:
        return IDLE
    if now - last_seen >= LAST_SEEN_PRECISION:
        session[LAST_SEEN] = now
    return None


def client_ip(request) -> str | None:
    """The client's address, for lockouts and the audit.

    Behind a reverse proxy every request comes from the proxy: then the address the
    proxies recorded is used, counting API_NUM_PROXIES from the right of X-Forwarded-For
    (the same rule as the API's throttling); the header is not trusted otherwise.
    """
    proxies = settings.REST_FRAMEWORK.get("NUM_PROXIES") or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if proxies and forwarded:
        addresses = [a.strip() for a in forwarded.split(",") if a.strip()]
        if addresses:
            return addresses[-min(proxies, len(addresses))]
    return request.META.get("REMOTE_ADDR")
