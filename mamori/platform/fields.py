"""What the platform reads from a model field, where it is declared once.

- :func:`field_choices`: the allowed values: the model field's ``choices``, or, for a list kept in a
  JSON field (items, special-care categories), the choices of the form field that validates it. The
  API schemas (:mod:`mamori.platform.api.schemas`), the import converters
  (:mod:`mamori.platform.web.columns`) and the tests read them here, so the values the form accepts
  are the values the OpenAPI document lists and the import takes.
- :func:`is_list`: whether it holds several values.
- :func:`required`: whether a new object needs it (not blank, no default).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import cast

from django import forms
from django.core.exceptions import FieldDoesNotExist


def model_field(model, name: str):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def field_choices(model, form_class, name: str) -> list[tuple[str, object]] | None:
    """(code, label) pairs a field accepts, or None when any value of its type is accepted."""
    field = model_field(model, name)
    if field is not None and field.choices:
        return list(field.flatchoices)
    form_field = getattr(form_class, "base_fields", {}).get(name) if form_class else None
    if isinstance(form_field, forms.ChoiceField) and not isinstance(form_field, forms.ModelChoiceField):
        # The form field normalises its choices to (value, label) pairs; the stubs keep the input's type.
        choices = cast("Iterable[tuple[str, object]]", form_field.choices)
        return [(code, label) for code, label in choices if code != ""]
    return None


def is_list(model, form_class, name: str) -> bool:
    """A field holding several values: a JSON list of codes or a many-to-many link."""
    field = model_field(model, name)
    if field is not None and field.many_to_many:
        return True
    form_field = getattr(form_class, "base_fields", {}).get(name) if form_class else None
    if isinstance(form_field, forms.MultipleChoiceField):
        return True
    return field is not None and field.get_internal_type() == "JSONField" and field.default is list


def required(model, name: str) -> bool:
    """What a new object cannot do without: not blank, no default (a link that may be empty is blank)."""
    field = model_field(model, name)
    return field is not None and not field.blank and not field.null and not field.has_default()


class ByLanguage(Mapping):
    """Labels of codes in the reader's language: the Japanese labels, or the English ones when the
    active language is English (read at each lookup, so one module-level mapping serves both)."""

    def __init__(self, ja: Mapping[str, str], en: Mapping[str, str]):
        self._ja, self._en = dict(ja), dict(en)

    def _current(self) -> dict[str, str]:
        from django.utils.translation import get_language

        return self._en if (get_language() or "ja").startswith("en") else self._ja

    def __getitem__(self, code: str) -> str:
        return self._current()[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._ja)

    def __len__(self) -> int:
        return len(self._ja)


def _vocabulary_names() -> tuple[ByLanguage, ByLanguage]:
    from mamori.core import vocabulary

    items = ByLanguage(vocabulary.ITEM_LABELS, {i.code: i.en for i in vocabulary.ITEMS if i.form})
    care = ByLanguage(vocabulary.SPECIAL_CARE_LABELS, {c.code: c.en for c in vocabulary.SPECIAL_CARE})
    return items, care


# The screens' names of personal-data items and special-care categories (Japanese documents such
# as the PPC drafts keep mamori.core.items' Japanese labels).
ITEM_NAMES, SPECIAL_CARE_NAMES = _vocabulary_names()
