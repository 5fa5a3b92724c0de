"""The leak-response workspace: facts → rules engine, deadlines, checklist, timeline, scans, documents."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from mamori.incidents import actions
from mamori.incidents.models import Incident, TimelineEntry
from mamori.ledger.models import DataAsset
from mamori.vendors.models import Vendor

pytestmark = pytest.mark.django_db

NAMES = ["山田 太郎", "佐藤 花子", "鈴木 一郎", "高橋 美咲", "田中 健太", "伊藤 由美"]
CSV = "会員番号,氏名,メールアドレス,電話番号\n" + "".join(
    f"M{i:05d},{NAMES[i % 6]},user{i}@example.jp,090-{i % 10000:04d}-5678\n" for i in range(1200)
)


@pytest.fixture
def owner(tenancy):
    return tenancy.client(tenancy.owner)


def create(client, **extra):
    data = {
        "title": "メール誤送信",
        "description": "顧客リストを誤って社外に送信",
        "leak": "on",
        "cause": "misdirected_email",
        "aware_on": "2026-04-28",
        "individuals_kind": "exact",
        "role": "principal",
        "notices_sent": "0",
        "notices_returned": "0",
        **extra,
    }
    response = client.post("/incidents/new/", data)
    assert response.status_code == 302, response.context["form"].errors
    return Incident.objects.latest("created_at")


def test_recording_an_incident_runs_the_rules_engine_and_makes_the_checklist(owner):
    incident = create(owner, individuals="1200", items=["person_name", "email"])
    a = incident.assessment
    assert a["reportable"] and a["grounds"] == ["over_1000"]
    assert incident.final_due == dt.date(2026, 5, 27) and incident.preliminary_due == dt.date(2026, 5, 3)
    titles = list(incident.tasks.values_list("title", flat=True))
    assert (
        any("速報" in t for t in titles)
        and any("確報" in t for t in titles)
        and any("本人へ通知" in t for t in titles)
    )
    final_task = incident.tasks.get(title__contains="確報")
    assert final_task.due_on == dt.date(2026, 5, 27) and final_task.owner is not None
    page = owner.get(f"/incidents/{incident.uuid}/").content.decode()
    assert "報告対象事態" in page and "2026-05-27" in page and "規則7条4号" in page


def test_a_changed_fact_reassesses_and_both_versions_stay_in_the_timeline(owner):
    incident = create(owner, individuals="500", items=["person_name"])
    assert not incident.assessment["reportable"]
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
    assert owner.post(f"/incidents/{incident.uuid}/edit/", data).status_code == 302
    incident.refresh_from_db()
    assert incident.assessment["grounds"] == ["improper_purpose"] and incident.final_due == dt.date(
        2026, 6, 26
    )
    judgements = list(incident.timeline.filter(kind="assessment").values_list("text", flat=True))
    assert len(judgements) == 2 and "該当しない" in judgements[0] and "2026-06-26" in judgements[1]
    assert actions.verify_timeline(incident) is None


def test_data_sets_fill_items_and_count(owner, tenancy):
    asset = DataAsset.objects.create(
        organization=tenancy.org,
        name="患者名簿",
        items=["person_name", "address"],
        special_care=["medical_history"],
        individuals=80,
    )
    incident = create(owner, data_assets=[str(asset.uuid)], cause="misdirected_mail")
    assert incident.items == ["address", "person_name"] and incident.special_care == ["medical_history"]
    assert incident.individuals == 80 and incident.assessment["grounds"] == ["special_care"]


def test_scanning_the_leaked_file_fills_the_facts_without_keeping_it(owner, settings):
    incident = create(owner)
    response = owner.post(
        f"/incidents/{incident.uuid}/scan/", {"file": SimpleUploadedFile("leak.csv", CSV.encode())}
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.individuals == 1200 and {"person_name", "email", "phone"} <= set(incident.items)
    assert incident.assessment["reportable"] and len(incident.scan_summary["sha256"]) == 64
    assert "user5@example.jp" not in str(incident.scan_summary)
    assert (
        not any(p.name.endswith(".csv") for p in settings.MEDIA_ROOT.rglob("*"))
        if settings.MEDIA_ROOT.exists()
        else True
    )
    assert incident.timeline.filter(kind="scan").exists()


def test_timeline_is_hash_chained_and_tampering_is_found(owner):
    incident = create(owner, individuals="1200")
    owner.post(
        f"/incidents/{incident.uuid}/timeline/add/",
        {
            "kind": "decision",
            "text": "委員会へ速報する",
            "file": SimpleUploadedFile("log.txt", b"access log"),
        },
    )
    entry = incident.timeline.get(kind="decision")
    assert len(entry.sha256) == 64 and entry.file_name == "log.txt"
    assert actions.verify_timeline(incident) is None
    TimelineEntry.objects.filter(pk=entry.pk).update(text="改ざん")
    assert "改ざん" in actions.verify_timeline(incident)
    with pytest.raises(RuntimeError):
        entry.save()


def test_documents_in_word_and_print(owner):
    incident = create(owner, individuals="1200", items=["person_name", "email"])
    response = owner.get(f"/incidents/{incident.uuid}/documents/ppc_preliminary.docx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "個人情報保護委員会への漏えい等報告（速報）" in text and "1. 概要" in text
    assert "9. その他参考となる事項" in text and "調査中" in cells  # unknown items are marked
    assert text.index("1. 概要") < text.index("4. 原因") < text.index("8. 再発防止のための措置")
    notice = owner.get(f"/incidents/{incident.uuid}/documents/notice.html").content.decode()
    assert "お詫び" in notice and "氏名、メールアドレス" in notice
    assert incident.timeline.filter(kind="document").count() == 2


def test_organization_edits_the_wording(owner):
    incident = create(owner)
    response = owner.post("/incidents/wording/qa/", {"body": "■ 想定問答\r\n当社独自の文面 {{事案名}}"})
    assert response.status_code == 302
    text = owner.get(f"/incidents/{incident.uuid}/documents/qa.html").content.decode()
    assert "当社独自の文面 メール誤送信" in text
    bad = owner.post("/incidents/wording/qa/", {"body": "{% if %}{{ i.title }}"})
    assert "テンプレートのタグは使えません" in bad.content.decode()
    assert "使えない差し込み項目があります：{{i.title}}" in bad.content.decode()


def test_tasks_complete_and_close(owner):
    incident = create(owner, individuals="1200")
    for task in incident.tasks.all():
        owner.post(f"/incidents/tasks/{task.uuid}/done/")
    assert not incident.tasks.filter(done_at__isnull=True).exists()
    owner.post(f"/incidents/{incident.uuid}/close/")
    incident.refresh_from_db()
    assert incident.state == "closed" and actions.verify_timeline(incident) is None
    csv_text = owner.get(f"/incidents/{incident.uuid}/timeline.csv").content.decode("utf-8-sig")
    assert "事案を終了しました" in csv_text


def test_vendor_incident_shows_on_the_vendor_and_raises_its_risk(owner, tenancy):
    vendor = Vendor.objects.create(organization=tenancy.org, name="株式会社発送代行")
    create(owner, vendor=str(vendor.uuid), cause="vendor", aware_on=timezone.localdate().isoformat())
    vendor.refresh_from_db()
    assert vendor.risk_rating == "medium" and "漏えい等事案が過去1年に1件" in vendor.risk_explanation
    assert "メール誤送信" in owner.get(f"/vendors/{vendor.uuid}/").content.decode()


def test_dashboard_lists_open_incidents_nearest_deadline_first(owner):
    create(owner, title="遠い", aware_on="2026-08-01", individuals="2000")
    create(owner, title="近い", aware_on="2026-04-28", individuals="2000")
    page = owner.get("/").content.decode()
    assert page.index("近い") < page.index("遠い")


def test_estimate_on_the_incident(owner):
    incident = create(owner, individuals="1200", items=["person_name", "address", "phone", "credit_card"])
    page = owner.get(f"/incidents/{incident.uuid}/").content.decode()
    assert "93,600,000円" in page


def test_validation_in_japanese(owner):
    response = owner.post(
        "/incidents/new/",
        {
            "title": "",
            "cause": "other",
            "aware_on": "",
            "individuals_kind": "exact",
            "role": "principal",
            "notices_sent": "0",
            "notices_returned": "0",
        },
    )
    page = response.content.decode()
    assert "このフィールドは必須です" in page and "漏えい・滅失・毀損" in page
    assert not Incident.objects.exists()


def test_incident_through_the_api(tenancy, client):
    token = tenancy.token(tenancy.owner, tenancy.org)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    created = client.post(
        "/api/v1/incidents",
        {
            "title": "不正アクセス",
            "aware_on": "2026-04-28",
            "cause": "unauthorized_access",
            "leak": True,
            "individuals": 300,
            "items": ["person_name", "credit_card"],
        },
        content_type="application/json",
        **auth,
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (
        body["assessment"]["grounds"] == ["financial", "improper_purpose"]
        and body["final_due"] == "2026-06-26"
    )
    tasks = client.get(f"/api/v1/incidents/{body['uuid']}/tasks", **auth).json()
    done = client.post(f"/api/v1/incidents/tasks/{tasks[0]['uuid']}/done", **auth).json()
    assert done["done"] is True
    client.post(
        f"/api/v1/incidents/{body['uuid']}/timeline",
        {"kind": "decision", "text": "速報を提出"},
        content_type="application/json",
        **auth,
    )
    doc = client.get(f"/api/v1/incidents/{body['uuid']}/documents/ppc_final", **auth).json()
    assert "確報" in doc["text"]
    closed = client.post(f"/api/v1/incidents/{body['uuid']}/close", **auth).json()
    assert closed["state"] == "closed"
    assert client.get(f"/api/v1/incidents/{body['uuid']}/timeline/verify", **auth).json() == {
        "intact": True,
        "problem": None,
    }
    kinds = [e["kind"] for e in client.get(f"/api/v1/incidents/{body['uuid']}/timeline", **auth).json()]
    assert kinds[0] == "assessment" and "decision" in kinds and kinds[-1] == "state"


@pytest.mark.parametrize(
    ("today", "days_left"),
    [
        ("2026-11-25", 29),  # day 30 is Thursday 12/24
        ("2026-11-27", 31),  # day 30 is Saturday 12/26: the deadline moves to Monday 12/28
        ("2027-11-25", 29),
    ],
)
def test_countdown_says_when_a_date_has_passed(tenancy, today, days_left):
    with time_machine.travel(dt.datetime.fromisoformat(f"{today}T10:00+09:00"), tick=True):
        owner = tenancy.client(tenancy.owner)  # signed in on that day (a session lasts 12 hours)
        incident = create(owner, individuals="1200", aware_on="2025-04-28")
        page = owner.get(f"/incidents/{incident.uuid}/").content.decode()
        assert "期限を" in page and "日過ぎています" in page
        soon = create(owner, individuals="1200", aware_on=today)
        assert f"あと{days_left}日" in owner.get(f"/incidents/{soon.uuid}/").content.decode()


def test_countdown_counts_from_today(owner):
    """Whatever day the suite runs at (MAMORI_TEST_TODAY)."""
    soon = create(owner, individuals="1200", aware_on=timezone.localdate().isoformat())
    left = (soon.final_due - timezone.localdate()).days
    assert 29 <= left <= 35 and f"あと{left}日" in owner.get(f"/incidents/{soon.uuid}/").content.decode()
