"""The one choke point where every change of an organization's data reaches the trail.

Connected in :class:`mamori.platform.trail.apps.TrailConfig` to every concrete :class:`OrgOwned` model
(the models that exist when Django starts: a new model is covered the day it is added):

- ``Model.save()`` (and ``create``, ``get_or_create`` …): one ``create`` or ``update`` entry with
  before/after, the "before" read from the stored row (a form has already written its values onto
  the instance), nothing when no trailed field changed;
- ``Model.delete()`` and ``QuerySet.delete()``, cascades included: one ``delete`` entry per object
  that goes, naming what it went along with;
- ``QuerySet.update()`` / ``bulk_update()`` and ``bulk_create()`` go through :class:`OrgQuerySet`,
  which calls :func:`updated` and :func:`created` here;
- many-to-many links added, removed or cleared: one ``update`` entry with the list before and after.

Opting out is explicit on the model: ``trail_ignore = True`` for technical rows (the trail
itself, the mail queue, digest bookkeeping), ``trail_exclude`` for fields (secrets, counters).
The actor comes from :mod:`mamori.platform.actor` (set at each door), never from the object.
Fixtures loaded raw (``loaddata`` in a restore) are not recorded: their entries come with them.
"""

from __future__ import annotations

from django.apps import apps
from django.db import models, transaction
from django.db.models import signals

from mamori.platform.actor import current_actor
from mamori.platform.tenancy.models import WRITE_HOOKS, Organization, OrgOwned
from mamori.platform.trail import services
from mamori.platform.trail.models import Action

_BEFORE = "_trail_before"


def is_trailed(model: type[models.Model]) -> bool:
    return (
        issubclass(model, OrgOwned)
        and not model._meta.abstract
        and not model._meta.proxy
        and not getattr(model, "trail_ignore", False)
    )


def trailed_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if is_trailed(m)]


def _org(obj) -> Organization:
    return obj if isinstance(obj, Organization) else obj.organization


def _pre_save(sender, instance, raw=False, **kwargs):
    if raw:
        return
    stored = None
    if instance.pk is not None:
        stored = sender._base_manager.filter(pk=instance.pk).first()
    instance.__dict__[_BEFORE] = services.snapshot(stored) if stored is not None else None


