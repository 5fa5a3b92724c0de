"""The one error shape of the API, ``{"detail": …, "errors": …}``, as the OpenAPI document lists it:
every operation documents every error status it can answer (see :func:`operation_errors`), a route
that answers more (a 409) says so with ``openapi_extra=error_responses(409)``."""

from __future__ import annotations

ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "description": "Every error: what is wrong and what to do (in Japanese by default).",
    "properties": {
        "detail": {"title": "Detail", "type": "string"},
        "errors": {
            "title": "Errors",
            "description": "422: the problems, per field (as on the page) or as a list of pydantic errors",
        },
    },
    "required": ["detail"],
}

ERROR_DESCRIPTIONS = {
    400: "The request cannot be read (a body that is not JSON)",
    401: "No valid API token",
    403: "The role in the token's organization does not allow this",
    404: "Not found in the token's organization",
    409: "Refused in the current state (see detail)",
    413: "The body is larger than MAMORI_MAX_UPLOAD_MB",
    422: "A parameter or field is not valid: see errors",
    429: "Too many requests with invalid tokens from this address",
}


def error_response(status: int) -> dict:
    return {
        "description": ERROR_DESCRIPTIONS[status],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def error_responses(*statuses: int) -> dict:
    """``openapi_extra`` of a route that answers more than every route does (e.g. 409)."""
    return {"responses": {status: error_response(status) for status in statuses}}


def operation_errors(path: str, operation: dict) -> list[int]:
    """The errors every operation can answer: a bad or missing token (401, 429), a role that does
    not allow it (403), an invalid parameter (422, also a NUL character in any query), an unreadable
    body (400); an object in the path or the body may not exist (404); a body may be too large (413)."""
    statuses = [400, 401, 403, 422, 429]
    has_body = "requestBody" in operation
    if "{" in path or has_body:
        statuses.append(404)
    if has_body:
        statuses.append(413)
    return sorted(statuses)
