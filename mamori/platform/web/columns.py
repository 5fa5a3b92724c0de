"""One declaration of a resource's fields, from which its list columns, its export and its import
columns are derived.

A :class:`Field` names a model field (or a computed value) once, with what the model does not say:
the header of its column in exported and imported files — fixed Japanese, whatever the reader's
language, because people keep and fill in those files — and, when they differ from the defaults,
its shown value and its list label. The rest comes from the model and the form:

- the shown value: a choice by its label, a related object by its name, otherwise the value;
- the list label: the model field's ``verbose_name`` (translated), capitalised;
- the import: a field the form edits is imported, with a converter chosen by its kind (a choice by
  code or label, a list of labels, yes/no words, a date) and required when the model requires it.

Order: the declaration's order is the order of the file columns (export and import keep the same
order); the list names its columns in its own order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import models
from django.utils.text import capfirst

from mamori.platform.fields import field_choices, is_list, model_field, required
from mamori.platform.web import imports
from mamori.platform.web.crud import Column
from mamori.platform.web.imports import Col


@dataclass(frozen=True)
class Field:
    name: str  # the model field, or a name of one's own for a computed value (give ``value``)
    header: str | None = None  # the column header in files; None: in the list only
    value: Callable[[Any], Any] | None = None  # obj -> shown value (list and export)
    label: Any = None  # the list column's label, when it is not the field's verbose_name
    sort: str | None = None  # the list's order_by expression, when sortable
    link: bool = False  # the list links this column to the object
    export: bool = True  # False: imported (and listed) but not exported
    import_header: str | None = None  # when the import template's header differs from the export's
    example: str = ""  # the cell of the import template's example row


class FieldSet:
    def __init__(self, model: type[models.Model], form_class: type[forms.ModelForm], fields: list[Field]):
        self.model, self.form_class, self.fields = model, form_class, fields
        self.by_name = {f.name: f for f in fields}
        if len(self.by_name) != len(fields):
            raise ValueError(f"{model.__name__}: a field is declared twice")

    # --- what is shown -------------------------------------------------------------------------
    def value(self, f: Field) -> Callable[[Any], Any]:
        if f.value is not None:
            return f.value
        field = model_field(self.model, f.name)
        if field is None:
            raise ValueError(f"{self.model.__name__}.{f.name} is not a model field: give its value")
        if field.choices:
            return lambda obj: getattr(obj, f"get_{f.name}_display")()
        if field.is_relation and not field.many_to_many:
            return lambda obj: str(related) if (related := getattr(obj, f.name)) is not None else ""
        return lambda obj: getattr(obj, f.name)

    def label(self, f: Field):
        if f.label is not None:
            return f.label
        field = model_field(self.model, f.name)
        if field is None:
            raise ValueError(f"{self.model.__name__}.{f.name} is not a model field: give its label")
        return capfirst(field.verbose_name)

    def list_columns(self, *names: str) -> list[Column]:
        """The list page's columns, in the order named."""
        return [
            Column(self.label(f), self.value(f), sort=f.sort, link=f.link)
            for f in (self.by_name[n] for n in names)
        ]

    def export_fields(self) -> list[tuple[str, Callable]]:
        """(header, value) of the exported columns."""
        return [(f.header, self.value(f)) for f in self.fields if f.header and f.export]

    # --- what is imported -----------------------------------------------------------------------
    def imported(self) -> list[Field]:
        """The fields with a file header that the form edits."""
        return [f for f in self.fields if f.header and f.name in self.form_class.base_fields]

    def converter(self, name: str) -> Callable | None:
        """The import converter of a field, by its kind (None: the cell is taken as it is)."""
        field = model_field(self.model, name)
        choices = field_choices(self.model, self.form_class, name)
        if choices is not None and is_list(self.model, self.form_class, name):
            return imports.labelled_list({str(code): str(label) for code, label in choices})
        if choices is not None:
            return imports.choice(choices)
        if isinstance(field, models.BooleanField):
            return imports.to_bool
        if isinstance(field, models.IntegerField):
            return imports.number
        if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
            return imports.date
        return None

    def import_columns(self, convert: dict[str, Callable] | None = None) -> list[Col]:
        """The import's columns; ``convert`` gives the converters the field's kind does not (for
        instance a related object looked up by name)."""
        convert = convert or {}
        return [
            Col(
                f.import_header or f.header or "",
                f.name,
                convert[f.name] if f.name in convert else self.converter(f.name),
                required=required(self.model, f.name),
            )
            for f in self.imported()
        ]

    def import_example(self) -> list[str]:
        """The example row of the import template (empty when no field gives one)."""
        example = [f.example for f in self.imported()]
        return example if any(example) else []
