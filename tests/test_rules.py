"""Every business rule lives once, in an action: the page and the API refuse the same bad input with
the same Japanese message (the page as a form error, the API as a 422 with ``errors`` per field)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from mamori.checksheets import actions
from mamori.checksheets.models import Assessment, Template
from mamori.platform.trail.services import Actor
from mamori.vendors.models import Vendor, VendorContact

pytestmark = pytest.mark.django_db


def bearer(tenancy) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {tenancy.token(tenancy.owner, tenancy.org)}"}


@pytest.fixture
def sheet(tenancy):
    org = tenancy.org
    active = Vendor.objects.create(organization=org, name="株式会社発送代行", status="contracted")
    ended = Vendor.objects.create(organization=org, name="株式会社旧委託", status="ended")
    for v in (active, ended):
        VendorContact.objects.create(organization=org, vendor=v, name="担当 花子", email="h@vendor.example")
    actions.ensure_builtin(org)
    template = Template.objects.get(organization=org, builtin_key="short")
    return tenancy, template, active, ended


def api_send(client, tenancy, template, vendors, due_on):
    return client.post(
        "/api/v1/checksheets/assessments",
        {"template": str(template.uuid), "vendors": [str(v.uuid) for v in vendors], "due_on": due_on},
        content_type="application/json",
        **bearer(tenancy),
    )


def page_send(tenancy, template, vendors, due_on):
    return tenancy.client(tenancy.owner).post(
        "/checksheets/send/",
        {"version": str(template.current.uuid), "due_on": due_on, "vendors": [str(v.uuid) for v in vendors]},
    )


def later(days=10) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def test_api_refuses_to_send_to_an_ended_vendor_like_the_page(sheet, client):
    tenancy, template, active, ended = sheet
    response = api_send(client, tenancy, template, [active, ended], later())
    assert response.status_code == 422
    body = response.json()
    assert "終了した委託先" in body["detail"] and "株式会社旧委託" in body["detail"]
    assert body["errors"]["vendors"] == [body["detail"]]
    page = page_send(tenancy, template, [active, ended], later())
    assert page.status_code == 200 and body["detail"] in page.content.decode()
    assert Assessment.objects.count() == 0


def test_both_doors_refuse_a_past_due_date_and_no_vendor(sheet, client):
    tenancy, template, _active, _ended = sheet
    api = api_send(client, tenancy, template, [], "2000-01-01").json()
    assert api["errors"] == {
        "due_on": ["回答期限が過去の日付です。"],
        "vendors": ["委託先を1社以上選んでください。"],
    }
    page = page_send(tenancy, template, [], "2000-01-01").content.decode()
    assert "回答期限が過去の日付です。" in page and "委託先を1社以上選んでください。" in page
    assert Assessment.objects.count() == 0


def test_both_doors_refuse_to_send_the_own_self_assessment(sheet, client):
    from mamori.audits.actions import self_version

    tenancy, _template, active, _ended = sheet
    own = self_version(tenancy.org).template
    response = api_send(client, tenancy, own, [active], later())
    assert response.status_code == 422 and "自社の自己点検用" in response.json()["errors"]["template"][0]
    page = page_send(tenancy, own, [active], later())
    assert page.status_code == 200 and Assessment.objects.count() == 0


def test_sending_to_all_vendors_under_contract_skips_the_ended(sheet):
    tenancy, template, active, _ended = sheet
    response = tenancy.client(tenancy.owner).post(
        "/checksheets/send/",
        {"version": str(template.current.uuid), "due_on": later(), "all_contracted": "on"},
    )
    assert response.status_code == 302
    assert list(Assessment.objects.values_list("vendor__name", flat=True)) == [active.name]


@pytest.fixture
def sent(sheet):
    tenancy, template, active, _ended = sheet
    [a] = actions.send(
        org=tenancy.org,
        version=template.current,
        vendors=[active],
        due_on=timezone.localdate() + dt.timedelta(days=10),
        actor=Actor(user=tenancy.owner),
    )
    return tenancy, a


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_staff_page_and_portal_refuse_the_same_recipient(sent):
    """Recipients added by staff and those a vendor passes the sheet down to follow one rule."""
    from mamori.ledger.models import DataAsset
    from mamori.vendors.models import Entrustment

    tenancy, a = sent
    staff = tenancy.client(tenancy.owner)
    page = staff.post(
        f"/checksheets/{a.uuid}/recipients/", {"name": "", "email": "not-an-address"}, follow=True
    )
    assert "回答者の名前を入力してください。" in messages_of(page)
    assert "メールアドレスが正しくありません。" in messages_of(page)
    org = tenancy.org
    sub = Vendor.objects.create(organization=org, name="再委託の印刷所", status="contracted")
    asset = DataAsset.objects.create(organization=org, name="会員")
    parent = Entrustment.objects.create(organization=org, vendor=a.vendor, data_asset=asset)
    Entrustment.objects.create(organization=org, vendor=sub, data_asset=asset, parent=parent)
    r = a.recipients.get()
    portal = Client().post(
        f"/p/{r.token}/forward/",
        {"vendor": str(sub.uuid), "name": "", "email": "not-an-address"},
        follow=True,
    )
    assert "回答者の名前を入力してください。" in messages_of(portal)
    assert "メールアドレスが正しくありません。" in messages_of(portal)
    assert a.recipients.count() == 1 and not Assessment.objects.filter(vendor=sub).exists()


def test_a_contact_of_another_vendor_cannot_receive_the_link(sent):
    tenancy, a = sent
    stranger = VendorContact.objects.exclude(vendor=a.vendor).get()
    page = tenancy.client(tenancy.owner).post(
        f"/checksheets/{a.uuid}/recipients/", {"contact": str(stranger.uuid)}, follow=True
    )
    assert "この連絡先は別の委託先のものです。" in messages_of(page) and a.recipients.count() == 1


def test_a_sheet_is_not_passed_down_to_an_ended_re_subcontractor(sent):
    from mamori.ledger.models import DataAsset
    from mamori.vendors.models import Entrustment

    tenancy, a = sent
    org = tenancy.org
    ended = Vendor.objects.get(status="ended")
    asset = DataAsset.objects.create(organization=org, name="会員")
    parent = Entrustment.objects.create(organization=org, vendor=a.vendor, data_asset=asset)
    Entrustment.objects.create(organization=org, vendor=ended, data_asset=asset, parent=parent)
    r = a.recipients.get()
    portal = Client().post(
        f"/p/{r.token}/forward/",
        {"vendor": str(ended.uuid), "name": "印刷 太郎", "email": "t@x.example"},
        follow=True,
    )
    assert "終了した委託先にはチェックシートを送れません：株式会社旧委託。" in messages_of(portal)
    assert not Assessment.objects.filter(vendor=ended).exists()
    Assessment.objects.filter(pk=a.pk).update(state="approved")
    portal = Client().post(
        f"/p/{r.token}/forward/",
        {"vendor": str(ended.uuid), "name": "印刷 太郎", "email": "t@x.example"},
        follow=True,
    )
    assert "このチェックシートはもう再委託先に回せません。" in messages_of(portal)


# --- Incidents ------------------------------------------------------------------------------------


@pytest.fixture
def incident(tenancy):
    from mamori.incidents.models import Incident

    response = tenancy.client(tenancy.owner).post(
        "/incidents/new/",
        {
            "title": "メール誤送信",
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
    return Incident.objects.get()


def test_both_doors_refuse_a_note_of_mamoris_own_kind_or_without_text(tenancy, incident, client):
    before = incident.timeline.count()
    api = client.post(
        f"/api/v1/incidents/{incident.uuid}/timeline",
        {"kind": "assessment", "text": "  "},
        content_type="application/json",
        **bearer(tenancy),
    )
    assert api.status_code == 422
    assert api.json()["errors"] == {
        "kind": ["種類は note（メモ）・decision（決定）・action（対応）・correction（訂正）のいずれかです。"],
        "text": ["内容を入力してください。"],
    }
    staff = tenancy.client(tenancy.owner)
    staff.post(f"/incidents/{incident.uuid}/timeline/add/", {"kind": "assessment", "text": "判定を偽る"})
    staff.post(f"/incidents/{incident.uuid}/timeline/add/", {"kind": "note", "text": "  "})
    assert incident.timeline.count() == before
    staff.post(f"/incidents/{incident.uuid}/timeline/add/", {"kind": "decision", "text": "速報を提出"})
    assert incident.timeline.count() == before + 1


def test_a_document_made_by_an_editor_is_in_the_timeline_a_viewers_is_not(tenancy, incident):
    import hashlib

    tenancy.client(tenancy.colleague).get(f"/incidents/{incident.uuid}/documents/ppc_final.html")
    assert not incident.timeline.filter(kind="document").exists()
    page = tenancy.client(tenancy.owner).get(f"/incidents/{incident.uuid}/documents/ppc_final.html")
    [entry] = incident.timeline.filter(kind="document")
    assert entry.text.startswith("文書を作成：") and entry.text.endswith("（html）")
    assert entry.data["sha256"] == hashlib.sha256(page.context["text"].encode()).hexdigest()


# --- Our own self-assessment ----------------------------------------------------------------------


def test_gaps_of_the_self_assessment_become_our_actions_once(tenancy):
    from mamori.audits import actions as audit_actions
    from mamori.core.checksheets.structure import questions

    sa = audit_actions.self_assessment_for(tenancy.org, timezone.localdate().year)
    keys = [q["key"] for _s, q in questions(sa.version.structure)]
    answers = {k: {"value": "yes"} for k in keys} | {keys[0]: {"value": "na", "remark": "対象業務なし"}}
    answers[keys[1]] = {"value": "partial", "remark": ""}
    result = audit_actions.answer_self(sa, answers, Actor(user=tenancy.owner))
    assert result.required_missing == [] and sa.completed_at is not None
    assert sa.answers[keys[0]]["na_reason"] == "対象業務なし"
    [made] = audit_actions.gap_actions(sa, Actor(user=tenancy.owner))
    assert made.responsible == "ours" and made.due_on == timezone.localdate() + dt.timedelta(days=90)
    assert audit_actions.gap_actions(sa, Actor(user=tenancy.owner)) == []


# --- Ledger -----------------------------------------------------------------------------------------


def test_a_data_set_is_not_made_from_a_file_the_scanner_cannot_read(tenancy):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from mamori.ledger.models import DataAsset

    upload = SimpleUploadedFile("members.xlsx", b"not a workbook at all")
    page = tenancy.client(tenancy.owner).post(
        "/ledger/from-file/", {"name": "会員", "file": upload}, follow=True
    )
    assert page.status_code == 200 and page.context["form"].errors["file"]
    assert not DataAsset.objects.exists()
