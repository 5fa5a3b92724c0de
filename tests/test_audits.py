"""Audits, findings and corrective actions, our own self-assessment, training, calendar, reports."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from mamori.audits import actions
from mamori.audits.digest import send_weekly_digests
from mamori.audits.models import Audit, CorrectiveAction, Finding, SelfAssessment, TrainingSession
from mamori.checksheets import actions as checksheet_actions
from mamori.checksheets.models import Template
from mamori.core.checksheets.structure import questions
from mamori.platform.trail.services import Actor
from mamori.vendors.models import Contract, Vendor, VendorContact

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(tenancy):
    return tenancy.client(tenancy.owner)


@pytest.fixture
def vendor(tenancy):
    return Vendor.objects.create(organization=tenancy.org, name="株式会社発送代行", inherent_tier="high")


def post(client, url, data):
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def test_plan_proposes_the_next_audit_from_tier_and_last_audit(tenancy, vendor):
    plan = actions.plan_for(tenancy.org)
    due, kind = actions.next_audit(vendor, plan, dt.date(2025, 3, 31), dt.date(2026, 11, 25))
    assert due == dt.date(2026, 3, 31) and kind == "onsite"  # 高: every 12 months, on site
    vendor.inherent_tier = "low"
    assert actions.next_audit(vendor, plan, dt.date(2025, 3, 31), dt.date(2026, 11, 25)) == (
        dt.date(2027, 3, 31),
        "document",
    )
    # Never audited: due within its tier's first window from the day it was registered (low: 12
    # months), not on the day asked — a new organization's plan does not declare every vendor due today.
    registered = timezone.localdate(vendor.created_at)
    never = actions.next_audit(vendor, plan, None, registered + dt.timedelta(days=60))
    assert never == (actions.add_months(registered, 12), "document")
    assert actions.add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)


def test_a_new_organizations_first_plan_does_not_declare_every_vendor_due_today(owner, tenancy, vendor):
    """Issue 17: vendors registered today are first due within 3 (high), 6 (medium) or 12 (low)
    months; a vendor registered long ago and never audited is due this quarter."""
    page = owner.get("/audits/plan/").content.decode()
    assert "株式会社発送代行" not in page.split('id="due-quarter"')[1].split("</table>")[0]
    plan = actions.plan_for(tenancy.org)
    today = timezone.localdate()
    vendor.inherent_tier = "high"
    assert actions.next_audit(vendor, plan, None, today)[0] == actions.add_months(today, 3)
    Vendor.objects.filter(pk=vendor.pk).update(created_at=timezone.now() - dt.timedelta(days=400))
    page = owner.get("/audits/plan/").content.decode()
    assert "株式会社発送代行" in page.split('id="due-quarter"')[1]


def test_audit_findings_actions_lower_the_control_score_until_closed(owner, tenancy, vendor):
    VendorContact.objects.create(
        organization=tenancy.org, vendor=vendor, name="担当", email="t@vendor.example"
    )
    checksheet_actions.ensure_builtin(tenancy.org)
    version = Template.objects.get(organization=tenancy.org, builtin_key="short").current
    [a] = checksheet_actions.send(
        org=tenancy.org,
        version=version,
        vendors=[vendor],
        due_on=timezone.localdate() + dt.timedelta(days=10),
        actor=Actor(user=tenancy.owner),
    )
    r = a.recipients.get()
    for _s, q in questions(version.structure):
        checksheet_actions.save_answer(r, q["key"], value="yes")
    checksheet_actions.submit(r)
    vendor.refresh_from_db()
    assert vendor.control_score == 100.0

    post(
        owner,
        "/audits/new/",
        {"vendor": str(vendor.uuid), "kind": "onsite", "performed_on": "2026-11-01", "auditors": "監査 太郎"},
    )
    audit = Audit.objects.get()
    owner.post(
        f"/audits/{audit.uuid}/upload/", {"file": SimpleUploadedFile("入館記録.pdf", b"%PDF evidence")}
    )
    assert len(audit.files.get().sha256) == 64
    post(
        owner,
        "/audits/findings/new/",
        {"audit": str(audit.uuid), "severity": "high", "description": "入退室記録がない"},
    )
    finding = Finding.objects.get()
    post(
        owner,
        "/audits/actions/new/",
        {
            "finding": str(finding.uuid),
            "what": "入退室管理簿を導入",
            "responsible": "vendor",
            "due_on": "2026-12-01",
            "status": "open",
        },
    )
    vendor.refresh_from_db()
    assert vendor.control_score == 90.0 and "未是正の指摘事項が1件" in vendor.risk_explanation
    action = CorrectiveAction.objects.get()
    post(
        owner,
        f"/audits/actions/{action.uuid}/edit/",
        {
            "finding": str(finding.uuid),
            "what": action.what,
            "responsible": "vendor",
            "due_on": "2026-12-01",
            "status": "done",
            "done_on": "2026-11-20",
            "closing_evidence": "管理簿の写し",
        },
    )
    finding.refresh_from_db()
    vendor.refresh_from_db()
    assert finding.closed_on == dt.date(2026, 11, 20) and vendor.control_score == 100.0
    assert "株式会社発送代行" in owner.get(f"/audits/{audit.uuid}/").content.decode()


def test_overdue_actions_are_flagged_and_filterable(owner, tenancy, vendor):
    audit = Audit.objects.create(organization=tenancy.org, vendor=vendor, performed_on=dt.date(2026, 1, 10))
    finding = Finding.objects.create(organization=tenancy.org, audit=audit, description="x")
    CorrectiveAction.objects.create(
        organization=tenancy.org,
        finding=finding,
        what="遅れている是正",
        due_on=timezone.localdate() - dt.timedelta(days=3),
    )
    page = owner.get("/audits/actions/?overdue=1").content.decode()
    assert "遅れている是正" in page and "期限超過" in page


def test_self_assessment_yearly_with_gaps_turned_into_actions(owner, tenancy):
    page = owner.get("/audits/self/")
    assert page.status_code == 200
    sa = SelfAssessment.objects.get()
    data = {f"q_{q['key']}": "yes" for _s, q in questions(sa.version.structure)}
    data["q_n5"] = "no"
    data["make_actions"] = "1"
    post(owner, "/audits/self/", data)
    sa.refresh_from_db()
    assert sa.score is not None and sa.score < 100 and sa.completed_at
    assert list(sa.actions.values_list("what", flat=True)) == [
        "重要なデータのバックアップを取り、復元を試したことがありますか。"
    ]
    assert "self" not in [t.builtin_key for t in owner.get("/checksheets/templates/").context["templates"]]


def test_training_and_who_has_not_attended(owner, tenancy):
    post(
        owner,
        "/audits/training/new/",
        {
            "held_on": f"{timezone.localdate().year}-06-01",
            "topic": "個人情報保護研修",
            "attendees": [str(tenancy.owner.pk)],
        },
    )
    assert TrainingSession.objects.get().attendees.count() == 1
    page = owner.get("/audits/self/").content.decode()
    not_trained = page.split('id="not-trained">')[1].split("</span>")[0]
    assert tenancy.colleague.display_name in not_trained and tenancy.owner.display_name not in not_trained


def test_calendar_and_its_ical_feed(owner, tenancy, vendor, client):
    Contract.objects.create(
        organization=tenancy.org,
        vendor=vendor,
        title="委託契約",
        ends_on=timezone.localdate() + dt.timedelta(days=20),
    )
    page = owner.get("/calendar/")
    body = page.content.decode()
    assert "委託契約" in body and "株式会社発送代行 の監査（予定）" in body
    feed = page.context["feed"]
    ics = client.get(feed)
    assert (
        ics["Content-Type"].startswith("text/calendar")
        and "SUMMARY:契約更新：株式会社発送代行：委託契約" in ics.content.decode()
    )
    assert client.get(feed.replace(".ics", "0.ics")).status_code == 404
    assert client.get(feed.replace(str(tenancy.org.uuid), str(tenancy.other_org.uuid))).status_code == 404


def test_weekly_digest_goes_once_a_week(tenancy, vendor):
    Contract.objects.create(
        organization=tenancy.org,
        vendor=vendor,
        title="委託契約",
        ends_on=timezone.localdate() + dt.timedelta(days=10),
    )
    assert send_weekly_digests() == 1
    assert "今週の期限" in mail.outbox[-1].subject and "委託契約" in mail.outbox[-1].body
    assert send_weekly_digests() == 0
    assert send_weekly_digests(timezone.now() + dt.timedelta(days=7)) == 1


def test_weekly_digest_counts_overdue_from_the_day_it_runs(tenancy, vendor):
    """A digest sent for another day (a late worker, a test) says what is overdue on that day."""
    audit = Audit.objects.create(organization=tenancy.org, vendor=vendor, performed_on=timezone.localdate())
    finding = Finding.objects.create(organization=tenancy.org, audit=audit, description="x")
    CorrectiveAction.objects.create(
        organization=tenancy.org,
        finding=finding,
        what="今週の是正",
        due_on=timezone.localdate() + dt.timedelta(days=3),
    )
    assert send_weekly_digests(timezone.now() + dt.timedelta(days=7)) == 1
    assert "今週の是正（期限超過）" in mail.outbox[-1].body


def test_annual_report_printable_and_excel(owner, tenancy, vendor):
    audit = Audit.objects.create(organization=tenancy.org, vendor=vendor, performed_on=dt.date(2026, 5, 1))
    Finding.objects.create(organization=tenancy.org, audit=audit, description="指摘")
    page = owner.get("/reports/annual/?year=2026").content.decode()
    assert "株式会社発送代行" in page and "2026年5月1日" in page  # one date format per language
    xlsx = owner.get("/reports/annual/?year=2026&format=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    single = owner.get(f"/reports/annual/?year=2026&vendor={vendor.uuid}").content.decode()
    assert "株式会社発送代行" in single


def test_audits_api(tenancy, client, vendor):
    token = tenancy.token(tenancy.owner, tenancy.org)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    audit = client.post(
        "/api/v1/audits",
        {"vendor": str(vendor.uuid), "performed_on": "2026-11-01", "kind": "remote"},
        content_type="application/json",
        **auth,
    ).json()
    finding = client.post(
        "/api/v1/findings",
        {"audit": audit["uuid"], "description": "ログ未確認", "severity": "medium"},
        content_type="application/json",
        **auth,
    ).json()
    action = client.post(
        "/api/v1/corrective-actions",
        {"finding": finding["uuid"], "what": "ログ確認の手順化"},
        content_type="application/json",
        **auth,
    ).json()
    done = client.patch(
        f"/api/v1/corrective-actions/{action['uuid']}",
        {"status": "done", "done_on": "2026-11-10"},
        content_type="application/json",
        **auth,
    ).json()
    assert done["status"] == "done"
    assert client.get(f"/api/v1/findings/{finding['uuid']}", **auth).json()["closed_on"] == "2026-11-10"
