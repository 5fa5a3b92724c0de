"""Error pages (400, 403, 404, 500 and the CSRF failure) in the normal layout, in Japanese, with a way back.

400 and 500 are rendered without the request: no context processors and no database queries,
so that they still work when whatever broke the request (a bad Host header, the database) is
still broken. 403, 404 and the CSRF failure show the usual menu.
"""

from __future__ import annotations

from django.http import (
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotFound,
    HttpResponseServerError,
    JsonResponse,
)
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token


def _api_error(request, status: int, message: str) -> JsonResponse | None:
    """Under /api/ an error is JSON in the API's shape (``{"detail": …}``, docs/openapi.json), not a page."""
    if request is not None and request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status)
    return None


def back_url(request) -> str:
    """Where the visitor came from, if that is a page of this site (never another site)."""
    referer = request.META.get("HTTP_REFERER", "")
    if not referer:
        return ""
    try:
        host = request.get_host()
        here = request.build_absolute_uri()
    except Exception:  # a bad Host header: no way back but the dashboard
        return ""
    if referer == here:
        return ""
    if url_has_allowed_host_and_scheme(referer, allowed_hosts={host}, require_https=request.is_secure()):
        return referer
    return ""


def _plain(status: int) -> str:
    """The last resort when even the template fails."""
    return (
        f'<!doctype html><html lang="ja"><meta charset="utf-8"><title>{status}</title>'
        f"<h1>{status}</h1><p>{_('Something went wrong on our side.')}</p>"
        f'<p><a href="/">{_("Back to the dashboard")}</a></p></html>'
    )


@requires_csrf_token
def bad_request(request, exception=None, template_name="400.html"):
    if api := _api_error(request, 400, _("The request cannot be read.")):
        return api
    try:
        body = loader.get_template(template_name).render({"status": 400})
    except Exception:  # an error page must answer whatever happens
        body = _plain(400)
    return HttpResponseBadRequest(body)


@requires_csrf_token
def permission_denied(request, exception=None, template_name="403.html"):
    if api := _api_error(request, 403, _("Your role in this organization does not allow this.")):
        return api
    context = {"status": 403, "back": back_url(request)}
    return HttpResponseForbidden(loader.get_template(template_name).render(context, request))


@requires_csrf_token
def page_not_found(request, exception=None, template_name="404.html"):
    if api := _api_error(request, 404, _("There is no such API path: see /api/v1/docs.")):
        return api
    context = {"status": 404, "back": back_url(request)}
    return HttpResponseNotFound(loader.get_template(template_name).render(context, request))


@requires_csrf_token
def server_error(request, template_name="500.html"):
    if api := _api_error(request, 500, _("Something went wrong on our side.")):
        return api
    try:
        body = loader.get_template(template_name).render({"status": 500})
    except Exception:  # an error page must answer whatever happens
        body = _plain(500)
    return HttpResponseServerError(body)


def csrf_failure(request, reason="", template_name="403_csrf.html"):
    """The form was sent without a valid security token (expired page, cookies off)."""
    context = {"status": 403, "back": back_url(request)}
    return HttpResponseForbidden(loader.get_template(template_name).render(context, request))
