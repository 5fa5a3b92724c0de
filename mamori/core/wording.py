"""The placeholder language of editable document wordings (文面の差し込み項目).

A wording is plain text with named placeholders in double braces: ``{{会社名}}`` (spaces inside the
braces are allowed: ``{{ 会社名 }}``). Rendering is one pass of string substitution from an explicit
mapping of names to plain values computed by the caller; nothing else in the text has any meaning.
There are no tags, filters, attribute access or expressions: ``{% if %}``, ``{{ obj.__class__ }}`` or
``{{ 会社名|upper }}`` are never executed. A placeholder whose name is not in the mapping is left in
the output as typed; :func:`check` reports such names (and template-engine tags) so that an editing
form can refuse them before they are saved.

Values are strings, integers or dates, formatted here for Japanese documents; any other object is
refused, so that no object graph can be reached from a wording. No Django imports.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

#: ``{{ name }}``: the name is everything between the braces except braces and line breaks.
PLACEHOLDER = re.compile(r"\{\{[ \t\u3000]*([^{}\r\n]*?)[ \t\u3000]*\}\}")
#: Tags and comments of template engines (``{% … %}``, ``{# … #}``): not part of the language.
TAG = re.compile(r"\{%.*?%\}|\{#.*?#\}", re.S)

Value = str | int | dt.date


@dataclass(frozen=True)
class Placeholder:
    """A name an editor may use, what it means (Japanese) and an example of what it becomes."""

    name: str
    description: str
    example: str

    @property
    def token(self) -> str:
        return "{{" + self.name + "}}"


@dataclass(frozen=True)
class Problems:
    """What :func:`check` found: placeholder names not allowed, and template tags (in order, once each)."""

    unknown: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.unknown or self.tags)


def names(text: str) -> list[str]:
    """The placeholder names used in ``text``, in order of first use, each once."""
    return list(dict.fromkeys(m.group(1) for m in PLACEHOLDER.finditer(text)))


def check(text: str, allowed: Iterable[str]) -> Problems:
    allowed = set(allowed)
    tags = tuple(dict.fromkeys(m.group(0) for m in TAG.finditer(text)))
    return Problems(unknown=tuple(n for n in names(text) if n not in allowed), tags=tags)


def format_value(value: Value) -> str:
    """A plain value as it is written in a Japanese document."""
    if isinstance(value, bool):  # a bool is an int: say explicitly what it means instead
        raise TypeError("a placeholder value must be text, a number or a date, not a bool")
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, dt.datetime):
        return f"{value.year}年{value.month}月{value.day}日 {value.hour}時{value.minute:02d}分"
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    raise TypeError(f"a placeholder value must be text, a number or a date, not {type(value).__name__}")


def render(text: str, values: Mapping[str, Value]) -> str:
    """``text`` with every allowed placeholder replaced by its value, in one pass (a value that itself
    looks like a placeholder stays as it is). Unknown placeholders and everything else stay as typed."""
    formatted = {name: format_value(value) for name, value in values.items()}

    def substitute(match: re.Match) -> str:
        return formatted.get(match.group(1), match.group(0))

    return PLACEHOLDER.sub(substitute, text)
