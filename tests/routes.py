"""The routes of the URL resolver, for the walkers (cross-organization, pages by role, hostile text).

Routes are read from Django's URL resolver, so a new route is covered by every walker the day it is
added.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from mamori.platform.tenancy.models import Organization, OrgOwned

# Routes keyed by a secret token rather than an object identifier; tested in their own files.
TOKEN_ROUTES = {"accounts:password_reset_confirm", "accounts:accept_invitation", "calendar_feed"}
PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
# Path parameters that are not identifiers, with a value to use.
KNOWN = {"fmt": "csv", "kind": "vendors", "op": "revoke"}
# Routes whose non-identifier parameter needs another value than KNOWN gives.
KNOWN_BY_ROUTE = {
    "incident_document": {"kind": "qa", "fmt": "html"},
    "incident_wording": {"kind": "qa"},
    "api:document": {"kind": "qa"},
    "incident_timeline": {"fmt": "csv"},
}


def is_token_route(name: str) -> bool:
    """Routes keyed by a secret link, not an identifier (tested in their own files)."""
    return name in TOKEN_ROUTES or name.startswith("portal:")


def walk(patterns=None, prefix="", namespace=""):
    """(route, name, view) of every URL pattern."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), f"{namespace}{p.name}", p.callback


def fill(route: str, value: str, name: str = "", known: dict | None = None) -> str:
    known = {**KNOWN, **KNOWN_BY_ROUTE.get(name, {}), **(known or {})}
    return "/" + PARAM.sub(lambda m: known.get(m.group(2), value), route)


def has_identifier(route: str) -> bool:
    return any(m.group(2) not in KNOWN for m in PARAM.finditer(route))


def org_ids(org: Organization, per_kind: int = 1) -> list[tuple[str, str]]:
    """(kind, identifier) of the organization and of the newest objects of every kind (the newest
    of every kind first, then up to ``per_kind`` of each)."""
    ids = [("Organization", str(org.uuid))]
    more = []
    for model in apps.get_models():
        if issubclass(model, OrgOwned):
            rows = model.objects.filter(organization=org).order_by("-pk").values_list("uuid", flat=True)
            rows = [str(u) for u in rows[:per_kind]]
            ids += [(model.__name__, u) for u in rows[:1]]
            more += [(model.__name__, u) for u in rows[1:]]
    return ids + more


def _words(text: str) -> set[str]:
    return {w.rstrip("s") for w in re.split(r"[^a-z]+", text.lower()) if len(w) > 2}


def likely_first(route: str, ids: list[tuple[str, str]]) -> list[str]:
    """The identifiers ordered so that the kinds named in the route's path come first
    (``audits/findings/<uuid>/`` tries a finding first): the route's own kind is usually found at
    the first try, and every other kind stays as a fallback."""
    segment = PARAM.split(route)[0]
    named = _words(segment.rstrip("/").split("/")[-1] if segment.strip("/") else "")
    path_words = _words(segment)

    def rank(item):
        kind = item[0].lower()
        return (
            not any(w in kind or kind.startswith(w) for w in named),
            not any(w in kind for w in path_words),
        )

    return [value for _kind, value in sorted(ids, key=rank)]


class VisibleText(HTMLParser):
    """The text a person sees: text nodes outside script/style/template, plus the attributes a
    browser shows (placeholder, title, aria-label, alt, value of buttons)."""

    SHOWN_ATTRS = {"placeholder", "title", "aria-label", "alt"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style", "template"}:
            self._hidden += 1
        for name, value in attrs:
            if value and (
                name in self.SHOWN_ATTRS
                or (
                    tag in {"button", "input"}
                    and name == "value"
                    and dict(attrs).get("type") in {"submit", "button"}
                )
            ):
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in {"script", "style", "template"} and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return "\n".join(parser.parts)