def _post_save(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    before = instance.__dict__.pop(_BEFORE, None)
    after = services.snapshot(instance)
    if before is not None and update_fields is not None:
        # Only the named fields were written: the others keep their stored values.
        written = {
            f.name
            for f in sender._meta.concrete_fields
            if f.name in update_fields or f.attname in update_fields
        }
        after = {k: (after[k] if k in written else v) for k, v in before.items()}
    if before is None:
        services.record(
            org=_org(instance),
            actor=current_actor(),
            action=Action.CREATE,
            obj=instance,
            changes=services.diff(None, after),
        )
        return
    changes = services.diff(before, after)
    if changes:
        services.record(
            org=_org(instance), actor=current_actor(), action=Action.UPDATE, obj=instance, changes=changes
        )


def _deleting_organization(origin) -> bool:
    if isinstance(origin, Organization):
        return True
    return isinstance(origin, models.QuerySet) and origin.model is Organization


def _pre_delete(sender, instance, origin=None, **kwargs):
    # Recorded before the rows go (every pre_delete of a cascade runs before the first DELETE), so
    # the snapshot can still name related objects; all in the deletion's transaction.
    if _deleting_organization(origin):
        return  # the organization goes with its whole trail
    repr_, code, params = str(instance), "", None
    if isinstance(origin, models.Model) and origin is not instance:
        # Worded when read (present.TEXTS), in the reader's language; the names stay searchable here.
        code = "trail.deleted_with"
        params = {"object": repr_, "kind": origin._meta.label_lower, "name": str(origin)}
        repr_ = f"{repr_} ← {origin}"
    services.record(
        org=_org(instance),
        actor=current_actor(),
        action=Action.DELETE,
        obj=instance,
        object_repr=repr_[:300],
        changes=services.diff(services.snapshot(instance), None),
        code=code,
        params=params,
    )


def _m2m_values(instance, name: str) -> list[str]:
    return sorted(str(getattr(o, "uuid", o.pk)) for o in getattr(instance, name).all())


def _m2m_changed(sender, instance, action, reverse, **kwargs):
    """A many-to-many link added, removed or cleared (attendees, an incident's data sets): one
    ``update`` entry with the field's list before and after."""
    if reverse or not is_trailed(type(instance)):
        return
    name = next((f.name for f in type(instance)._meta.many_to_many if f.remote_field.through is sender), None)
    if name is None or name in getattr(instance, "trail_exclude", ()):
        return
    store = instance.__dict__.setdefault(_BEFORE + "_m2m", {})
    if action.startswith("pre_"):
        store[name] = _m2m_values(instance, name)
        return
    before, after = store.pop(name, None), _m2m_values(instance, name)
    if before is not None and before != after:
        services.record(
            org=_org(instance),
            actor=current_actor(),
            action=Action.UPDATE,
            obj=instance,
            changes={name: [before, after]},
        )


def connect() -> None:
    WRITE_HOOKS.updated = updated
    WRITE_HOOKS.created = created
    # The organization itself (its name …) is trailed in its own chain too; deleting it takes the chain.
    signals.pre_save.connect(_pre_save, sender=Organization, dispatch_uid="mamori-trail-org-pre-save")
    signals.post_save.connect(_post_save, sender=Organization, dispatch_uid="mamori-trail-org-post-save")
    for model in trailed_models():
        uid = f"mamori-trail-{model._meta.label_lower}"
        signals.pre_save.connect(_pre_save, sender=model, dispatch_uid=f"{uid}-pre-save")
        signals.post_save.connect(_post_save, sender=model, dispatch_uid=f"{uid}-post-save")
        signals.pre_delete.connect(_pre_delete, sender=model, dispatch_uid=f"{uid}-pre-delete")
        for field in model._meta.many_to_many:
            signals.m2m_changed.connect(
                _m2m_changed, sender=field.remote_field.through, dispatch_uid=f"{uid}-{field.name}-m2m"
            )


# --- Queryset-level changes (called by OrgQuerySet) ---------------------------------------------


def _touches_trailed_field(model, fields) -> bool:
    excluded = set(getattr(model, "trail_exclude", ()))
    for name in fields:
        try:
            field = model._meta.get_field(name)
        except Exception:
            return True
        if field.name not in excluded:
            return True
    return False


CHUNK = 500


def _by_org(rows) -> dict:
    """``(org, obj, changes)`` rows grouped by organization, in order."""
    out: dict = {}
    for org, obj, changes in rows:
        out.setdefault(org.pk, (org, []))[1].append((obj, changes))
    return out


def _with_related(queryset: models.QuerySet) -> models.QuerySet:
    """The rows with their organization and foreign keys loaded (the snapshot names related objects
    by uuid without a query per row)."""
    fks = [f.name for f in queryset.model._meta.concrete_fields if isinstance(f, models.ForeignKey)]
    return queryset.select_related(*fks)


def updated(queryset: models.QuerySet, kwargs: dict, do_update) -> int:
    """``QuerySet.update(**kwargs)`` (and each batch of ``bulk_update``) with one ``update`` entry
    per row whose trailed fields changed, written in bulk (:func:`services.record_many`)."""
    model = queryset.model
    if not is_trailed(model) or not _touches_trailed_field(model, kwargs):
        return do_update(**kwargs)
    # Only the updated fields can change: the snapshots cover them alone.
    written = {f.name for f in model._meta.concrete_fields if f.name in kwargs or f.attname in kwargs}

    def snap(obj) -> dict:
        return services.snapshot(obj, written)

    with transaction.atomic(using=queryset.db):
        before = {obj.pk: snap(obj) for obj in _with_related(queryset)}
        count = do_update(**kwargs)
        pks = list(before)
        actor = current_actor()
        rows = []
        for start in range(0, len(pks), CHUNK):
            chunk = pks[start : start + CHUNK]
            for obj in _with_related(model._base_manager.filter(pk__in=chunk)).order_by("pk"):
                changes = services.diff(before[obj.pk], snap(obj))
                if changes:
                    rows.append((obj.organization, obj, changes))
        for org, items in _by_org(rows).values():
            services.record_many(org=org, actor=actor, action=Action.UPDATE, items=items)
    return count


def created(objs) -> None:
    """After ``bulk_create``: one ``create`` entry per object, written in bulk."""
    objs = list(objs)
    if not objs or not is_trailed(type(objs[0])):
        return
    rows = [(obj.organization, obj, services.diff(None, services.snapshot(obj))) for obj in objs]
    for org, items in _by_org(rows).values():
        services.record_many(org=org, actor=current_actor(), action=Action.CREATE, items=items)
