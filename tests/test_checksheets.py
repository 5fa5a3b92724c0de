"""Check sheets: templates, sending, the vendor portal, scoring, review, reminders, Excel round trips."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from mamori.checksheets import actions
from mamori.checksheets.models import Assessment, MailLog, Recipient, State, Template
from mamori.core.checksheets import builtin, scoring
from mamori.core.checksheets.structure import questions
from mamori.platform.trail.models import TrailEntry
from mamori.platform.trail.services import Actor
from mamori.vendors.models import Vendor, VendorContact

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(tenancy):
    org = tenancy.org
    vendor = Vendor.objects.create(organization=org, name="株式会社発送代行", status="contracted")
    VendorContact.objects.create(
        organization=org, vendor=vendor, name="担当 花子", email="hanako@vendor.example"
    )
    VendorContact.objects.create(organization=org, vendor=vendor, name="電話だけの人")
    actions.ensure_builtin(org)
    short = Template.objects.get(organization=org, builtin_key="short").current
    return tenancy, vendor, short


def send_one(setup, due_days=20):
    tenancy, vendor, version = setup
    [a] = actions.send(
        org=tenancy.org,
        version=version,
        vendors=[vendor],
        due_on=timezone.localdate() + dt.timedelta(days=due_days),
        actor=Actor(user=tenancy.owner),
    )
    return a


def test_builtin_templates_have_the_promised_sizes():
    sizes = {key: sum(1 for _ in questions(build())) for key, (_n, _d, build) in builtin.BUILTIN.items()}
    assert 38 <= sizes["standard"] <= 45 and sizes["short"] == 15 and 10 <= sizes["selection"] <= 20


def test_scoring_weighted_na_excluded_and_critical():
    """Weighted average of scored answers; 該当なし excluded; a critical 'no' sets the rating to D."""
    structure = {
        "sections": [
            {
                "key": "s1",
                "title": "A",
                "questions": [
                    {"key": "a", "text": "", "type": "ynp", "weight": 2, "required": True},
                    {"key": "b", "text": "", "type": "ynp", "weight": 1, "required": True},
                    {
                        "key": "c",
                        "text": "",
                        "type": "ynp",
                        "weight": 1,
                        "required": True,
                        "critical": True,
                        "allow_na": True,
                    },
                ],
            }
        ]
    }
    s = scoring.score(
        structure, {"a": {"value": "yes"}, "b": {"value": "partial"}, "c": {"value": "na", "na_reason": "x"}}
    )
    assert s.overall == round(100 * (2 * 1 + 0.5) / 3, 1) and s.rating == "A" and s.required_missing == []
    s = scoring.score(structure, {"a": {"value": "yes"}, "b": {"value": "yes"}, "c": {"value": "no"}})
    assert s.overall == 75.0 and s.critical_failed == ["c"] and s.rating == "D"
    assert scoring.score(structure, {"a": {"value": "yes"}}).required_missing == ["b", "c"]


def test_risk_matrix_explained():
    risk, words = scoring.risk_rating("high", "D", ["重要な設問"])
    assert risk == "high" and "固有リスク高" in words and "不十分" in words and "重要な設問" in words


def test_sending_creates_links_mails_and_shows_missing_addresses(setup):
    a = send_one(setup)
    recipients = list(a.recipients.order_by("name"))
    assert len(recipients) == 2 and a.state == State.SENT
    statuses = {m.recipient.name: m.status for m in MailLog.objects.all()}
    assert statuses == {"担当 花子": "sent", "電話だけの人": "no_address"}
    assert (len(mail.outbox) == 1 and recipients[1].link in mail.outbox[0].body) or recipients[
        0
    ].link in mail.outbox[0].body
    token = next(r for r in recipients if r.email).token
    assert token.startswith("mmv_") and len(token) > 50
    assert token not in str(
        Recipient.objects.values_list("lookup", "nonce")
    )  # only lookup and nonce are stored


def test_mail_failure_is_recorded_not_silent(setup, settings):
    settings.MAMORI_DELIVERY_EMAIL_BACKEND = "tests.test_checksheets.BrokenBackend"
    send_one(setup)
    failed = MailLog.objects.get(recipient__email="hanako@vendor.example")
    assert failed.status == "failed" and "SMTP down" in failed.error


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP down")


def portal_client():
    return Client()


def test_portal_draft_submit_return_and_accept(setup):
    tenancy, vendor, version = setup
    a = send_one(setup)
    r = a.recipients.get(email="hanako@vendor.example")
    vendor_side = portal_client()
    page = vendor_side.get(f"/p/{r.token}/")
    assert page.status_code == 200 and "株式会社アルファ" in page.content.decode()
    keys = [q["key"] for _s, q in questions(version.structure)]
    for key in keys[:5]:
        assert (
            vendor_side.post(
                f"/p/{r.token}/answer/{key}/", {"value": "yes", "remark": "規程あり"}, HTTP_HX_REQUEST="true"
            ).status_code
            == 200
        )
    a.refresh_from_db()
    assert a.state == State.IN_PROGRESS
    # Submitting with required questions missing is refused.
    response = vendor_side.post(f"/p/{r.token}/submit/", follow=True)
    assert "未回答の必須設問" in response.content.decode()
    for key in keys[5:]:
        vendor_side.post(f"/p/{r.token}/answer/{key}/", {"value": "yes" if key != "t2" else "no"})
    upload = SimpleUploadedFile("規程.pdf", b"%PDF-1.4 evidence")
    vendor_side.post(f"/p/{r.token}/evidence/p1/", {"file": upload})
    assert a.evidence.get().sha256
    response = vendor_side.post(f"/p/{r.token}/submit/", follow=True)
    assert "受付番号" in response.content.decode()
    a.refresh_from_db()
    assert a.state == State.SUBMITTED and a.rating == "D" and a.critical_failed == ["t2"]
    vendor.refresh_from_db()
    assert vendor.control_rating == "D" and "ID・パスワード" in vendor.risk_explanation
    # Read-only after submission.
    assert (
        vendor_side.post(f"/p/{r.token}/answer/p1/", {"value": "no"}, HTTP_HX_REQUEST="true").status_code
        == 409
    )
    # The reviewer returns it with a comment on t2; the vendor sees it and answers again.
    staff = tenancy.client(tenancy.owner)
    staff.post(
        f"/checksheets/{a.uuid}/review/",
        {"decision": "return", "comment_t2": "多要素認証の導入予定を教えてください"},
    )
    a.refresh_from_db()
    assert a.state == State.RETURNED and any("再回答" in m.subject for m in mail.outbox)
    page = vendor_side.get(f"/p/{r.token}/").content.decode()
    assert "多要素認証の導入予定" in page
    vendor_side.post(f"/p/{r.token}/answer/t2/", {"value": "yes"})
    vendor_side.post(f"/p/{r.token}/submit/")
    staff.post(f"/checksheets/{a.uuid}/review/", {"decision": "approve"})
    a.refresh_from_db()
    assert a.state == State.APPROVED and a.score == 100.0 and a.rating == "A"
    detail = staff.get(f"/checksheets/{a.uuid}/").content.decode()
    assert "承認済" in detail and "規程.pdf" in detail
    assert TrailEntry.objects.filter(action="access", actor_label__startswith="portal:").exists()


def test_expired_revoked_and_foreign_tokens_are_404(setup):
    tenancy, _vendor, _version = setup
    a = send_one(setup)
    r = a.recipients.get(email="hanako@vendor.example")
    client = portal_client()
    assert client.get(f"/p/{r.token}x/").status_code == 404
    assert client.get("/p/mmv_000000000000_" + "a" * 43 + "/").status_code == 404
    token = r.token
    actions.regenerate_link(r, Actor(user=tenancy.owner))
    assert client.get(f"/p/{token}/").status_code == 404 and client.get(f"/p/{r.token}/").status_code == 200
    actions.revoke_link(r, Actor(user=tenancy.owner))
    assert client.get(f"/p/{r.token}/").status_code == 404
    other = a.recipients.exclude(pk=r.pk).get()
    Recipient.objects.filter(pk=other.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert client.get(f"/p/{other.token}/").status_code == 404


def test_token_guessing_is_rate_limited(setup):
    a = send_one(setup)
    r = a.recipients.get(email="hanako@vendor.example")
    client = portal_client()
    for i in range(31):
        client.get(f"/p/mmv_{i:012x}_guess/")
    assert client.get("/p/mmv_000000000000_guess/").status_code == 404
    # Issue 13: the right link still opens from this address (it used to be 404 for a while).
    assert client.get(f"/p/{r.token}/").status_code == 200


def test_reminders_from_stored_times_catch_up_and_stop_after_submission(setup):
    _tenancy, _vendor, _version = setup
    a = send_one(
        setup, due_days=3
    )  # 7 days before is already past: the first reminder is the day after the due date
    r = a.recipients.get(email="hanako@vendor.example")
    assert r.next_reminder_at.date() == a.due_on + dt.timedelta(days=1)
    mail.outbox.clear()
    # The worker was down for days: one run catches up.
    later = timezone.now() + dt.timedelta(days=6)
    assert actions.process_due_reminders(later) == 1
    assert "期限超過" in mail.outbox[-1].subject
    assert actions.process_due_reminders(later) == 0  # claimed: not sent twice
    r.refresh_from_db()
    assert r.next_reminder_at > later
    Assessment.objects.filter(pk=a.pk).update(state=State.SUBMITTED)
    assert actions.process_due_reminders(later + dt.timedelta(days=30)) == 0
    kinds = list(MailLog.objects.filter(assessment=a).values_list("kind", flat=True))
    assert "overdue" in kinds and "invitation" in kinds


def test_reminder_before_the_due_date(setup):
    a = send_one(setup, due_days=20)
    r = a.recipients.get(email="hanako@vendor.example")
    assert r.next_reminder_at.date() == a.due_on - dt.timedelta(days=7)
    assert actions.process_due_reminders(r.next_reminder_at + dt.timedelta(minutes=1)) == 1
    r.refresh_from_db()
    assert r.next_reminder_at.date() == a.due_on + dt.timedelta(days=1)


def test_excel_template_import_and_export(setup):
    tenancy, _vendor, _version = setup
    wb = Workbook()
    for row in [
        actions.EXCEL_HEADERS,
        ["体制", "責任者を定めていますか。", "はい／いいえ／一部／該当なし", "2", "○", "○", "", "", ""],
        ["教育", "研修の頻度", "単一選択", "1", "○", "", "毎年|2年ごと|していない", "", ""],
        ["証跡", "規程の写し", "証跡ファイル", "0", "", "", "", "", ""],
    ]:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    staff = tenancy.client(tenancy.owner)
    response = staff.post(
        "/checksheets/templates/",
        {"name": "自社シート", "file": SimpleUploadedFile("s.xlsx", out.getvalue())},
    )
    assert response.status_code == 302
    template = Template.objects.get(name="自社シート")
    structure = template.current.structure
    assert [q["type"] for _s, q in questions(structure)] == ["ynp", "single", "file"]
    assert structure["sections"][1]["questions"][0]["choices"][0] == {
        "value": "c0",
        "label": "毎年",
        "score": 1.0,
    }
    exported = staff.get(f"/checksheets/templates/{template.uuid}/export.xlsx")
    rows = list(load_workbook(io.BytesIO(exported.content)).active.iter_rows(values_only=True))
    assert rows[1][1] == "責任者を定めていますか。" and rows[2][6] == "毎年|2年ごと|していない"


def test_excel_template_errors_row_by_row(setup):
    tenancy, _v, _ver = setup
    wb = Workbook()
    for row in [
        actions.EXCEL_HEADERS,
        ["", "設問だけ", "", "", "", "", "", "", ""],
        ["A", "形式違い", "なんとか", "1", "", "", "", "", ""],
        ["A", "重み違い", "", "-1", "", "", "", "", ""],
    ]:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    response = tenancy.client(tenancy.owner).post(
        "/checksheets/templates/", {"file": SimpleUploadedFile("s.xlsx", out.getvalue())}
    )
    page = response.content.decode()
    assert "行2" in page and "行3" in page and "行4" in page
    assert not Template.objects.filter(builtin_key="").exists()


def test_vendor_excel_answers_round_trip(setup):
    a = send_one(setup)
    r = a.recipients.get(email="hanako@vendor.example")
    client = portal_client()
    workbook = load_workbook(io.BytesIO(client.get(f"/p/{r.token}/excel/").content))
    ws = workbook.active
    for row in ws.iter_rows(min_row=2):
        row[5].value = "はい"
    ws.cell(row=2, column=8, value="Excelからの備考")
    out = io.BytesIO()
    workbook.save(out)
    response = client.post(
        f"/p/{r.token}/excel/upload/", {"file": SimpleUploadedFile("a.xlsx", out.getvalue())}, follow=True
    )
    assert "15 問" in response.content.decode()
    assert a.answers.count() == 15 and a.answers.get(question="p1").remark == "Excelからの備考"
    client.post(f"/p/{r.token}/submit/")
    a.refresh_from_db()
    assert a.state == State.SUBMITTED and a.score == 100.0


def test_excel_answers_with_a_wrong_choice_are_refused(setup):
    a = send_one(setup)
    r = a.recipients.get(email="hanako@vendor.example")
    client = portal_client()
    workbook = load_workbook(io.BytesIO(client.get(f"/p/{r.token}/excel/").content))
    workbook.active.cell(row=2, column=6, value="たぶん")
    out = io.BytesIO()
    workbook.save(out)
    response = client.post(
        f"/p/{r.token}/excel/upload/", {"file": SimpleUploadedFile("a.xlsx", out.getvalue())}, follow=True
    )
    assert "選択肢にありません" in response.content.decode() and a.answers.count() == 0


def test_year_over_year_comparison_marks_changes(setup):
    tenancy, _vendor, version = setup
    first = send_one(setup)
    r = first.recipients.get(email="hanako@vendor.example")
    for _s, q in questions(version.structure):
        actions.save_answer(r, q["key"], value="yes")
    actions.submit(r)
    Assessment.objects.filter(pk=first.pk).update(created_at=timezone.now() - dt.timedelta(days=365))
    second = send_one(setup)
    r2 = second.recipients.get(email="hanako@vendor.example")
    for _s, q in questions(version.structure):
        actions.save_answer(r2, q["key"], value="partial" if q["key"] == "h1" else "yes")
    page = tenancy.client(tenancy.owner).get(f"/checksheets/{second.uuid}/?compare=1").content.decode()
    assert page.count('class="changed"') == 1 and 'id="q-h1" class="changed"' in page


def test_pass_down_to_a_re_subcontractor(setup):
    from mamori.ledger.models import DataAsset
    from mamori.vendors.models import Entrustment

    tenancy, vendor, _version = setup
    org = tenancy.org
    sub = Vendor.objects.create(organization=org, name="再委託の印刷所")
    asset = DataAsset.objects.create(organization=org, name="会員")
    parent = Entrustment.objects.create(organization=org, vendor=vendor, data_asset=asset)
    Entrustment.objects.create(organization=org, vendor=sub, data_asset=asset, parent=parent)
    a = send_one(setup)
    r = a.recipients.get(email="hanako@vendor.example")
    client = portal_client()
    client.post(
        f"/p/{r.token}/forward/",
        {"vendor": str(sub.uuid), "name": "印刷 太郎", "email": "taro@print.example"},
    )
    child = Assessment.objects.get(vendor=sub)
    assert child.parent == a and child.recipients.get().email == "taro@print.example"
    assert "再委託の印刷所" in tenancy.client(tenancy.owner).get(f"/checksheets/{a.uuid}/").content.decode()
    # The answers come back attached to the chain in the registry.
    chain_page = tenancy.client(tenancy.owner).get(f"/ledger/{asset.uuid}/").content.decode()
    assert f"/checksheets/{child.uuid}/" in chain_page and "送付済" in chain_page


def test_dashboard_and_heat_map_data(setup):
    tenancy, _vendor, version = setup
    a = send_one(setup)
    r = a.recipients.get(email="hanako@vendor.example")
    for _s, q in questions(version.structure):
        actions.save_answer(r, q["key"], value="yes")
    actions.submit(r)
    page = tenancy.client(tenancy.owner).get("/checksheets/").content.decode()
    data = re.search(r'<script id="heatmap-data" type="application/json">(.*?)</script>', page, re.S)
    cells = json.loads(data.group(1))["cells"]
    [cell] = [c for c in cells if c["count"]]
    [point] = cell["vendors"]
    assert point["name"] == "株式会社発送代行" and point["score"] == 100.0 and cell["control"] == "A"


def test_send_page_in_japanese_with_errors(setup):
    tenancy, vendor, version = setup
    staff = tenancy.client(tenancy.owner)
    response = staff.post("/checksheets/send/", {"version": str(version.uuid), "due_on": "2000-01-01"})
    page = response.content.decode()
    assert "委託先を1社以上選んでください" in page and "回答期限が過去" in page
    response = staff.post(
        "/checksheets/send/",
        {
            "version": str(version.uuid),
            "due_on": (timezone.localdate() + dt.timedelta(days=10)).isoformat(),
            "vendors": [str(vendor.uuid)],
        },
    )
    assert response.status_code == 302 and Assessment.objects.count() == 1


def test_a_link_reaches_only_its_own_assessment(setup):
    tenancy, _vendor, _version = setup
    first, second = send_one(setup), send_one(setup)
    r1 = first.recipients.get(email="hanako@vendor.example")
    r2 = second.recipients.get(email="hanako@vendor.example")
    actions.add_evidence(r2, "p1", SimpleUploadedFile("other.pdf", b"%PDF-other"))
    other_file = second.evidence.get()
    client = portal_client()
    assert client.get(f"/p/{r1.token}/files/{other_file.uuid}/").status_code == 404
    assert client.get(f"/p/{r2.token}/files/{other_file.uuid}/").status_code == 200
    # Staff of another organization cannot open the evidence either.
    assert (
        tenancy.client(tenancy.outsider).get(f"/checksheets/evidence/{other_file.uuid}/").status_code == 404
    )


def test_reminders_command(setup, capsys):
    from mamori import cli

    a = send_one(setup, due_days=3)
    r = a.recipients.get(email="hanako@vendor.example")
    Recipient.objects.filter(pk=r.pk).update(next_reminder_at=timezone.now() - dt.timedelta(hours=1))
    assert cli.main(["reminders"]) == 0
    assert "1 reminders queued" in capsys.readouterr().out


def test_api_send_answer_review(setup, client):
    tenancy, vendor, version = setup
    token = tenancy.token(tenancy.owner, tenancy.org)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    templates = client.get("/api/v1/checksheets/templates", **auth).json()
    short = next(t for t in templates if t["builtin_key"] == "short")
    assert short["question_count"] == 15
    due = (timezone.localdate() + dt.timedelta(days=14)).isoformat()
    sent = client.post(
        "/api/v1/checksheets/assessments",
        {"template": short["uuid"], "vendors": [str(vendor.uuid)], "due_on": due},
        content_type="application/json",
        **auth,
    )
    assert sent.status_code == 201
    body = sent.json()[0]
    link = next(r["link"] for r in body["recipients"] if r["email"])
    token_part = link.rsplit("/p/", 1)[1].strip("/")
    r = Recipient.from_token(token_part)
    for _s, q in questions(version.structure):
        actions.save_answer(r, q["key"], value="yes")
    actions.submit(r)
    status = client.get(f"/api/v1/checksheets/assessments/{body['uuid']}", **auth).json()
    assert status["state"] == "submitted" and status["score"] == 100.0 and status["rating"] == "A"
    answers = client.get(f"/api/v1/checksheets/assessments/{body['uuid']}/answers", **auth).json()
    assert len(answers) == 15 and answers[0]["shown"] == "はい"
    reviewed = client.post(
        f"/api/v1/checksheets/assessments/{body['uuid']}/review",
        {"decision": "return", "comments": {"p1": "規程の写しを添付してください"}},
        content_type="application/json",
        **auth,
    )
    assert reviewed.json()["state"] == "returned"
    again = client.post(
        f"/api/v1/checksheets/assessments/{body['uuid']}/review",
        {"decision": "approve"},
        content_type="application/json",
        **auth,
    )
    assert again.status_code == 409


def test_send_to_chosen_recipients_only(setup):
    tenancy, vendor, version = setup
    hanako = VendorContact.objects.get(name="担当 花子")
    staff = tenancy.client(tenancy.owner)
    due = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    response = staff.post(
        "/checksheets/send/",
        {
            "version": str(version.uuid),
            "due_on": due,
            "vendors": [str(vendor.uuid)],
            "contacts": [str(hanako.uuid)],
        },
    )
    assert response.status_code == 302
    assert list(Assessment.objects.get().recipients.values_list("name", flat=True)) == ["担当 花子"]


def test_hostile_vendor_name_on_the_dashboard_is_data_not_markup(setup, tenancy):
    """A vendor name that closes the script element must stay inside the JSON data (stored XSS that
    once made an owner's browser post an owner invitation through htmx)."""
    hostile = (
        '</script><p hx-post="/settings/members/" '
        'hx-vals=\'{"email":"evil@attacker.example","role":"owner"}\' hx-trigger=load></p>'
    )
    vendor = Vendor.objects.for_org(tenancy.org).first()
    Vendor.objects.filter(pk=vendor.pk).update(name=hostile, control_score=50)
    html = tenancy.client(tenancy.owner).get("/checksheets/").content.decode()
    assert "<p hx-post" not in html
    assert html.count("</script>") == html.count("<script")
    data = re.search(r'<script id="heatmap-data" type="application/json">(.*?)</script>', html, re.S)
    cells = json.loads(data.group(1))["cells"]
    assert hostile in [v["name"] for c in cells for v in c["vendors"]]


def test_first_reminder_is_for_the_moment_given(tenancy):
    """N days before the due date at 9:00 Tokyo, or the day after it when that moment has passed."""
    org_settings = actions.settings_for(tenancy.org)
    before = org_settings.remind_days_before
    due = dt.date(2030, 6, 20)
    at_nine = timezone.make_aware(dt.datetime(2030, 6, 20 - before, 9))
    assert actions.first_reminder(org_settings, due, at_nine - dt.timedelta(minutes=1)) == at_nine
    day_after = timezone.make_aware(dt.datetime(2030, 6, 21, 9))
    assert actions.first_reminder(org_settings, due, at_nine) == day_after
