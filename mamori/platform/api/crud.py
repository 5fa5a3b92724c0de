"""CRUD routes for a domain model, written once: list (search, filters, pagination), read,
create, update (PATCH), delete. Input is validated by the same ModelForm as the pages, so the
API answers with the same Japanese messages; changes go through mamori.platform.tenancy.objects."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import create_model

from mamori.platform.api.errors import error_responses
from mamori.platform.api.schemas import enum_of
from mamori.platform.fields import field_choices
from mamori.platform.paging import Pages
from mamori.platform.tenancy.models import Perm
from mamori.platform.tenancy.objects import HasHistory, delete_object, instance_data, save_form
from mamori.platform.tenancy.scoping import get_scoped, require, scoped
from mamori.platform.trail.services import Actor


class FormInvalid(Exception):
    def __init__(self, errors: dict):
        super().__init__("invalid")
        self.errors = errors


@dataclass(frozen=True)
class Registration:
    """What :func:`register` mounted: read by the tests that walk every API resource."""

    label: str
    model: type
    form_class: type
    out: type[Schema]
    create_in: type[Schema]
    update_in: type[Schema]


registered: list[Registration] = []


def _dump(data: Schema, *, exclude_unset: bool = False) -> dict[str, Any]:
    """A parsed body or query as a dict (typed here: its schema is built at run time)."""
    return data.model_dump(exclude_unset=exclude_unset)


def register(
    router: Router,
    *,
    model,
    form_class,
    out: type[Schema],
    create_in: type[Schema],
    update_in: type[Schema],
    search: list[str],
    filters: dict[str, Callable] | None = None,
    select_related: tuple[str, ...] = (),
    to_form: Callable[[dict], dict] | None = None,
    prepare: Callable | None = None,  # (form) -> callable(obj) run before saving, as on the pages
    label: str,
    filter_fields: dict[str, str] | None = None,  # filter -> model field whose choices it takes
) -> None:
    filters = filters or {}
    to_form = to_form or (lambda d: d)
    registered.append(Registration(label, model, form_class, out, create_in, update_in))

    def save(request, payload: dict, instance=None):
        # Start from the object's current values (or the model defaults), then apply what was sent.
        data = instance_data(form_class, instance if instance is not None else model())
        data.update(to_form({k: (str(v) if isinstance(v, UUID) else v) for k, v in payload.items()}))
        form = form_class(data=data, instance=instance, org=request.org)
        if not form.is_valid():
            raise FormInvalid({k: [str(e) for e in v] for k, v in form.errors.items()})
        return save_form(
            request, form, Actor.from_request(request, via="api"), prepare(form) if prepare else None
        )

    def list_objects(request, q: str | None = None, **kwargs):
        require(request, Perm.VIEW)
        qs = scoped(request, model).select_related(*select_related)
        if q:
            cond = Q()
            for f in search:
                cond |= Q(**{f"{f}__icontains": q})
            qs = qs.filter(cond)
        for name, apply in filters.items():
            if kwargs.get(name) not in (None, ""):
                qs = apply(qs, kwargs[name])
        return qs.order_by("pk")

    # The filters as a query schema, so they appear in the OpenAPI document (with their allowed
    # values when a filter takes a field's choices: the filter of that name, or as filter_fields says).
    # A filter on a related object takes its uuid (a malformed one is a 422, not a database error).
    def filter_type(name: str):
        field_name = (filter_fields or {}).get(name, name)
        try:
            if model._meta.get_field(field_name).is_relation:
                return UUID
        except FieldDoesNotExist:
            pass
        choices = field_choices(model, None, field_name)
        return enum_of(str(code) for code, _l in choices) if choices else str

    fields: dict[str, Any] = {
        "q": (str | None, None),
        **{name: (filter_type(name) | None, None) for name in filters},
    }
    query_schema = create_model(f"{label.title().replace('_', '')}Query", __base__=Schema, **fields)

    @router.get(
        "",
        response=list[out],  # type: ignore[valid-type]  # a schema built at run time (output_schema)
        summary=f"List {label} (search q, filters, limit/offset)",
        operation_id=f"list_{label}",
    )
    @paginate(Pages)
    def list_route(request, query: Query[query_schema]):  # type: ignore[valid-type]  # built by create_model
        values = _dump(query)
        return list_objects(request, **values)

    @router.get("/{uuid}", response=out, summary=f"One {label}", operation_id=f"get_{label}")
    def read(request, uuid: UUID):
        require(request, Perm.VIEW)
        return get_scoped(request, model, uuid=uuid)

    @router.post("", response={201: out}, summary=f"Create {label}", operation_id=f"create_{label}")
    def create(request, payload: create_in):  # type: ignore[valid-type]  # built at run time (input_schemas)
        require(request, Perm.EDIT)
        return Status(201, save(request, _dump(payload, exclude_unset=True)))

    @router.patch(
        "/{uuid}",
        response=out,
        summary=f"Update {label} (only the fields sent)",
        operation_id=f"update_{label}",
    )
    def update(request, uuid: UUID, payload: update_in):  # type: ignore[valid-type]  # built at run time
        require(request, Perm.EDIT)
        obj = get_scoped(request, model, uuid=uuid)
        return save(request, _dump(payload, exclude_unset=True), instance=obj)

    @router.delete(
        "/{uuid}",
        response={204: None},
        summary=f"Delete {label}",
        operation_id=f"delete_{label}",
        openapi_extra=error_responses(409),  # kept records: end it instead
    )
    def delete(request, uuid: UUID):
        require(request, Perm.EDIT)
        try:
            delete_object(
                request, get_scoped(request, model, uuid=uuid), Actor.from_request(request, via="api")
            )
        except HasHistory as exc:
            # Ended, not deleted: PATCH {"status": "ended"} keeps the records.
            raise HttpError(409, exc.message) from exc
        return Status(204, None)
