from __future__ import annotations

import itertools

import pytest

from mamori import cli
from mamori.platform.tenancy.actions import change_role
from mamori.platform.tenancy.models import Membership, Role
from mamori.platform.trail import services
from mamori.platform.trail.models import AppendOnlyError, TrailEntry

pytestmark = pytest.mark.django_db


def _some_entries(tenancy, n=3):
    actor = services.Actor(user=tenancy.owner, via="cli")
    membership = Membership.objects.get(user=tenancy.colleague)
    for role in [Role.EDITOR, Role.VIEWER, Role.AUDITOR][:n]:
        change_role(membership=membership, role=role, actor=actor)


def test_changes_are_recorded_with_actor_before_and_after(tenancy):
    _some_entries(tenancy, 1)
    entry = TrailEntry.objects.filter(organization=tenancy.org).latest("seq")
    assert entry.action == "update" and entry.actor_label == f"cli:{tenancy.owner.email}"
    assert entry.changes == {"role": ["viewer", "editor"]}
    assert services.verify([tenancy.org]) == []


def test_entries_chain_by_hash(tenancy):
    _some_entries(tenancy)
    entries = list(TrailEntry.objects.filter(organization=tenancy.org).order_by("seq"))
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    assert entries[0].prev_hash == services.GENESIS
    for previous, entry in itertools.pairwise(entries):
        assert entry.prev_hash == previous.hash == previous.compute_hash()


def test_entries_are_append_only(tenancy):
    _some_entries(tenancy, 1)
    entry = TrailEntry.objects.filter(organization=tenancy.org).first()
    entry.object_repr = "changed"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()


def test_an_edited_entry_is_reported(tenancy, capsys):
    _some_entries(tenancy)
    victim = TrailEntry.objects.filter(organization=tenancy.org).order_by("seq")[1]
    TrailEntry.objects.filter(pk=victim.pk).update(changes={"role": ["viewer", "owner"]})
    breaks = services.verify([tenancy.org])
    assert breaks[0].seq == victim.seq and "edited" in breaks[0].reason
    assert cli.main(["trail", "verify"]) == 2
    assert f"entry {victim.seq}" in capsys.readouterr().out


def test_a_deleted_entry_is_reported(tenancy):
    _some_entries(tenancy)
    victim = TrailEntry.objects.filter(organization=tenancy.org).order_by("seq")[1]
    TrailEntry.objects.filter(pk=victim.pk)._raw_delete(TrailEntry.objects.db)
    assert services.verify([tenancy.org])[0].seq == victim.seq + 1


def test_removing_the_newest_entry_is_reported(tenancy):
    _some_entries(tenancy)
    newest = TrailEntry.objects.filter(organization=tenancy.org).order_by("-seq").first()
    TrailEntry.objects.filter(pk=newest.pk)._raw_delete(TrailEntry.objects.db)
    breaks = services.verify([tenancy.org])
    assert breaks and "removed" in breaks[0].reason


def test_intact_trail_verifies_from_the_cli(tenancy, capsys):
    _some_entries(tenancy)
    assert cli.main(["trail", "verify"]) == 0
    assert "OK" in capsys.readouterr().out


def test_chains_are_per_organization(tenancy):
    mine = TrailEntry.objects.filter(organization=tenancy.org)
    other = TrailEntry.objects.filter(organization=tenancy.other_org).order_by("seq")
    other_before, mine_before = other.count(), mine.count()
    _some_entries(tenancy)
    outsider = Membership.objects.get(user=tenancy.outsider)
    change_role(membership=outsider, role=Role.OWNER, actor=services.Actor(user=tenancy.outsider))
    services.record(org=tenancy.other_org, actor=services.SYSTEM, action="access", object_repr="x")
    assert [e.seq for e in other] == list(range(1, other_before + 2))
    assert other.first().prev_hash == services.GENESIS
    assert mine.count() == mine_before + 3
    assert services.verify() == []


def test_trail_page_lists_and_filters_and_exports(tenancy):
    _some_entries(tenancy)
    client = tenancy.client(tenancy.owner)
    page = client.get("/trail/?action=update").content.decode()
    assert "CLI" in page and "cli:" not in page
    response = client.get("/trail/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert TrailEntry.objects.filter(organization=tenancy.org, action="export").exists()


def test_verify_button_reports_the_break(tenancy):
    _some_entries(tenancy)
    victim = TrailEntry.objects.filter(organization=tenancy.org).order_by("seq")[1]
    TrailEntry.objects.filter(pk=victim.pk).update(actor_label="web:someone@else")
    response = tenancy.client(tenancy.owner).post("/trail/verify/", follow=True)
    assert f"{victim.seq}" in response.content.decode() and "壊れています" in response.content.decode()
