"""Saving and deleting domain objects: one path for pages, API and imports.

Save in a transaction, re-check the object is in the request's organization, then run the
model's after-change hooks (e.g. a vendor's inherent risk), all in the same transaction. The trail
entry (with before/after) is written by the save itself (mamori.platform.trail.capture), as ``actor``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models, router, transaction
from django.db.models import ProtectedError
from django.db.models.deletion import Collector
from django.utils.translation import gettext as _

from mamori.platform import actor as trail
from mamori.platform.tenancy.models import OrgOwned
from mamori.platform.tenancy.scoping import recheck

_hooks: dict[type, list[Callable]] = {}

ENDED = "ended"  # the status value of an ended vendor, data set or contract


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


class HasHistory(Exception):
    """The object carries supervision records: it is ended (終了), not deleted."""

    def __init__(self, obj, records: list[str]):
        self.obj, self.records = obj, records
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return _("%(obj)s cannot be deleted: it has records (%(records)s). End it instead to keep them.") % {
            "obj": self.obj,
            "records": "、".join(self.records),
        }


def history(obj) -> list[str]:
    """What would be lost with the object: the records that point at it through a PROTECT link
    (the database refuses to delete them along), and what the model names itself
    (``history_records()``), as 'what: how many'."""
    records: list[str] = []
    try:
        Collector(using=router.db_for_write(type(obj)), origin=obj).collect([obj])
    except ProtectedError as exc:
        counts = Counter(str(o._meta.verbose_name) for o in exc.protected_objects)
        records += [f"{name}: {n}" for name, n in counts.items()]
    if hasattr(obj, "history_records"):
        records += obj.history_records()
    return records


def can_end(obj) -> bool:
    try:
        field = obj._meta.get_field("status")
    except FieldDoesNotExist:
        return False
    return ENDED in {value for value, _label in field.choices or ()}


def delete_object(request, obj, actor: trail.Actor) -> None:
    """Delete an object without history; the trail gets one entry for it and one for each object
    that goes with it (cascade). An object with history raises :class:`HasHistory`."""
    with transaction.atomic(), trail.acting_as(actor):
        recheck(request, obj)
        if records := history(obj):
            raise HasHistory(obj, records)
        obj.delete()
        run_hooks(obj, deleted=True)


def end_object(request, obj, actor: trail.Actor):
    """Set the status to ended (終了): the object and its records stay."""
    with transaction.atomic(), trail.acting_as(actor):
        recheck(request, obj)
        obj.status = ENDED
        obj.save(update_fields=["status"])
        run_hooks(obj, deleted=False)
    return obj
