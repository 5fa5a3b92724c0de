"""Events stored as a code and parameters, put into words in the reader's language when read.

A trail or timeline entry that the system writes ("the incident was closed", "a deletion that came
with another") stores a stable code (``incident.closed``) and plain JSON parameters (numbers, ISO
dates, names as captured, codes such as a document kind), never a sentence in the language that
happened to be active. Each app registers the wording of its codes here, in its
``AppConfig.ready()``; the platform renders an entry with :func:`render` (gettext, so the reader's
language) without knowing the app.

An entry stored before codes existed has no code: its stored text is shown as it was written.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import pgettext

Renderer = Callable[[Mapping[str, Any]], str]

_catalogue: dict[str, Renderer] = {}


def plain(value: Any) -> str:
    """A parameter as text: numbers with thousands separators, lists joined, nothing as a dash."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, list | tuple):
        return join(plain(v) for v in value)
    return str(value)


def join(parts) -> str:
    # Translators: the separator of a list of names in a sentence (Japanese: 、).
    return pgettext("list separator", ", ").join(str(p) for p in parts)


class _Values(dict):
    """Formatting values: a parameter the entry lacks shows as a dash instead of failing."""

    def __missing__(self, key):
        return "—"


@dataclass(frozen=True)
class Message:
    """The wording of one code: a lazily translated template with ``%(name)s`` placeholders, and
    how to show parameters that are themselves codes (a document kind → its label)."""

    template: Promise | str
    convert: dict[str, Callable[[Any], str]] = field(default_factory=dict)

    def __call__(self, params: Mapping[str, Any]) -> str:
        values = _Values({k: self.convert.get(k, plain)(v) for k, v in params.items()})
        return str(self.template) % values


def register(entries: Mapping[str, Renderer]) -> None:
    """Add an app's codes (``"incidents.closed": Message(...)`` or any ``params → text`` function).
    Codes start with the app's label, so two apps cannot claim the same one."""
    for code, renderer in entries.items():
        if _catalogue.get(code, renderer) is not renderer:
            raise ValueError(f"the event code {code!r} is registered twice")
        _catalogue[code] = renderer


def knows(code: str) -> bool:
    return code in _catalogue


def render(code: str, params: Mapping[str, Any] | None = None) -> str:
    """The entry in the active language; an unknown code as itself with its parameters."""
    params = params if isinstance(params, Mapping) else {}
    renderer = _catalogue.get(code)
    if renderer is None:
        return f"{code} {json.dumps(params, ensure_ascii=False, sort_keys=True)}" if params else code
    return renderer(params)


def render_for_record(code: str, params: Mapping[str, Any] | None = None) -> str:
    """The entry in the product's language (``LANGUAGE_CODE``), whoever wrote it: the copy kept
    beside the code where a stored text column must stay filled (the incident timeline)."""
    with translation.override(settings.LANGUAGE_CODE):
        return render(code, params)
