"""The OpenAPI schema's shared parts: the error body, and the error answers every operation can give."""

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "fields"],
            "properties": {
                "code": {
                    "type": "string",
                    "description": "Stable, for programs: validation_error, parse_error, not_authenticated, "
                    "authentication_failed, permission_denied, not_found, conflict, throttled…",
                },
                "message": {"type": "string", "description": "For people; Vietnamese unless English was chosen."},
                "fields": {
                    "type": "object",
                    "description": "Messages for each refused field; empty when the error is not about fields.",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
        }
    },
}

ERRORS = {
    "400": "Refused parameters or body (see error.fields).",
    "401": "No token, or a token that is wrong, revoked or expired.",
    "403": "The token's account may not do this.",
    "404": "Not found, not visible to this account, or a page past the last.",
    "406": "The client does not accept JSON.",
    "429": "Too many requests; the Retry-After header says when to try again.",
}
WRITE_ERRORS = {
    "409": "The record changed since the version the client sent.",
    "415": "The body is not JSON.",
}
ERROR_REF = {"$ref": "#/components/schemas/Error"}


def only_this_api(endpoints):
    """Preprocessing hook: the endpoints under /api/v1/, not other DRF views of the project."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]


def add_error_responses(result, generator, request, public):
    """Postprocessing hook: the Error component, and its answers on every operation that lacks them."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            errors = dict(ERRORS)
            if method in ("post", "put", "patch"):
                errors.update(WRITE_ERRORS)
            responses = operation.setdefault("responses", {})
            for status, description in errors.items():
                responses.setdefault(
                    status, {"description": description, "content": {"application/json": {"schema": ERROR_REF}}}
                )
    return result
