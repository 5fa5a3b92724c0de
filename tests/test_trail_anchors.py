"""The trail's daily anchors: the chain heads, written outside the database, expose a rewrite."""

from __future__ import annotations

import datetime as dt
import stat

import pytest
from django.conf import settings
from django.utils import timezone

from mamori import cli
from mamori.platform.tenancy.actions import change_role
from mamori.platform.tenancy.models import Membership, Organization, Role
from mamori.platform.trail import services
from mamori.platform.trail.anchors import read_anchors, write_daily_anchor
from mamori.platform.trail.models import TrailEntry

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 25)


def _some_entries(tenancy, roles=(Role.EDITOR, Role.VIEWER, Role.AUDITOR)):
    actor = services.Actor(user=tenancy.owner, via="cli")
    membership = Membership.objects.get(user=tenancy.colleague)
    for role in roles:
        change_role(membership=membership, role=role, actor=actor)


def _rewrite_whole_chain(org, victim_seq: int) -> None:
    """What someone with the database and the trail key can do: change an entry, re-chain all."""
    prev = services.GENESIS
    for entry in TrailEntry.objects.filter(organization=org).order_by("seq"):
        entry.organization = org
        if entry.seq == victim_seq:
            entry.changes = {"role": ["viewer", "owner"]}
        entry.prev_hash = prev
        entry.hash = entry.compute_hash()
        TrailEntry.objects.filter(pk=entry.pk).update(
            changes=entry.changes, prev_hash=entry.prev_hash, hash=entry.hash
        )
        prev = entry.hash
    Organization.objects.filter(pk=org.pk).update(trail_head=prev)


def test_the_daily_anchor_is_one_owner_only_line_per_organization_and_day(tenancy):
    _some_entries(tenancy)
    assert write_daily_anchor(TODAY) == 2  # both organizations have a trail
    path = settings.MAMORI_TRAIL_ANCHORS_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    org = Organization.objects.get(pk=tenancy.org.pk)
    mine = [a for a in read_anchors() if a.org_uuid == str(org.uuid)]
    assert [(a.date, a.seq, a.hash) for a in mine] == [(TODAY, org.trail_seq, org.trail_head)]
    # Once a day: more entries today are anchored tomorrow; an unchanged head is not repeated.
    _some_entries(tenancy, roles=[Role.EDITOR])
    assert write_daily_anchor(TODAY) == 0
    assert write_daily_anchor(TODAY + dt.timedelta(days=1)) == 1
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3 and lines[0].startswith("2026-11-25\t")  # appended, never rewritten


def test_a_chain_rewritten_with_the_key_is_caught_by_its_anchor(tenancy, capsys):
    _some_entries(tenancy)
    assert cli.main(["trail", "verify"]) == 0  # verifying writes today's anchor
    assert "anchors" in capsys.readouterr().out and read_anchors()
    victim = TrailEntry.objects.filter(organization=tenancy.org).order_by("seq")[1]
    _rewrite_whole_chain(tenancy.org, victim.seq)
    settings.MAMORI_TRAIL_ANCHORS_FILE.rename(settings.MAMORI_TRAIL_ANCHORS_FILE.with_suffix(".kept"))
    assert services.verify([tenancy.org]) == []  # the chain alone links rightly again
    settings.MAMORI_TRAIL_ANCHORS_FILE.with_suffix(".kept").rename(settings.MAMORI_TRAIL_ANCHORS_FILE)
    breaks = services.verify([tenancy.org])
    assert breaks and "anchor" in breaks[0].reason and "rewritten" in breaks[0].reason
    assert cli.main(["trail", "verify"]) == 2
    assert "rewritten" in capsys.readouterr().out
    response = tenancy.client(tenancy.owner).post("/trail/verify/", follow=True)
    assert "壊れています" in response.content.decode()


def test_removed_newest_entries_and_organizations_are_caught(tenancy):
    _some_entries(tenancy)
    write_daily_anchor(TODAY)
    # Remove the newest entry and set the head back: the chain alone looks complete.
    newest = TrailEntry.objects.filter(organization=tenancy.org).order_by("-seq").first()
    TrailEntry.objects.filter(pk=newest.pk)._raw_delete(TrailEntry.objects.db)
    before = TrailEntry.objects.get(organization=tenancy.org, seq=newest.seq - 1)
    Organization.objects.filter(pk=tenancy.org.pk).update(trail_seq=before.seq, trail_head=before.hash)
    breaks = services.verify([tenancy.org])
    assert breaks and "missing" in breaks[0].reason
    # An anchored organization that is gone entirely is reported by the full check.
    gone = tenancy.other_org
    TrailEntry.objects.filter(organization=gone)._raw_delete(TrailEntry.objects.db)
    Organization.objects.filter(pk=gone.pk).update(trail_seq=0, trail_head="")
    assert any(b.organization == str(gone.uuid) or b.organization == gone.slug for b in services.verify())


def test_a_broken_chain_is_not_anchored(tenancy):
    _some_entries(tenancy)
    victim = TrailEntry.objects.filter(organization=tenancy.org).order_by("seq")[1]
    TrailEntry.objects.filter(pk=victim.pk).update(actor_label="web:someone@else")
    write_daily_anchor(TODAY)
    assert str(tenancy.org.uuid) not in {a.org_uuid for a in read_anchors()}


def test_the_worker_writes_the_anchor_and_the_trail_page_shows_it(tenancy):
    _some_entries(tenancy)
    page = tenancy.client(tenancy.owner).get("/trail/").content.decode()
    assert "改ざん検知の基準点はまだありません" in page
    cli.run_scheduled_jobs()
    org = Organization.objects.get(pk=tenancy.org.pk)
    page = tenancy.client(tenancy.owner).get("/trail/").content.decode()
    day = timezone.localdate()
    assert f"改ざん検知の基準点: {day.year}年{day.month}月{day.day}日 — 記録 {org.trail_seq}" in page
    assert org.trail_head[:16] in page
