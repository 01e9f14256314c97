"""One shape for every error the API answers: ``{"error": {"code", "message", "fields"}}``.

``code`` is stable and meant for programs (``validation_error``, ``not_found``…); ``message``
is for people, in Vietnamese unless the client chose English; ``fields`` maps each refused
field to its messages (empty when the error is not about fields).
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler


class Conflict(exceptions.APIException):
    """The record changed since the client read it (its ``version`` is older)."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"

    def __init__(self, *, message: str = "", fields: dict[str, list[str]] | None = None):
        super().__init__(
            message or _("The record was changed by someone else since you read it; read it again, then retry.")
        )
        self.fields = fields or {}


CODES = {
    exceptions.ValidationError: "validation_error",
    exceptions.ParseError: "parse_error",
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
    Conflict: "conflict",
}


def _message(exc: exceptions.APIException, code: str) -> str:
    if code == "validation_error":
        return _("Some values were refused; see each field.")
    if code == "parse_error":
        return _("The request body could not be read: send valid JSON.")
    if code == "not_authenticated":
        return _("This needs an API token: send the header “Authorization: Token <key>”.")
    if code == "authentication_failed":
        return _("The API token is not valid: it is wrong, revoked or expired, or its account is disabled.")
    if code == "permission_denied":
        return _("Your account may not do this.")
    if code == "not_found":
        return _("Not found, or not visible to you.")
    if code == "method_not_allowed":
        return _("The method %(method)s is not allowed here.") % {"method": exc.args[0] if exc.args else ""}
    if code == "not_acceptable":
        return _("This address answers only JSON.")
    if code == "unsupported_media_type":
        return _("Send the request body as JSON (Content-Type: application/json).")
    if code == "conflict":
        return str(exc.detail)
    if code == "throttled":
        wait = int(exc.wait or 1)
        return ngettext(
            "Too many requests; try again in %(n)s second.", "Too many requests; try again in %(n)s seconds.", wait
        ) % {"n": wait}
    return str(exc.detail)


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as {"field" or "field.sub": [messages]}."""
    if isinstance(detail, dict):
        fields: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            fields.update(_flatten(value, name))
        return fields
    if isinstance(detail, list) and detail and all(isinstance(d, (dict, list)) for d in detail):
        fields = {}
        for i, value in enumerate(detail):
            fields.update(_flatten(value, f"{prefix}.{i}" if prefix else str(i)))
        return fields
    items = detail if isinstance(detail, list) else [detail]
    return {prefix or "non_field_errors": [str(item) for item in items]}


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def exception_handler(exc, context):
    """DRF's handler, with Django's own exceptions mapped and every body in the one shape."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=as_serializer_error(exc))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a bug: Django's 500 page, and the traceback in the log
    code = next((c for cls, c in CODES.items() if type(exc) is cls), None)
    code = code or next((c for cls, c in CODES.items() if isinstance(exc, cls)), "error")
    fields = {}
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        # A refusal that names no field (a rule across fields) is the message itself.
        general = fields.pop("non_field_errors", None)
        message = " ".join(general) if general and not fields else _message(exc, code)
        if general and fields:
            fields["non_field_errors"] = general
    else:
        message = _message(exc, code)
        fields = getattr(exc, "fields", {})
    response.data = error_body(code, message, fields)
    return response


@csrf_exempt
def not_found(request, *args, **kwargs):
    """Any address under /api/v1/ that is not an endpoint: JSON, like every other API answer."""
    return JsonResponse(error_body("not_found", _("There is no such address in the API.")), status=404)
