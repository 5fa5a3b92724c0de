"""Cause playbooks and a checklist that follows the verdict and the role (GL 3-5-2; 法26条; 規則9条;
番号法29条の4). Tasks that no longer apply are marked 不要 with the reason, never deleted."""

from __future__ import annotations

import pytest

from mamori.incidents.models import Incident

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(tenancy):
    return tenancy.client(tenancy.owner)


def form(**extra):
    return {
        "title": "事案",
        "leak": "on",
        "aware_on": "2026-04-28",
        "individuals_kind": "exact",
        "role": "principal",
        "notices_sent": "0",
        "notices_returned": "0",
        **extra,
    }


def save(owner, incident=None, **extra):
    url = f"/incidents/{incident.uuid}/edit/" if incident else "/incidents/new/"
    response = owner.post(url, form(**extra))
    assert response.status_code == 302, response.context["form"].errors
    return Incident.objects.latest("created_at") if incident is None else Incident.objects.get(pk=incident.pk)


def tasks(incident):
    return {t.key: t for t in incident.tasks.all()}


def test_misdirected_mail_playbook_and_tasks_marked_not_needed_when_the_verdict_flips(owner):
    """規則7条1号 (健康診断結果) → report; once corrected to no special care, the PPC tasks stay, marked 不要."""
    incident = save(
        owner,
        cause="misdirected_email",
        caused_by="self",
        individuals="12",
        items=["person_name"],
        special_care=["health_check"],
        improper_purpose="no",
    )
    t = tasks(incident)
    assert {"recipient_delete", "ppc_preliminary", "ppc_final", "notify"} <= set(t)
    assert "forensic" not in t and "police_cyber" not in t
    incident = save(
        owner,
        incident,
        cause="misdirected_email",
        caused_by="self",
        individuals="12",
        items=["person_name"],
        improper_purpose="no",
        financial_damage_risk="no",
    )
    assert incident.assessment["verdict"]["code"] == "not_required"
    t = tasks(incident)
    assert t["ppc_final"].not_needed_reason.startswith("判定が「報告は不要」")
    assert t["notify"].not_needed_reason and t["recipient_delete"].not_needed_reason == ""
    page = owner.get(f"/incidents/{incident.uuid}/").content.decode()
    assert "不要" in page and "判定が「報告は不要」" in page


def test_malware_playbook(owner):
    incident = save(owner, cause="malware", caused_by="vendor", individuals="300", items=["person_name"])
    t = tasks(incident)
    assert {"isolate", "forensic", "police_cyber", "insurer", "vendor_report", "claim"} <= set(t)
    assert incident.final_due.isoformat() == "2026-06-26"  # 規則8条2項: 3号 → 60 days


def test_insider_and_skimming_playbooks(owner):
    insider = save(
        owner, cause="insider", caused_by="self", individuals="5000", items=["person_name", "phone"]
    )
    assert {"dispatch_agency", "broker_delete", "police_insider"} <= set(tasks(insider))
    skimming = save(
        owner, cause="web_skimming", caused_by="third_party", individuals="200", items=["credit_card"]
    )
    assert {"card_companies", "stop_form", "forensic"} <= set(tasks(skimming))


def test_vendor_route_checklist(owner):
    """規則9条: as the vendor we notify the principal; no PPC report or letters before that."""
    incident = save(
        owner,
        cause="malware",
        caused_by="vendor",
        individuals="3000",
        items=["person_name"],
        role="vendor",
        principal_name="株式会社アルファ通販",
    )
    t = tasks(incident)
    assert "notify_principal" in t and "ppc_preliminary" not in t and "notify" not in t
    incident = save(
        owner,
        incident,
        cause="malware",
        caused_by="vendor",
        individuals="3000",
        items=["person_name"],
        role="vendor",
        principal_name="株式会社アルファ通販",
        principal_notified_on="2026-04-30",
        vendor_notified_principal="on",
    )
    assert incident.assessment["verdict"]["headline"] == "委託元へ通知済（報告義務は委託元）"
    assert "assist_principal" in tasks(incident)


def test_my_number_tasks(owner):
    """特定個人情報漏えい等報告規則2条4号: 150 people's 源泉徴収票 → its own report tasks."""
    incident = save(
        owner,
        cause="misdirected_mail",
        caused_by="self",
        individuals="150",
        items=["person_name", "address", "my_number"],
        improper_purpose="no",
        financial_damage_risk="no",
        audience="employees",
    )
    assert incident.assessment["verdict"]["code"] == "not_required"
    t = tasks(incident)
    assert {"mn_preliminary", "mn_final", "mn_notify"} <= set(t)
    assert t["mn_final"].due_on.isoformat() == "2026-05-27"


