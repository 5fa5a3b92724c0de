from __future__ import annotations

import uuid

from django.shortcuts import redirect
from django.urls import reverse

from mamori.platform.accounts.models import User


class LanguageMiddleware:
    """Japanese screens unless the user chose another language (the cookie set by /i18n/setlang/).

    Unlike Django's LocaleMiddleware, the browser's Accept-Language is not followed: Mamori is a
    Japanese product whose users sometimes run English browsers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class SetupRedirectMiddleware:
    """While no user exists, every page leads to the first-run setup page (and only then)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.has_users = False

    def __call__(self, request):
        request.request_id = uuid.uuid4().hex
        if not self.has_users:
            self.has_users = User.objects.exists()
        if not self.has_users:
            setup = reverse("web:setup")
            path = request.path
            if path != setup and not path.startswith(("/static/", "/api/", "/i18n/")):
                return redirect(setup)
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response


class UploadLimitMiddleware:
    """Refuse a request body larger than MAMORI_MAX_UPLOAD_MB (plus room for the form's other
    fields) from its Content-Length, before anything reads it: 413 with a Japanese message."""

    SLACK = 1024 * 1024  # multipart boundaries and the form's other fields

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.http import HttpResponse
        from django.utils.html import escape
        from django.utils.translation import gettext as _

        limit = settings.MAMORI_MAX_UPLOAD_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit + self.SLACK:
            message = _("The file is larger than %(mb)s MB.") % {"mb": limit // 2**20}
            if request.path.startswith("/api/"):  # the API's error shape (docs/openapi.json)
                from django.http import JsonResponse

                refused = JsonResponse({"detail": message}, status=413)
                refused["Connection"] = "close"
                return refused
            body = (
                f'<!doctype html><html lang="ja"><meta charset="utf-8"><title>413</title>'
                f"<h1>413</h1><p>{escape(message)}</p>"
                f'<p><a href="/">{escape(_("Back to the dashboard"))}</a></p></html>'
            )
            response = HttpResponse(body, status=413, content_type="text/html; charset=utf-8")
            response["Connection"] = "close"
            return response
        return self.get_response(request)


class RefuseNulMiddleware:
    """A NUL character (``\\x00``) in a query parameter is refused before any view runs: PostgreSQL
    cannot store or compare it (a 500), and no real value contains one. The API answers 422 in its
    JSON shape, a page 400."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()):
            from django.http import HttpResponseBadRequest, JsonResponse
            from django.utils.translation import gettext as _

            message = _("A parameter contains a NUL character (\\x00): remove it.")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=422)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


PORTAL_PREFIX = "/p/"


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on what a signed-in user sees, on the API and on the vendor portal
    (its link is the vendor's key): no browser or proxy keeps a copy of personal or vendor data."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.path.startswith(("/api/", PORTAL_PREFIX)):
            from django.utils.cache import patch_cache_control

            patch_cache_control(response, no_store=True)
        return response
