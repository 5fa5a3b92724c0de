"""The allowed values of a field, read where they are declared: the model field's ``choices``, or,
for a list kept in a JSON field (items, special-care categories), the choices of the form field
that validates it. The API schemas, the import converters and the tests read them from here, so a
value the form accepts is the value the OpenAPI document lists and the import takes."""

from __future__ import annotations

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
        return [(code, label) for code, label in form_field.choices if code != ""]
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
