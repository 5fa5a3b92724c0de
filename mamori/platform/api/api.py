"""The REST API at /api/v1: one NinjaAPI, JSON errors people can act on. The routers are owned by the
apps, which mount them with :func:`mamori.platform.registry.register_api` when they start."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from mamori.core.appi import FactsError
from mamori.core.jnsa import EstimateError
from mamori.platform import registry
from mamori.platform.accounts import throttle
from mamori.platform.accounts.models import ApiToken
from mamori.platform.actor import client_ip
from mamori.platform.api.errors import ERROR_SCHEMA, error_response, operation_errors
from mamori.platform.rules import RuleError
from mamori.platform.tenancy.models import Membership


class TooManyGuesses(Exception):
    pass


class BearerToken(HttpBearer):
    """``Authorization: Bearer mmr_…``: sets the user, organization and membership of the token."""

    def authenticate(self, request, token):
        # The token is checked first: a valid one is always accepted, whatever the address did. Only
        # failures count against the client address; over the limit a wrong token gets 429.
        api_token = ApiToken.authenticate(token)
        membership = None
        if api_token is not None:
            # One membership per user and organization; its organization is the token's, already read.
            membership = (
                Membership.objects.filter(
                    user_id=api_token.user_id, organization_id=api_token.organization_id
                )
                .order_by("pk")
                .first()
            )
            if membership is not None:
                membership.organization = api_token.organization
        if api_token is None or membership is None:
            if not throttle.API_TOKEN_GUESS_PER_IP.consume(client_ip(request)):
                raise TooManyGuesses
            return None
        _note_use(api_token)
        request.user = api_token.user
        request.org = membership.organization
        request.membership = membership
        request.api_token = api_token
        return api_token


LAST_USED_EVERY = dt.timedelta(minutes=5)


def _note_use(api_token: ApiToken) -> None:
    """Keep ``last_used_at`` to within :data:`LAST_USED_EVERY`: a write at most once per window and
    token (not one per call, which kept SQLite's write lock busy under load). The UPDATE is
    conditional, so parallel calls write it once."""
    now = timezone.now()
    stale = now - LAST_USED_EVERY
    if api_token.last_used_at is not None and api_token.last_used_at >= stale:
        return
    ApiToken.objects.filter(pk=api_token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=stale)
    ).update(last_used_at=now)


class MamoriAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """ninja's document, completed with every error each operation can answer (one schema)."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema["components"].setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        for path, operations in schema["paths"].items():
            for operation in operations.values():
                responses = operation["responses"]
                for status in operation_errors(path, operation):
                    responses.setdefault(status, error_response(status))
                operation["responses"] = dict(sorted(responses.items(), key=lambda kv: int(kv[0])))
        return schema

    def get_openapi_operation_id(self, operation) -> str:
        """``<app>_api_<function>``, as before the platform package existed (clients keep their names)."""
        module = operation.view_func.__module__.replace("mamori.platform.", "mamori.")
        return f"{module}_{operation.view_func.__name__}".replace(".", "_")


api = MamoriAPI(
    title="Mamori API",
    version="1",
    description="Mamori REST API. Authenticate with a personal API token: `Authorization: Bearer mmr_…`.",
    auth=BearerToken(),
    urls_namespace="api",
    docs_url="/docs",
)


def _error(request, status: int, message: str, **extra):
    return api.create_response(request, {"detail": message, **extra}, status=status)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return _error(
        request,
        401,
        _(
            "Send a valid API token as 'Authorization: Bearer mmr_…'. "
            "Create one under アカウント or with 'mamori token create'."
        ),
    )


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    if exc.status_code == 400:  # ninja's "Cannot parse request body"
        return _error(request, 400, _("The request body is not valid JSON."))
    return _error(request, exc.status_code, str(exc))


@api.exception_handler(TooManyGuesses)
def on_too_many(request, exc):
    return _error(request, 429, _("Too many requests with invalid tokens from this address. Wait a minute."))


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _error(request, 404, _("Not found in your organization. Check the identifier."))


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc):
    return _error(request, 403, _("Your role in this organization does not allow this."))


@api.exception_handler(ValidationError)
def on_invalid(request, exc):
    return _error(
        request, 422, _("The request is not valid: see 'errors' for what to fix."), errors=exc.errors
    )


@api.exception_handler(FactsError)
@api.exception_handler(EstimateError)
def on_bad_facts(request, exc):
    return _error(
        request, 422, _("The request is not valid: see 'errors' for what to fix."), errors=exc.errors
    )


@api.exception_handler(RuleError)
def on_refused(request, exc):
    """A business rule refused the input: the same words as on the page, per field in 'errors'."""
    return _error(request, 422, str(exc), errors=exc.errors)


from mamori.platform.api.crud import FormInvalid  # noqa: E402
from mamori.platform.api.law import router as law_router  # noqa: E402

api.add_router("", law_router)
for _prefix, _router in registry.api_routers:
    api.add_router(_prefix, _router)
registry.api_mounted = True


@api.exception_handler(FormInvalid)
def on_form_invalid(request, exc):
    return _error(
        request, 422, _("The request is not valid: see 'errors' for what to fix."), errors=exc.errors
    )
