"""Events the system records are stored as a code and parameters and worded in the reader's language
when read: an entry written while the screens spoke Japanese reads in English, and the other way round;
entries stored before codes existed keep hashing, verifying and reading as they were written."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone, translation

from mamori.checksheets import actions as checksheet_actions
from mamori.checksheets.models import Template
from mamori.incidents import actions
from mamori.incidents.models import Incident, TimelineEntry
from mamori.platform import messages
from mamori.platform.tenancy.models import Organization
from mamori.platform.trail import present, services
from mamori.platform.trail.models import TrailEntry, chain_hash
from mamori.platform.trail.services import Actor
from mamori.vendors.models import Vendor, VendorContact

pytestmark = pytest.mark.django_db

# What an entry hashed before codes existed: a coded entry adds "code" and "params", nothing else.
TRAIL_KEYS = {"org", "seq", "at", "actor", "action", "object_type", "object_id", "object_repr"}
TRAIL_KEYS |= {"changes", "request_id", "prev"}


def stored(obj) -> str:
    """The stored row as text, every column."""
    return json.dumps(type(obj).objects.filter(pk=obj.pk).values().get(), default=str, ensure_ascii=False)


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def incident(tenancy) -> Incident:
    response = tenancy.client(tenancy.owner).post(
        "/incidents/new/",
        {
            "title": "メール誤送信",
            "leak": "on",
            "cause": "misdirected_email",
            "aware_on": "2026-04-28",
            "individuals": "10",
            "items": ["person_name", "email"],
            "individuals_kind": "exact",
            "role": "principal",
            "notices_sent": "0",
            "notices_returned": "0",
        },
    )
    assert response.status_code == 302
    return Incident.objects.get(organization=tenancy.org)


def test_a_timeline_entry_written_in_japanese_reads_in_english(tenancy, incident):
    actor = Actor(user=tenancy.owner, via="web")
    with translation.override("ja"):
        actions.close(incident, actor)
    entry = incident.timeline.get(kind="state")
    open_tasks = incident.tasks.filter(done_at__isnull=True).count()
    assert entry.code == "incidents.closed" and entry.params == {"open_tasks": open_tasks}
    with translation.override("en"):
        assert entry.display_text == f"Incident closed ({open_tasks} tasks not done)"
    with translation.override("ja"):
        assert entry.display_text == f"事案を終了しました（未完了のタスク {open_tasks} 件）"
    # The assessment the form wrote (in Japanese) too, on the page and in the CSV of an English reader.
    client = english(tenancy.client(tenancy.owner))
    assert (
        "Assessment: not a reportable situation"
        in client.get(f"/incidents/{incident.uuid}/").content.decode()
    )
    csv_text = client.get(f"/incidents/{incident.uuid}/timeline.csv").content.decode("utf-8-sig")
    assert "Incident closed (" in csv_text and "事案を終了" not in csv_text
    assert actions.verify_timeline(incident) is None


def test_a_timeline_entry_written_in_english_reads_in_japanese(tenancy, incident):
    actor = Actor(user=tenancy.owner, via="web")
    with translation.override("en"):
        actions.add_task(incident, actor, "Call the card company", timezone.localdate())
    entry = incident.timeline.filter(kind="task").latest("seq")
    assert entry.code == "incidents.task_added" and entry.params == {"title": "Call the card company"}
    # The writer's sentence is not what is kept: the code and parameters are (the text column keeps
    # the wording in the product's language, for the record).
    assert "Task added" not in stored(entry)
    assert entry.text == "タスクを追加：Call the card company"
    with translation.override("ja"):
        assert entry.display_text == "タスクを追加：Call the card company"
    with translation.override("en"):
        assert entry.display_text == "Task added: Call the card company"
    page = tenancy.client(tenancy.owner).get(f"/incidents/{incident.uuid}/timeline.html").content.decode()
    assert "タスクを追加：Call the card company" in page


def test_an_assessment_keeps_its_dates_as_parameters(tenancy, incident):
    data = {
        "title": incident.title,
        "leak": "on",
        "cause": "unauthorized_access",
        "aware_on": "2026-04-28",
        "individuals": "500",
        "individuals_kind": "exact",
        "role": "principal",
        "items": ["person_name"],
        "notices_sent": "0",
        "notices_returned": "0",
    }
    with translation.override("en"):
        assert (
            tenancy.client(tenancy.owner).post(f"/incidents/{incident.uuid}/edit/", data).status_code == 302
        )
    entry = incident.timeline.filter(kind="assessment").latest("seq")
    assert entry.code == "incidents.assessed"
    assert entry.params["reportable"] is True and entry.params["reassessed"] is True
    assert entry.params["final_due"] == "2026-06-26"
    with translation.override("en"):
        assert entry.display_text.startswith("Reassessment: a reportable situation (preliminary report")
        assert "final report due 2026-06-26" in entry.display_text


def test_a_scan_names_the_items_in_the_readers_language(tenancy, incident):
    actor = Actor(user=tenancy.owner, via="web")
    actions.append(
        incident,
        actor,
        "scan",
        code="incidents.scanned",
        params={"file": "leak.csv", "rows": 1200, "individuals": None, "items": ["person_name", "email"]},
    )
    entry = incident.timeline.get(kind="scan")
    with translation.override("en"):
        assert entry.display_text == (
            "Scanned the file leak.csv: 1,200 rows, unknown individuals, items Name, Email address"
            " (the file was not kept)"
        )
    with translation.override("ja"):
        assert entry.display_text == (
            "ファイル leak.csv をスキャン：1,200 行、本人 不明 人、項目 氏名、メールアドレス（ファイルは保存していません）"
        )


def test_the_api_gives_the_code_and_the_words_of_the_reader(tenancy, incident):
    token = tenancy.token(tenancy.owner, tenancy.org)
    client = english(tenancy.client(tenancy.owner))
    body = client.get(
        f"/api/v1/incidents/{incident.uuid}/timeline", HTTP_AUTHORIZATION=f"Bearer {token}"
    ).json()
    assessed = next(e for e in body if e["kind"] == "assessment")
    assert assessed["code"] == "incidents.assessed" and assessed["params"]["reportable"] is False
    assert assessed["text"] == "Assessment: not a reportable situation"


def test_a_timeline_entry_hashes_its_code_and_parameters(tenancy, incident):
    actions.close(incident, Actor(user=tenancy.owner, via="web"))
    entry = incident.timeline.get(kind="state")
    TimelineEntry.objects.filter(pk=entry.pk).update(params={"open_tasks": 0})
    assert "改ざん" in actions.verify_timeline(incident)


def test_a_note_hashes_as_entries_did_before_codes(tenancy, incident):
    note = actions.append(incident, Actor(user=tenancy.owner, via="web"), "note", "電話で第一報")
    assert note.code == "" and note.display_text == "電話で第一報"
    legacy = {
        "incident": str(incident.uuid),
        "seq": note.seq,
        "at": note.at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor": note.actor_label,
        "kind": "note",
        "text": "電話で第一報",
        "data": {},
        "sha256": "",
        "file_name": "",
        "prev": note.prev_hash,
    }
    digest = hashlib.sha256(
        json.dumps(legacy, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    ).hexdigest()
    assert note.hash == digest


def test_a_trail_entry_written_in_japanese_reads_in_english(tenancy):
    org = tenancy.org
    with translation.override("ja"):
        vendor = Vendor.objects.create(organization=org, name="株式会社発送代行")
        contact = VendorContact.objects.create(organization=org, vendor=vendor, name="担当")
        vendor.delete()
    entry = TrailEntry.objects.get(object_id=str(contact.uuid), action="delete")
    assert entry.code == "trail.deleted_with"
    assert entry.params == {"object": "担当", "kind": "vendors.vendor", "name": "株式会社発送代行"}
    assert "削除に伴う" not in stored(entry)
    with translation.override("en"):
        [row] = present.rows([entry], org)
        assert row.object == "担当 (deleted along with the vendor “株式会社発送代行”)"
    with translation.override("ja"):
        [row] = present.rows([entry], org)
        assert row.object == "担当（委託先「株式会社発送代行」の削除に伴う）"
    page = english(tenancy.client(tenancy.owner)).get("/trail/").content.decode()
    assert "deleted along with the vendor" in page
    assert services.verify([org]) == []


def test_a_trail_entry_written_in_english_reads_in_japanese(tenancy):
    org = tenancy.org
    vendor = Vendor.objects.create(organization=org, name="株式会社発送代行", status="contracted")
    VendorContact.objects.create(organization=org, vendor=vendor, name="担当", email="t@vendor.example")
    checksheet_actions.ensure_builtin(org)
    version = Template.objects.get(organization=org, builtin_key="short").current
    actor = Actor(user=tenancy.owner)
    [assessment] = checksheet_actions.send(
        org=org, version=version, vendors=[vendor], due_on=timezone.localdate(), actor=actor
    )
    recipient = assessment.recipients.get()
    with translation.override("en"):
        checksheet_actions.regenerate_link(recipient, actor)
    entry = TrailEntry.objects.filter(object_id=str(recipient.uuid), action="update").latest("seq")
    assert entry.changes["link"] == ["old", "reissued"]
    with translation.override("ja"):
        [row] = present.rows([entry], org)
        assert [c.text() for c in row.changes if c.before == "（旧リンク）"] == [
            "回答用リンク: （旧リンク） → 再発行"
        ]
    with translation.override("en"):
        [row] = present.rows([entry], org)
        assert any(c.before == "(old link)" and c.after == "reissued" for c in row.changes)


def test_a_trail_entry_hashes_its_code_and_parameters_and_older_ones_hash_as_before(tenancy):
    org = tenancy.org
    plain = services.record(org=org, action="access", actor=services.SYSTEM, object_repr="x")
    assert set(json.loads(plain.canonical())) == TRAIL_KEYS
    coded = services.record(
        org=org,
        action="access",
        actor=services.SYSTEM,
        object_repr="報告書",
        code="checksheets.portal_evidence_downloaded",
        params={"file": "規程.pdf"},
    )
    assert set(json.loads(coded.canonical())) == TRAIL_KEYS | {"code", "params"}
    with translation.override("en"):
        assert present.object_text(coded) == "報告書 (evidence downloaded: 規程.pdf)"
    with translation.override("ja"):
        assert present.object_text(coded) == "報告書（証跡ダウンロード 規程.pdf）"
    assert services.verify([org]) == []
    TrailEntry.objects.filter(pk=coded.pk).update(params={"file": "別の.pdf"})
    assert "edited" in services.verify([org])[0].reason


def test_an_unknown_code_still_reads():
    assert messages.render("nobody.knows", {"n": 1}) == 'nobody.knows {"n": 1}'
    with pytest.raises(ValueError, match="twice"):
        messages.register({"incidents.closed": messages.Message("other")})


@pytest.mark.django_db(transaction=True)
def test_entries_stored_before_the_migration_still_verify_and_read():
    """Down to the trail before codes, one entry written there as it was then; up again: intact."""
    org = Organization.objects.create(name="株式会社移行", slug="migration")
    executor = MigrationExecutor(connection)
    before = [("trail", "0002_hmac_chain")]
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(before)
    try:
        old_apps = executor.loader.project_state(before).apps
        OldEntry = old_apps.get_model("trail", "TrailEntry")
        OldOrg = old_apps.get_model("tenancy", "Organization")
        head = OldOrg.objects.get(pk=org.pk)
        at = timezone.now()
        payload = {
            "org": str(org.uuid),
            "seq": head.trail_seq + 1,
            "at": at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "actor": "system:-",
            "action": "export",
            "object_type": "audits.report",
            "object_id": "",
            "object_repr": "annual report 2025",
            "changes": {},
            "request_id": "",
            "prev": head.trail_head,
        }
        digest = chain_hash(
            json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
        )
        OldEntry.objects.create(
            organization_id=org.pk,
            seq=payload["seq"],
            at=at,
            actor_label="system:-",
            action="export",
            object_type="audits.report",
            object_repr="annual report 2025",
            changes={},
            prev_hash=head.trail_head,
            hash=digest,
        )
        OldOrg.objects.filter(pk=org.pk).update(trail_seq=payload["seq"], trail_head=digest)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)
    org.refresh_from_db()
    assert services.verify([org]) == []
    entry = TrailEntry.objects.get(organization=org, action="export")
    assert entry.code == "" and entry.params == {}
    assert present.object_text(entry) == "annual report 2025"
