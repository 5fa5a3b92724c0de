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


ISO_DATE = r"(?<![\w/-])\d{4}-\d{2}-\d{2}(?![\w/-])"  # one date format per language: 年月日 / "Nov. 25, 2026"
UNGROUPED = r"(?<![\d,.])\d{5,}(?=\s*(?:人|件|名|円|社|people|persons|records)\b)"  # 12000人, not 12,000人


# Pages exempt from the date check (none: the incident timeline now writes times in the language's
# format too).
DATES_ELSEWHERE: set[str] = set()


def raw_codes(text: str, lang: str = "ja", dates: bool = True) -> list[str]:
    """Developer text that must never reach a person reading the interface (Japanese or English):
    the codes below in both languages; ISO dates and numbers without separators; English model
    names in Japanese mode."""
    dated = [ISO_DATE] if dates else []
    if lang == "en":
        return _found(text, [*_common_patterns(), *dated, UNGROUPED])
    return _found(
        text,
        [
            *_common_patterns(),
            *dated,
            UNGROUPED,
            *(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])" for name in _english_names()),
        ],
    )


def lowercase_labels(html: str) -> list[str]:
    """English mode: a label or column heading that is a bare field name (``name``, ``vendor``)."""
    return [
        m.group(1)
        for m in re.finditer(r"<(?:th|label|dt)\b[^>]*>\s*([a-z][a-z_ ]{1,40}?)\s*(?:<|$)", html)
        if m.group(1).strip()
    ]


def _common_patterns() -> list[str]:
    labels = {m._meta.label_lower for m in apps.get_models()}
    return [
        r"\[['\"]",  # a Python list
        r"\{['\"]",  # a Python dict
        r"\bNone\b(?!\s+yet)",  # Python's None (not the English "None yet.")
        r"\b(?:True|False)\b",
        r"\b(?:web|api|cli|worker|system|test|portal):[\w.@+-]",  # an actor label
        *(r"\b" + re.escape(label) + r"\b" for label in labels),
    ]


def _found(text: str, patterns: list[str]) -> list[str]:
    found = []
    for pattern in patterns:
        for m in re.finditer(pattern, text, flags=re.IGNORECASE if pattern.startswith("(?<![\\w-])") else 0):
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
                text = visible_text(response.content.decode())
                for snippet in raw_codes(text, "ja", dates=name not in DATES_ELSEWHERE):
                    problems.append(f"{role} {path} ({name}) shows a raw code: …{snippet}…")
    assert walked > 300
    assert not problems, "\n".join(sorted(set(problems)))


def test_english_mode_shows_no_raw_code_on_the_demo_organization(demo, settings):
    """The same walk in English (owner): no raw code, no ISO date, no number without separators,
    no lowercase field name as a label or heading."""
    ids = org_ids(demo.org, per_kind=40)
    owner = Client()
    owner.force_login(demo.owner)
    owner.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    problems = []
    walked = 0
    for route, name, _view in page_routes():
        value, status = discover(owner, ids, route, name)
        if value is None or status == 405:
            continue
        path = fill(route, value, name)
        response = owner.get(path)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith(HTML):
            continue
        walked += 1
        html = response.content.decode()
        assert response["Content-Language"] == "en"
        for snippet in raw_codes(visible_text(html), "en", dates=name not in DATES_ELSEWHERE):
            problems.append(f"{path} ({name}) shows a raw code: …{snippet}…")
        for label in lowercase_labels(html):
            problems.append(f"{path} ({name}) labels a field with its code: {label!r}")
    assert walked > 50
    assert not problems, "\n".join(sorted(set(problems)))
