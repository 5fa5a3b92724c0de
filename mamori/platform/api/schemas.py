"""API schemas derived from a model and its form, so that a field is declared once.

- :func:`output_schema`: ``uuid`` first, then the named fields with their model types; a related
  object is given by its uuid (a list of uuids for a many-to-many link), as the hand-written schemas did.
- :func:`input_schemas`: the create and update bodies of the form's fields. Everything is optional in
  the update (PATCH changes only what is sent); the create requires what the model requires (not
  blank, no default).

A field with allowed values (a model field's ``choices``, or the choices of the form field that
validates a JSON list, see :mod:`mamori.platform.fields`) is documented with ``enum`` in the OpenAPI
document. The values are still checked by the form, as on the pages (the API's
:func:`~mamori.platform.api.crud.register` validates every body with the page's ModelForm), so a wrong
value is answered with the same Japanese message as on the page and the error body keeps its shape.
An output lists the values of the model's choices fields; its lists of item codes are documented on
the input only, where the form enforces the vocabulary.

Why not django-ninja's ``ModelSchema`` / ``create_schema`` (1.7): they type a foreign key as the
related primary key (we expose uuids), a JSON field as any object (ours are lists of codes or dicts),
ignore ``choices``, title fields with the model's translated ``verbose_name`` (the committed document
would follow the language of whoever regenerates it) and check ``max_length`` in pydantic (an English
error in another shape than the form's). Only their table of scalar types is reused.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from types import GenericAlias
from typing import Annotated, Any
from uuid import UUID

from ninja import Schema
from ninja.orm.fields import TYPES
from pydantic import WithJsonSchema

from mamori.platform.fields import field_choices, is_list, model_field, required


def enum_of(values: Iterable[str]) -> Any:
    """A string documented with its allowed values (``enum``); the form checks them."""
    return Annotated[str, WithJsonSchema({"type": "string", "enum": list(values)})]


def _scalar(field) -> Any:
    if field.is_relation:
        return UUID
    kind = field.get_internal_type()
    if kind == "JSONField":
        return list[str] if field.default is list else dict
    return TYPES.get(kind, str)


def field_type(model, name: str, form_class=None, *, output: bool = False) -> Any:
    """The Python type of a field as the API reads or writes it (without ``| None``)."""
    field = model_field(model, name)
    if field is None:
        raise ValueError(f"{model.__name__} has no field {name!r}: give its type in types=")
    choices = field_choices(model, None if output else form_class, name)
    if field.many_to_many:
        return list[UUID]
    if choices is not None and is_list(model, form_class, name):
        # list[<enum>], written as the alias it is, as the item type is built at run time
        return GenericAlias(list, enum_of(str(code) for code, _label in choices))
    if choices is not None:
        return enum_of(str(code) for code, _label in choices)
    return _scalar(field)


def _nullable(model, name: str) -> bool:
    field = model_field(model, name)
    return field is not None and field.null and not field.many_to_many


def _related_uuid(name: str, attname: str) -> Callable:
    def resolve(obj):
        return getattr(obj, name).uuid if getattr(obj, attname) is not None else None

    return resolve


def _related_uuids(name: str) -> Callable:
    def resolve(obj):
        return [o.uuid for o in getattr(obj, name).all()]

    return resolve


def _schema(name: str, annotations: dict, namespace: dict, module: str | None) -> type[Schema]:
    namespace = {"__annotations__": annotations, "__qualname__": name, **namespace}
    if module:
        namespace["__module__"] = module
    metaclass: type = type(Schema)  # ninja's ResolverMetaclass, which builds the pydantic model
    return metaclass(name, (Schema,), namespace)


def output_schema(
    model,
    fields: Sequence[str],
    *,
    name: str,
    types: dict[str, Any] | None = None,
    resolvers: dict[str, Callable] | None = None,
    module: str | None = None,
) -> type[Schema]:
    """``{uuid, *fields}`` of ``model``. ``types`` gives the type of a computed field (or overrides a
    model field's); ``resolvers`` computes a field from the object."""
    types, resolvers = types or {}, dict(resolvers or {})
    annotations: dict[str, Any] = {"uuid": UUID}
    for fname in fields:
        field = model_field(model, fname)
        if fname in types:
            annotations[fname] = types[fname]
        else:
            t = field_type(model, fname, output=True)
            annotations[fname] = t | None if _nullable(model, fname) else t
        if field is not None and fname not in resolvers:
            if field.many_to_many:
                resolvers[fname] = _related_uuids(fname)
            elif field.is_relation:
                resolvers[fname] = _related_uuid(fname, field.attname)
    namespace = {f"resolve_{k}": staticmethod(fn) for k, fn in resolvers.items()}
    return _schema(name, annotations, namespace, module)


def input_schemas(
    model,
    form_class,
    *,
    name: str,
    fields: Sequence[str] | None = None,
    types: dict[str, Any] | None = None,
    module: str | None = None,
) -> tuple[type[Schema], type[Schema]]:
    """``(<name>Create, <name>In)``: the bodies of POST and PATCH, over the form's fields (or ``fields``)."""
    types = types or {}
    fields = list(fields if fields is not None else form_class._meta.fields)
    typed = {f: types[f] if f in types else field_type(model, f, form_class) for f in fields}
    update = _schema(f"{name}In", {f: t | None for f, t in typed.items()}, dict.fromkeys(fields), module)
    create_annotations = {f: t if required(model, f) else t | None for f, t in typed.items()}
    create_defaults = {f: None for f in fields if not required(model, f)}
    create = _schema(f"{name}Create", create_annotations, create_defaults, module)
    return create, update
