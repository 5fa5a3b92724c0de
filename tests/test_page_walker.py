"""Every page of the product, opened by every role on a realistic organization.

Routes are read from the URL resolver (``tests/routes.py``), so a page is walked the day it is
added: as owner, admin, editor, viewer and auditor, each page answers 200/302 when the role allows
it and 403 when it does not, never 500, and no page shows raw codes — Python lists, model labels
such as ``vendors.vendor``, ``None``, actor labels such as ``web:…``, or English model names — in
the Japanese interface.
"""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import translation

from mamori.platform.tenancy.models import OrgOwned, Role, role_allows
from tests.routes import fill, has_identifier, is_token_route, likely_first, org_ids, visible_text, walk

pytestmark = pytest.mark.django_db

ROLES = [Role.OWNER, Role.ADMIN, Role.EDITOR, Role.VIEWER, Role.AUDITOR]
# Pages that are not part of a signed-in member's walk (each has its own tests).
NOT_WALKED = {
    "web:setup",  # gone (404) once a user exists
    "accounts:logout",
    "accounts:sign_out_everywhere",
    "accounts:login",
    "accounts:login_otp",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_complete",
    "set_language",
    "web:job",  # a file being read, shown only to who uploaded it (tests/test_file_jobs.py)
}
HTML = "text/html"


def page_routes():
    for route, name, view in walk():
        if route.startswith("api/") or is_token_route(name) or name in NOT_WALKED:
            continue
        yield route, name, view


def _english_names() -> list[str]:
    names = set()
    with translation.override("en"):
        for model in [*apps.get_models()]:
            if issubclass(model, OrgOwned) or model is get_user_model():
                names.add(str(model._meta.verbose_name))
                names.add(str(model._meta.verbose_name_plural))
    return sorted((n for n in names if n and not re.search(r"[^\x00-\x7f]", n)), key=len, reverse=True)


def raw_codes(text: str) -> list[str]:
    """Developer text that must never reach a person reading the Japanese interface."""
    labels = {m._meta.label_lower for m in apps.get_models()}
    patterns = [
        r"\[['\"]",  # a Python list
        r"\{['\"]",  # a Python dict
        r"\bNone\b",
        r"\b(?:True|False)\b",
        r"\b(?:web|api|cli|worker|system|test|portal):[\w.@+-]",  # an actor label
        *(r"\b" + re.escape(label) + r"\b" for label in labels),
        *(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])" for name in _english_names()),
    ]
    found = []
    for pattern in patterns:
        for m in re.finditer(pattern, text, flags=re.IGNORECASE if pattern.startswith("(?<!") else 0):
            found.append(text[max(0, m.start() - 30) : m.end() + 30].replace("\n", " "))
    return found


def discover(client: Client, ids, route: str, name: str) -> tuple[str | None, int]:
    """The identifier that opens the route for the owner (GET), or None and the status every
    identifier got (405 for a route that only takes POST)."""
    if not has_identifier(route):
        return "", client.get(fill(route, "", name)).status_code
    statuses = []
    for value in likely_first(route, ids):
        status = client.get(fill(route, value, name)).status_code
        if status < 400:
            return value, status
        statuses.append(status)
        if statuses[:3] == [405, 405, 405]:  # a route that only takes POST
            break
    return None, max(statuses)


def test_every_page_for_every_role_on_the_demo_organization(demo):
    ids = org_ids(demo.org, per_kind=40)
    clients = {}
    for role in ROLES:
        clients[role] = Client()
        clients[role].force_login(demo.users[role])
    owner = clients[Role.OWNER]
    problems = []
    walked = 0
    for route, name, view in page_routes():
        value, status = discover(owner, ids, route, name)
        if value is None or status == 405:
            # A route that only takes POST (its form lives on another page).
            assert status == 405, f"{name}: no object of the demo organization opens it ({status})"
            continue
        path = fill(route, value, name)
        perm = getattr(view, "org_perm", None)
        for role in ROLES:
            response = clients[role].get(path)
            walked += 1
            code = response.status_code
            allowed = perm is None or role_allows(role, perm)
            if code >= 500 or code not in (200, 302, 403):
                problems.append(f"{role} GET {path} ({name}) -> {code}")
                continue
            if allowed and code == 403:
                problems.append(f"{role} GET {path} ({name}) -> 403, but the role allows {perm}")
            if not allowed and code != 403:
                problems.append(f"{role} GET {path} ({name}) -> {code}, but the role lacks {perm}")
            if code == 200 and response.get("Content-Type", "").startswith(HTML):
                for snippet in raw_codes(visible_text(response.content.decode())):
                    problems.append(f"{role} {path} ({name}) shows a raw code: …{snippet}…")
    assert walked > 300
    assert not problems, "\n".join(sorted(set(problems)))
