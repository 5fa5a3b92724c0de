"""The one mechanism that scopes every page and API call to the current organization.

* :class:`CurrentOrganizationMiddleware` (pages) and the API token auth (API) set
  ``request.org`` and ``request.membership`` from a verified membership, never from input.
* :func:`org_view` guards a view: signed in, member of the current organization, role allows.
* :func:`scoped` is the only way views and routes obtain a queryset of domain objects, and
  :func:`get_scoped` the only way they fetch one object: a foreign identifier is a 404.
* :func:`save_scoped` saves inside a transaction, re-checks that the saved object is still in
  the request's organization and rolls back otherwise (NetBox ``ObjectEditView.post``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404, HttpRequest
from django.shortcuts import redirect

from mamori.platform.tenancy.models import Membership, OrgOwned, Perm

M = TypeVar("M", bound=OrgOwned)


class OutsideOrganization(PermissionDenied):
    """Raised when a saved object turns out not to belong to the request's organization."""


def current_membership(request: HttpRequest) -> Membership | None:
    return getattr(request, "membership", None)


def require(request: HttpRequest, perm: str) -> Membership:
    membership = current_membership(request)
    if membership is None:
        raise Http404
    if not membership.allows(perm):
        raise PermissionDenied
    return membership


def scoped(request: HttpRequest, model: type[M]) -> models.QuerySet[M]:
    return model.objects.for_org(getattr(request, "org", None))


def get_scoped(request: HttpRequest, model: type[M], **lookup) -> M:
    try:
        return scoped(request, model).get(**lookup)
    except (
        model.DoesNotExist,
        ValueError,
        ValidationError,
        model.MultipleObjectsReturned,
    ):  # a malformed uuid
        raise Http404


def recheck(request: HttpRequest, obj: OrgOwned) -> None:
    org = getattr(request, "org", None)
    if org is None or obj.organization_id != org.id:
        raise OutsideOrganization("object is outside the current organization")
    # Re-read from the database: what was stored, not what the form set on the instance.
    if not type(obj).objects.filter(pk=obj.pk, organization=org).exists():
        raise OutsideOrganization("object is outside the current organization")


def save_scoped(request: HttpRequest, save: Callable[[], M]) -> M:
    """Run ``save`` in a transaction and re-check the object is in the request's organization."""
    with transaction.atomic():
        obj = save()
        recheck(request, obj)
        return obj


def org_view(perm: str = Perm.VIEW):
    """Decorator for page views: signed in, a member of the current organization, role allows."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            if current_membership(request) is None:
                return redirect("web:no_organization")
            require(request, perm)
            return view(request, *args, **kwargs)

        wrapper.org_perm = perm  # type: ignore[attr-defined]  # read by the page walker
        return wrapper

    return decorator