def test_dashboard_shows_an_overdue_preliminary_report_first(owner):
    """規則8条1項 速報 (GL 3-5-3-3: about 3–5 days): overdue shows before a later 確報."""
    save(
        owner,
        title="確報が先",
        aware_on="2026-11-20",
        cause="misdirected_email",
        caused_by="self",
        individuals="2000",
        items=["person_name"],
        improper_purpose="no",
        financial_damage_risk="no",
    )
    late = save(
        owner,
        title="速報が遅れている",
        aware_on="2026-11-10",
        cause="malware",
        caused_by="third_party",
        individuals="20",
        items=["person_name"],
    )
    late.tasks.filter(key__in=["contain", "evidence", "isolate"]).update(not_needed_reason="")
    page = owner.get("/").content.decode()
    assert page.index("速報が遅れている") < page.index("確報が先")
    row = page[page.index("速報が遅れている") :]
    assert "期限超過" in row[:1500] or "Overdue" in row[:1500]


def test_dashboard_says_the_principal_holds_the_duty(owner):
    """法26条1項ただし書・規則9条: not 'not reportable' once the principal was told."""
    save(
        owner,
        title="委託先として",
        cause="malware",
        caused_by="vendor",
        individuals="3000",
        items=["person_name"],
        role="vendor",
        principal_name="株式会社アルファ通販",
        principal_notified_on="2026-04-30",
        vendor_notified_principal="on",
    )
    page = owner.get("/").content.decode()
    assert "委託元へ通知済（報告義務は委託元）" in page


def test_notice_to_the_principal_draft(owner, tenancy):
    """規則9条: the vendor's notice carries the 規則8条1項 items known so far, 速やかに (GL 3-5-3-5)."""
    incident = save(
        owner,
        title="委託先として",
        cause="malware",
        caused_by="self",
        individuals="3000",
        items=["person_name"],
        role="vendor",
        principal_name="株式会社アルファ通販",
    )
    html = owner.get(f"/incidents/{incident.uuid}/documents/principal_notice.html").content.decode()
    assert "株式会社アルファ通販" in html and "規則9条" in html and "2026年5月3日まで" in html
    assert "1. 概要" in html and "9. その他参考となる事項" in html and "【下書き】" in html
    page = owner.get(f"/incidents/{incident.uuid}/").content.decode()
    assert 'data-kind="principal_notice"' in page


def test_the_principal_is_picked_from_our_list_and_named_in_the_notice(owner, tenancy):
    """規則9条: the notice goes to the principal (委託元) that entrusted the data to us; it is picked
    from the organization's list of principals (with its contact), or typed when not in the list."""
    from mamori.incidents.models import Principal

    created = owner.post(
        "/incidents/principals/new/",
        {
            "name": "株式会社ベータ生命",
            "department": "コンプライアンス部",
            "email": "compliance@beta.example.jp",
            "entrusted": "契約者名簿の発送代行",
            "status": "active",
        },
    )
    assert created.status_code == 302
    principal = Principal.objects.get(organization=tenancy.org)
    form_page = owner.get("/incidents/new/").content.decode()
    assert "株式会社ベータ生命" in form_page and 'name="principal"' in form_page
    incident = save(
        owner,
        title="委託先として（名簿から）",
        cause="misdirected_mail",
        caused_by="self",
        individuals="150",
        items=["person_name", "address"],
        role="vendor",
        principal=str(principal.uuid),
    )
    assert incident.principal == principal and incident.principal_name == "株式会社ベータ生命"
    html = owner.get(f"/incidents/{incident.uuid}/documents/principal_notice.html").content.decode()
    assert "株式会社ベータ生命（コンプライアンス部・compliance@beta.example.jp）" in html
    # Free text still works for a principal not in the list.
    other = save(
        owner,
        title="委託先として（手入力）",
        cause="malware",
        caused_by="self",
        role="vendor",
        principal_name="ガンマ商事株式会社",
    )
    assert other.principal is None
    html = owner.get(f"/incidents/{other.uuid}/documents/principal_notice.html").content.decode()
    assert "ガンマ商事株式会社" in html
    # Another organization's principal cannot be chosen.
    stranger = Principal.objects.create(organization=tenancy.other_org, name="他社の委託元")
    response = owner.post(
        "/incidents/new/",
        form(title="x", cause="malware", caused_by="self", role="vendor", principal=str(stranger.uuid)),
    )
    assert response.status_code == 200 and "principal" in response.context["form"].errors
    # Once named by an incident, a principal is ended, not deleted.
    owner.post(f"/incidents/principals/{principal.uuid}/delete/")
    assert Principal.objects.filter(pk=principal.pk).exists()
