from __future__ import annotations

import uuid

from django.shortcuts import redirect
from django.urls import reverse

from mamori.accounts.models import User


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
