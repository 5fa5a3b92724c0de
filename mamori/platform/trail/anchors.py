"""The trail's daily anchors: each organization's chain head, written outside the database.

The chain's HMAC key keeps a copy of the database from re-forging the trail; whoever has the key as
well could still rewrite the whole chain consistently. The anchors make that visible: once a day
(the worker's scheduled jobs, and ``mamori trail verify``) the head of each organization's chain —
its entry number and hash — is appended to ``trail-anchors.log`` in the data folder (append-only,
owner-only, one line per organization and day whose head moved):

    2026-11-25<TAB>org-uuid<TAB>seq<TAB>hash

Verifying the trail checks that every anchored entry still exists with the anchored hash. Keep a
copy of the file (or of the anchor shown on the trail page) elsewhere to make it stronger still.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from mamori.platform.tenancy.models import Organization
from mamori.platform.trail.models import TrailEntry

FILE_NAME = "trail-anchors.log"


@dataclass(frozen=True)
class Anchor:
    date: dt.date
    org_uuid: str
    seq: int
    hash: str


def anchors_file() -> Path:
    given = getattr(settings, "MAMORI_TRAIL_ANCHORS_FILE", None)
    return Path(given) if given else Path(settings.DATA_DIR) / FILE_NAME


def _parse(line: str) -> Anchor | None:
    parts = line.rstrip("\n").split("\t")
    if len(parts) != 4:
        return None
    try:
        return Anchor(dt.date.fromisoformat(parts[0]), parts[1], int(parts[2]), parts[3])
    except ValueError:
        return None


def read_anchors(path: Path | None = None) -> list[Anchor]:
    path = path or anchors_file()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    return [a for a in map(_parse, text.splitlines()) if a is not None]


def latest_anchor(org: Organization) -> Anchor | None:
    mine = [a for a in read_anchors() if a.org_uuid == str(org.uuid)]
    return mine[-1] if mine else None


def write_daily_anchor(today: dt.date | None = None) -> int:
    """Append today's head of every organization whose head moved since its last anchor (at most
    one line per organization and day). Returns the number of lines written. Safe to call often
    and from several processes (the file is locked while it is read and appended to)."""
    today = today or timezone.localdate()
    path = anchors_file()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "r+", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        last: dict[str, Anchor] = {}
        for anchor in map(_parse, handle.read().splitlines()):
            if anchor is not None:
                last[anchor.org_uuid] = anchor
        lines = []
        heads = Organization.objects.filter(trail_seq__gt=0).order_by("pk")
        for org in heads:
            previous = last.get(str(org.uuid))
            if previous is not None and (previous.date >= today or previous.seq == org.trail_seq):
                continue
            if _links_since(org, previous):  # a broken chain is not anchored (verify reports it)
                lines.append(f"{today.isoformat()}\t{org.uuid}\t{org.trail_seq}\t{org.trail_head}\n")
        if lines:
            handle.write("".join(lines))
            handle.flush()
            os.fsync(handle.fileno())
    return len(lines)


def _links_since(org: Organization, previous: Anchor | None) -> bool:
    """The chain from the previous anchor (or its start) to the head links and hashes rightly."""
    start = previous.seq if previous else 1
    expected_prev, expected_seq = None, start
    entries = TrailEntry.objects.filter(organization=org, seq__gte=start, seq__lte=org.trail_seq)
    for entry in entries.order_by("seq").iterator(chunk_size=2000):
        entry.organization = org
        if entry.seq != expected_seq or entry.compute_hash() != entry.hash:
            return False
        if expected_prev is None:
            if previous is not None and entry.hash != previous.hash:
                return False
            if previous is None and entry.prev_hash != "0" * 64:
                return False
        elif entry.prev_hash != expected_prev:
            return False
        expected_prev, expected_seq = entry.hash, entry.seq + 1
    return expected_seq - 1 == org.trail_seq and expected_prev == org.trail_head


@dataclass(frozen=True)
class AnchorBreak:
    organization: str
    seq: int
    reason: str


def check_anchors(orgs: list[Organization] | None = None) -> list[AnchorBreak]:
    """Every anchored head must still be in the chain with the same hash: the first mismatch of
    each organization (and, when checking every organization, anchored organizations that are gone)."""
    anchors = read_anchors()
    if not anchors:
        return []
    by_org: dict[str, list[Anchor]] = {}
    for anchor in anchors:
        by_org.setdefault(anchor.org_uuid, []).append(anchor)
    chosen = orgs if orgs is not None else list(Organization.objects.order_by("pk"))
    known = {str(org.uuid): org for org in chosen}
    breaks: list[AnchorBreak] = []
    if orgs is None:
        for uuid, mine in by_org.items():
            if uuid not in known:
                breaks.append(
                    AnchorBreak(
                        organization=uuid,
                        seq=mine[-1].seq,
                        reason=f"the organization anchored on {mine[-1].date} is missing",
                    )
                )
    for uuid, org in known.items():
        mine = by_org.get(uuid, [])
        if not mine:
            continue
        stored = dict(
            TrailEntry.objects.filter(organization=org, seq__in={a.seq for a in mine}).values_list(
                "seq", "hash"
            )
        )
        for anchor in mine:
            if anchor.seq not in stored:
                reason = f"entry {anchor.seq}, anchored on {anchor.date}, is missing (entries removed)"
            elif stored[anchor.seq] != anchor.hash:
                reason = (
                    f"entry {anchor.seq} does not match its anchor of {anchor.date} (the chain was rewritten)"
                )
            else:
                continue
            breaks.append(AnchorBreak(organization=org.slug, seq=anchor.seq, reason=reason))
            break
    return breaks
