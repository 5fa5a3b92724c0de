"""Business rules and their refusals, one shape for every door.

A domain app checks its rules in its actions (through a small ``rules`` module next to them) and
raises :class:`RuleError` with the messages per field. A page shows them on its form
(:func:`add_to_form`) or as messages; the API answers 422 with the same messages
(:mod:`mamori.platform.api.api`): the page and the API refuse the same input in the same words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

#: The key of a refusal that concerns the input as a whole rather than one field.
WHOLE = "__all__"


class RuleError(ValueError):
    """The input breaks a business rule: ``errors`` maps a field to its messages (translated)."""

    def __init__(self, errors: Mapping[str, Iterable[object]]):
        self.errors: dict[str, list[str]] = {
            field: [str(m) for m in messages] for field, messages in errors.items()
        }
        self.errors = {field: messages for field, messages in self.errors.items() if messages}
        super().__init__(" ".join(self.messages))

    @property
    def messages(self) -> list[str]:
        return [m for messages in self.errors.values() for m in messages]


class Refusals:
    """Collects what several rules refuse, so that all of it is reported at once."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: object) -> None:
        self.errors.setdefault(field, []).append(str(message))

    def raise_any(self) -> None:
        if self.errors:
            raise RuleError(self.errors)


def add_to_form(form, exc: RuleError, fields: Mapping[str, str] | None = None) -> None:
    """Show a refusal on a bound form: each message on its field (renamed through ``fields``) when
    the form has that field, otherwise on the form as a whole."""
    for field, messages in exc.errors.items():
        name = (fields or {}).get(field, field)
        for message in messages:
            form.add_error(name if name in form.fields else None, message)
