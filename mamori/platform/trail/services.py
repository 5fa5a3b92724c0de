"""Recording to and verifying the trail.

Changes of organization-owned objects are recorded by one choke point (:mod:`mamori.platform.trail.capture`);
:func:`record` is called directly only for events that change nothing (sign-in, export, download,
access). The actor is whoever the door set (:mod:`mamori.platform.actor`) unless one is passed.

Each entry's hash is an HMAC-SHA256 keyed with the trail key (``MAMORI_TRAIL_KEY``, kept in the
data folder, not in the database): a copy of the database alone cannot re-forge the chain.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models, transaction

from mamori.platform.actor import SYSTEM, Actor, acting_as, current_actor, set_actor
from mamori.platform.tenancy.models import Organization
from mamori.platform.trail.anchors import check_anchors
from mamori.platform.trail.models import TrailEntry

__all__ = [
    "SYSTEM",
    "Actor",
    "acting_as",
    "current_actor",
    "diff",
    "record",
    "record_many",
    "set_actor",
    "snapshot",
    "verify",
]

GENESIS = "0" * 64


def _plain(value):
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, models.Model):
        return str(getattr(value, "uuid", value.pk))
    return str(value)


def _related_id(obj: models.Model, field: models.ForeignKey) -> str | None:
    """A related object by its public id (uuid), without loading the whole object."""
    raw = getattr(obj, field.attname)
    if raw is None:
        return None
    if field.is_cached(obj):
        related = getattr(obj, field.name)
        return str(getattr(related, "uuid", related.pk))
    target = field.related_model
    if not any(f.name == "uuid" for f in target._meta.concrete_fields):
        return str(raw)
    found = target._base_manager.filter(pk=raw).values_list("uuid", flat=True).first()
    return str(found) if found is not None else str(raw)


def snapshot(obj: models.Model, only: set[str] | None = None) -> dict:
    """The object's concrete fields (or those named in ``only``) as JSON-safe values, secrets left
    out (and the "last modified" stamps: the entry has its own time)."""
    exclude = set(getattr(obj, "trail_exclude", ())) | {"id", "organization"}
    data = {}
    for field in obj._meta.concrete_fields:
        if (
            field.name in exclude
            or (only is not None and field.name not in only)
            or getattr(field, "auto_now", False)
        ):
            continue
        if isinstance(field, models.ForeignKey):
            data[field.name] = _related_id(obj, field)
        else:
            data[field.name] = _plain(field.value_from_object(obj))
    return data


def diff(before: dict | None, after: dict | None) -> dict:
    before, after = before or {}, after or {}
    keys = sorted(set(before) | set(after))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def record(
    *,
    org: Organization,
    action: str,
    actor: Actor | None = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    changes: dict | None = None,
    code: str = "",
    params: dict | None = None,
) -> TrailEntry:
    """Append one entry to the organization's chain (in the caller's transaction, if any).

    ``code`` and ``params`` word an event for the reader (:mod:`mamori.platform.messages`): store
    names and codes there, never a sentence rendered now."""
    actor = actor or current_actor()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(getattr(obj, "uuid", obj.pk))
        object_repr = object_repr or str(obj)[:300]
    with transaction.atomic():
        # Serialise appends per organization (a row lock on PostgreSQL; SQLite runs IMMEDIATE
        # transactions, so writers are serialised already).
        seq, head = (
            Organization.objects.select_for_update().values_list("trail_seq", "trail_head").get(pk=org.pk)
        )
        entry = TrailEntry(
            organization=org,
            seq=seq + 1,
            actor=actor.user if getattr(actor.user, "pk", None) else None,
            actor_label=actor.label,
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_repr=object_repr[:300],
            changes=_plain(changes or {}),
            code=code,
            params=_plain(params or {}),
            request_id=actor.request_id,
            prev_hash=head or GENESIS,
        )
        entry.hash = entry.compute_hash()
        entry.save()
        Organization.objects.filter(pk=org.pk).update(trail_seq=entry.seq, trail_head=entry.hash)
    return entry


BULK_BATCH = 1000


def record_many(*, org: Organization, action: str, items: list[tuple], actor: Actor | None = None) -> int:
    """Append one entry per ``(obj, changes)`` of ``items`` to the organization's chain, in the
    caller's transaction: the chain's head is locked once, the entries are linked in order in
    memory and written with ``bulk_create`` (a bulk import's trail in a few queries). Returns how
    many entries were written."""
    if not items:
        return 0
    actor = actor or current_actor()
    user = actor.user if getattr(actor.user, "pk", None) else None
    with transaction.atomic():
        seq, head = (
            Organization.objects.select_for_update().values_list("trail_seq", "trail_head").get(pk=org.pk)
        )
        prev = head or GENESIS
        entries = []
        for obj, changes in items:
            seq += 1
            entry = TrailEntry(
                organization=org,
                seq=seq,
                actor=user,
                actor_label=actor.label,
                action=action,
                object_type=obj._meta.label_lower,
                object_id=str(getattr(obj, "uuid", obj.pk)),
                object_repr=str(obj)[:300],
                changes=_plain(changes or {}),
                request_id=actor.request_id,
                prev_hash=prev,
            )
            entry.hash = prev = entry.compute_hash()
            entries.append(entry)
        TrailEntry.objects.bulk_create(entries, batch_size=BULK_BATCH)
        Organization.objects.filter(pk=org.pk).update(trail_seq=seq, trail_head=prev)
    return len(entries)


@dataclass(frozen=True)
class Break:
    organization: str
    seq: int
    reason: str


def verify(orgs: Iterable[Organization] | None = None) -> list[Break]:
    """Walk each organization's chain; return the first broken link of each broken chain."""
    breaks: list[Break] = []
    orgs = list(orgs) if orgs is not None else None
    for org in orgs if orgs is not None else Organization.objects.order_by("pk"):
        org = Organization.objects.get(pk=org.pk)  # the stored head, not a stale copy
        expected_prev, expected_seq = GENESIS, 1
        for entry in TrailEntry.objects.filter(organization=org).order_by("seq").iterator(chunk_size=2000):
            entry.organization = org
            reason = None
            if entry.seq != expected_seq:
                reason = f"entry {expected_seq} is missing (next found: {entry.seq})"
            elif entry.prev_hash != expected_prev:
                reason = "does not link to the previous entry"
            elif entry.compute_hash() != entry.hash:
                reason = "content does not match its hash (edited)"
            if reason:
                breaks.append(Break(organization=org.slug, seq=entry.seq, reason=reason))
                break
            expected_prev, expected_seq = entry.hash, entry.seq + 1
        else:
            if expected_seq - 1 != org.trail_seq or (org.trail_seq and expected_prev != org.trail_head):
                breaks.append(
                    Break(
                        organization=org.slug,
                        seq=expected_seq,
                        reason=(
                            f"the chain ends at {expected_seq - 1} but its head is {org.trail_seq}"
                            " (entries removed)"
                        ),
                    )
                )
    # A chain rewritten from start to end (with the key) links rightly: its anchors, kept outside
    # the database, do not match it.
    broken = {b.organization for b in breaks}
    for b in check_anchors(orgs):
        if b.organization not in broken:
            breaks.append(Break(organization=b.organization, seq=b.seq, reason=b.reason))
    return breaks
