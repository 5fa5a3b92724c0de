"""Changes that used to bypass the trail, each through its real door, with the right actor;
answers kept per round; a database copy alone cannot re-forge the keyed chain."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.test import Client
from django.utils import timezone

from mamori import cli
from mamori.audits.models import CorrectiveAction, SelfAssessment
from mamori.checksheets import actions
from mamori.checksheets.models import Answer, Submission, Template
from mamori.core.checksheets.structure import questions
from mamori.incidents.models import Task
from mamori.platform.tenancy.models import Organization
from mamori.platform.trail import services
from mamori.platform.trail.models import TrailEntry
from mamori.platform.trail.services import Actor
from mamori.vendors.models import Vendor, VendorContact

pytestmark = pytest.mark.django_db


def entries(model, **filters):
    return TrailEntry.objects.filter(object_type=model._meta.label_lower, **filters)


@pytest.fixture
def sheet(tenancy):
    org = tenancy.org
    vendor = Vendor.objects.create(organization=org, name="株式会社発送代行", status="contracted")
    VendorContact.objects.create(
        organization=org, vendor=vendor, name="担当 花子", email="hanako@vendor.example"
    )
    actions.ensure_builtin(org)
    version = Template.objects.get(organization=org, builtin_key="short").current
    [a] = actions.send(
        org=org,
        version=version,
        vendors=[vendor],
        due_on=timezone.localdate() + dt.timedelta(days=20),
        actor=Actor(user=tenancy.owner),
    )
    return a, a.recipients.get(), [q["key"] for _s, q in questions(version.structure)]


def test_a_vendor_answer_from_the_portal_is_trailed_as_the_vendor_contact(sheet):
    a, r, keys = sheet
    Client().post(f"/p/{r.token}/answer/{keys[0]}/", {"value": "yes", "remark": "規程あり"})
    answer = Answer.objects.get(assessment=a, question=keys[0])
    [entry] = entries(Answer, object_id=str(answer.uuid))
    assert entry.action == "create" and entry.actor_label == "portal:hanako@vendor.example"
    assert entry.actor_id is None
    assert entry.changes["value"] == [None, "yes"] and entry.changes["remark"] == [None, "規程あり"]
    # The assessment moved to "being answered": trailed too, as the vendor.
    state = entries(a.__class__, object_id=str(a.uuid), action="update").latest("seq")
    assert state.changes["state"] == ["sent", "in_progress"] and state.actor_label.startswith("portal:")


def test_a_returned_and_re_answered_sheet_keeps_round_one(sheet, tenancy):
    a, r, keys = sheet
    vendor_side = Client()
    for key in keys:
        vendor_side.post(f"/p/{r.token}/answer/{key}/", {"value": "no" if key == "t2" else "yes"})
    assert vendor_side.post(f"/p/{r.token}/submit/").status_code == 302
    staff = tenancy.client(tenancy.owner)
    staff.post(f"/checksheets/{a.uuid}/review/", {"decision": "return", "comment_t2": "再確認してください"})
    vendor_side.post(f"/p/{r.token}/answer/t2/", {"value": "yes", "remark": "導入しました"})
    vendor_side.post(f"/p/{r.token}/submit/")

    first, second = Submission.objects.filter(assessment=a).order_by("round")
    assert (first.round, second.round) == (1, 2)
    assert first.answers["t2"]["value"] == "no" and second.answers["t2"]["value"] == "yes"
    assert first.score < second.score
    with pytest.raises(RuntimeError):  # a submitted round cannot be rewritten
        first.save()
    # The reviewer sees what round 1 said where it differs.
    page = staff.get(f"/checksheets/{a.uuid}/").content.decode()
    assert "第1回" in page
    # And the overwrite of the working answer is in the trail with before and after.
    t2 = Answer.objects.get(assessment=a, question="t2")
    change = entries(Answer, object_id=str(t2.uuid), action="update").latest("seq")
    assert change.changes["value"] == ["no", "yes"] and change.actor_label.startswith("portal:")


def test_generated_incident_tasks_are_trailed_as_the_user(tenancy):
    client = tenancy.client(tenancy.owner)
    response = client.post(
        "/incidents/new/",
        {
            "title": "メール誤送信",
            "description": "顧客リストを誤って社外に送信",
            "leak": "on",
            "cause": "misdirected_email",
            "aware_on": "2026-04-28",
            "individuals_kind": "exact",
            "role": "principal",
            "notices_sent": "0",
            "notices_returned": "0",
        },
    )
    assert response.status_code == 302
    tasks = Task.objects.filter(organization=tenancy.org)
    assert tasks.exists()
    for task in tasks:
        [entry] = entries(Task, object_id=str(task.uuid), action="create")
        assert entry.actor_label == f"web:{tenancy.owner.email}"


def test_corrective_actions_from_the_self_assessment_are_trailed(tenancy):
    client = tenancy.client(tenancy.owner)
    client.get("/audits/self/")
    sa = SelfAssessment.objects.get()
    data = {f"q_{q['key']}": "yes" for _s, q in questions(sa.version.structure)}
    data["q_n5"] = "no"
    data["make_actions"] = "1"
    client.post("/audits/self/", data)
    [action] = CorrectiveAction.objects.filter(organization=tenancy.org)
    [entry] = entries(CorrectiveAction, object_id=str(action.uuid), action="create")
    assert entry.actor_label == f"web:{tenancy.owner.email}"
    answers = entries(SelfAssessment, object_id=str(sa.uuid), action="update").latest("seq")
    assert answers.changes["answers"][1]["n5"]["value"] == "no"


def test_the_cli_door(tenancy, capsys):
    assert cli.main(["token", "create", "--email", tenancy.owner.email, "--name", "cli-token"]) == 0
    entry = TrailEntry.objects.filter(object_type="accounts.apitoken").latest("seq")
    assert entry.actor_label == f"cli:{tenancy.owner.email}"


def test_a_database_copy_rehashed_with_plain_sha256_fails_verify(tenancy, capsys):
    """Someone with the database (not the data folder's trail key) edits an entry and re-computes
    every hash after it the way the old unkeyed chain did: verify still finds it."""
    org = Organization.objects.get(pk=tenancy.org.pk)
    Vendor.objects.create(organization=org, name="委託先")
    chain = list(TrailEntry.objects.filter(organization=org).order_by("seq"))
    assert services.verify([org]) == []
    chain[1].object_repr = "書き換え"
    prev = chain[0].hash
    for entry in chain[1:]:
        entry.organization = org
        entry.prev_hash = prev
        entry.hash = hashlib.sha256(entry.canonical()).hexdigest()
        TrailEntry.objects.filter(pk=entry.pk).update(
            object_repr=entry.object_repr, prev_hash=entry.prev_hash, hash=entry.hash
        )
        prev = entry.hash
    Organization.objects.filter(pk=org.pk).update(trail_head=prev)
    breaks = services.verify([org])
    assert breaks and breaks[0].seq == chain[1].seq and "edited" in breaks[0].reason
    assert cli.main(["trail", "verify"]) == 2


def test_the_chain_depends_on_the_key(tenancy, settings):
    org = tenancy.org
    assert services.verify([org]) == []
    settings.MAMORI_TRAIL_KEY = "another-key-another-key-another-key"
    assert services.verify([org])[0].seq == 1
