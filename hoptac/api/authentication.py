"""API tokens in the ``Authorization`` header: ``Token <key>`` (or ``Bearer <key>``)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from .models import ApiToken, key_hash
from .services import token_touch

KEYWORDS = (b"token", b"bearer")


class TokenAuthentication(BaseAuthentication):
    """The user whose usable token the request carries; no header means anonymous."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token header.")) from None
        token = ApiToken.objects.usable().select_related("user").filter(key_hash=key_hash(key)).first()
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        token_touch(token)
        return token.user, token

    def authenticate_header(self, request) -> str:
        # Makes a missing or bad token a 401 (with this challenge), not a 403.
        return 'Token realm="api"'


class TokenScheme(OpenApiAuthenticationExtension):
    """How the schema (and Swagger UI's "Authorize" button) describes the token."""

    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Authorization: Token <key> (or Bearer <key>); tokens are created at /api/v1/tokens/.",
        }
