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
_bulk_hooks: dict[type, list[Callable]] = {}

ENDED = "ended"  # the status value of an ended vendor, data set or contract


def after_change(*model_classes: type[models.Model]):
    """Register ``hook(obj, deleted: bool)`` to run after any change of these models."""

    def register(func):
        for model in model_classes:
            _hooks.setdefault(model, []).append(func)
        return func

    return register


def after_change_many(*model_classes: type[models.Model]):
    """Register ``hook(objs: list)`` to run once after a bulk write of these models (an import) in
    place of the per-object hooks, which it must do the work of in a bounded number of queries."""

    def register(func):
        for model in model_classes:
            _bulk_hooks.setdefault(model, []).append(func)
        return func

    return register


def run_hooks(obj, deleted: bool) -> None:
    for hook in _hooks.get(type(obj), []):
        hook(obj, deleted)


def run_hooks_many(objs: list) -> None:
    """The after-change hooks of objects written in bulk: a model's bulk hooks once for all of
    them when it has some, else its per-object hooks for each."""
    by_model: dict[type, list] = {}
    for obj in objs:
        by_model.setdefault(type(obj), []).append(obj)
    for model, group in by_model.items():
        if model in _bulk_hooks:
            for hook in _bulk_hooks[model]:
                hook(group)
        else:
            for obj in group:
                run_hooks(obj, deleted=False)


def saves_plainly(model: type[models.Model]) -> bool:
    """True when the model does nothing in ``save()`` beyond Django's own (bulk writes skip it)."""
    return all(
        "save" not in vars(klass)
        for klass in model.__mro__
        if klass not in (models.Model, OrgOwned) and issubclass(klass, models.Model)
    )


def bulk_save(request, new: list, changed: list, fields: list[str], actor: trail.Actor, batch: int = 500):
    """Create ``new`` and write ``fields`` of ``changed`` (objects of the request's organization)
    with ``bulk_create`` / ``bulk_update`` in batches, in one transaction: each object reaches the
    trail (one entry per object, written in bulk) and the after-change hooks run batched."""
    objs = new + changed
    if not objs:
        return []
    with transaction.atomic(), trail.acting_as(actor):
        for obj in new:
            obj.organization = request.org
        if any(obj.organization_id != request.org.pk for obj in changed):
            raise PermissionError("an object of another organization")
        model = type(objs[0])
        if new:
            model.objects.bulk_create(new, batch_size=batch)
        if changed and fields:
            model.objects.bulk_update(changed, fields, batch_size=batch)
        run_hooks_many(objs)
    return objs


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
