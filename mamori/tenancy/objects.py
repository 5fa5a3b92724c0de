"""Saving and deleting domain objects: one path for pages, API and imports.

Save in a transaction, re-check the object is in the request's organization, then run the
model's after-change hooks (e.g. a vendor's inherent risk), all in the same transaction. The trail
entry (with before/after) is written by the save itself (mamori.trail.capture), as ``actor``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ObjectDoesNotExist
from django.db import models, transaction

from mamori.tenancy.models import OrgOwned
from mamori.tenancy.scoping import recheck
from mamori.trail import services as trail

_hooks: dict[type, list[Callable]] = {}


def after_change(*model_classes: type[models.Model]):
    """Register ``hook(obj, deleted: bool)`` to run after any change of these models."""

    def register(func):
        for model in model_classes:
            _hooks.setdefault(model, []).append(func)
        return func

    return register


def run_hooks(obj, deleted: bool) -> None:
    for hook in _hooks.get(type(obj), []):
        hook(obj, deleted)


def instance_data(form_class, obj) -> dict:
    """The form data an object would submit (related objects by uuid): the starting point of a
    partial update through the API, or of an imported row (model defaults for absent columns)."""
    data = {}
    for name in form_class.base_fields:
        if not hasattr(type(obj), name) and name not in obj.__dict__:
            continue
        field = obj._meta.get_field(name)
        if field.many_to_many:
            data[name] = [str(o.uuid) for o in getattr(obj, name).all()] if obj.pk else []
            continue
        try:
            value = getattr(obj, name)
        except ObjectDoesNotExist:  # an unset foreign key on a new object
            value = None
        if isinstance(value, OrgOwned):
            value = str(value.uuid)
        data[name] = value
    return data


def save_form(request, form, actor: trail.Actor, prepare: Callable | None = None):
    """Save a validated OrgModelForm as an object of the request's organization."""
    with transaction.atomic(), trail.acting_as(actor):
        obj = form.save(commit=False)
        obj.organization = request.org
        if prepare:
            prepare(obj)
        obj.save()
        form.save_m2m()
        recheck(request, obj)
        run_hooks(obj, deleted=False)
    return obj


def delete_object(request, obj, actor: trail.Actor) -> None:
    with transaction.atomic(), trail.acting_as(actor):
        recheck(request, obj)
        obj.delete()
        run_hooks(obj, deleted=True)
