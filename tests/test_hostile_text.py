"""Hostile text in every free-text field of every model is shown as text, never run as markup.

Each text field of each object of the demo organization is overwritten with a hostile string
(closing a script element, an image with onerror, htmx attributes, Django template syntax), as an
editor, an imported file or a vendor on the portal could store it; then every page that renders
HTML — for a member and for the vendor on the portal — must show it escaped. A new model or
field is covered the day it is added.
"""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.db import models
from django.test import Client

from mamori.checksheets.models import OPEN_STATES, Recipient
from mamori.platform.tenancy.models import OrgOwned, Role
from tests.routes import fill, has_identifier, is_token_route, likely_first, org_ids, walk

pytestmark = pytest.mark.django_db

# The marker tag that must never reach a page unescaped, in strings of decreasing length so that
# short fields get one too.
HOSTILE = [
    '</script><mmrx hx-post="/settings/members/" hx-vals=\'{"email":"evil@attacker.example",'
    '"role":"owner"}\' hx-trigger=load></mmrx>"><mmrx src=x onerror=alert(1)>{{ request.user }}{% now \'Y\' %}',
    "</script><mmrx onerror=alert(1)>{% now 'Y' %}",
    '"><mmrx onerror=x>{{ x }}',
    "<mmrx>",
]
# Text fields that are keys, not text: changing them would only break the lookup they serve.
KEYS = {
    "slug",
    "lookup",
    "nonce",
    "token_hash",
    "key_hash",
    "session_salt",
    "totp_secret",
    "question",
    "builtin_key",
    "prev_hash",
    "hash",
    "sha256",
    "document_sha256",
    "trail_head",
    "timeline_head",
    "request_id",
    "week",
    "key",
    "kind",
    "object_id",
    "object_type",
    "file",
    "document",
    "email",
}
UNESCAPED = re.compile(r"<mmrx|<\\/script><mmrx|hx-vals='\{\"email\":\"evil")


def hostile_for(field: models.Field) -> str | None:
    limit = getattr(field, "max_length", None) or 10_000
    return next((h for h in HOSTILE if len(h) <= limit), None)


def poison(org) -> int:
    """Overwrite every free-text field of every object of the organization; the number of fields."""
    count = 0
    for model in apps.get_models():
        if not issubclass(model, OrgOwned):
            continue
        fields = {}
        for f in model._meta.concrete_fields:
            if (
                isinstance(f, models.CharField | models.TextField)
                and not f.choices
                and f.name not in KEYS
                and f.name not in getattr(model, "trail_exclude", ())
                and hostile_for(f)
            ):
                fields[f.name] = hostile_for(f)
        if fields and model.objects.filter(organization=org).exists():
            model.objects.filter(organization=org).update(**fields)  # as stored; no save() rules
            count += len(fields)
    return count


def test_hostile_text_in_every_field_is_escaped_on_every_page(demo):
    org = demo.org
    recipient = Recipient.objects.filter(organization=org, assessment__state__in=OPEN_STATES).first()
    assert recipient is not None, "the demo organization has a check sheet out"
    recipient.new_link()
    recipient.save()
    portal_token = recipient.token
    assert poison(org) > 40

    owner = Client()
    owner.force_login(demo.users[Role.OWNER])
    ids = org_ids(org, per_kind=40)
    pages = 0
    problems = []
    for route, name, _view in walk():
        if route.startswith("api/") or is_token_route(name) or name in {"accounts:logout", "set_language"}:
            continue
        candidates = likely_first(route, ids) if has_identifier(route) else [""]
        for i, value in enumerate(candidates):
            response = owner.get(fill(route, value, name))
            if response.status_code < 400 or (response.status_code == 405 and i >= 2):
                break
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        pages += 1
        html = response.content.decode()
        if UNESCAPED.search(html):
            problems.append(name)
    portal = Client()
    for path in ("", "excel/"):
        response = portal.get(f"/p/{portal_token}/{path}")
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            pages += 1
            if UNESCAPED.search(response.content.decode()):
                problems.append(f"portal {path}")
    assert pages > 40
    assert not problems, f"hostile text rendered as markup on: {problems}"
