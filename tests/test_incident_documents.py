"""PPC drafts that follow the official form (規則8条1項 items 1–9 plus the form's other fields) and
letters by audience with advice per leaked item (規則10条: items 1, 2, 4, 5, 9)."""

from __future__ import annotations

import io

import docx
import pytest

from mamori.incidents import actions
from mamori.incidents.models import Incident, ReporterProfile

pytestmark = pytest.mark.django_db

FINISHED = {
    "title": "Webフォームの改ざんによるカード情報の漏えい",
    "description": "決済画面が改ざんされ、入力されたカード情報が外部に送信された",
    "leak": "on",
    "cause": "web_skimming",
    "caused_by": "third_party",
    "improper_purpose": "yes",
    "occurred_on": "2026-03-01",
    "discovered_on": "2026-03-20",
    "aware_on": "2026-03-20",
    "how_found": "カード会社から不正利用の疑いの連絡",
    "audience": "customers",
    "medium": "ECサイトのWebサーバー",
    "individuals": "420",
    "individuals_kind": "exact",
    "items": ["person_name", "credit_card", "email"],
    "personal_info_being_acquired": "on",
    "role": "principal",
    "secondary_damage": "true",
    "secondary_damage_detail": "12件の不正利用をカード会社が確認",
    "notice_method": "電子メールと郵送",
    "notices_sent": "420",
    "notices_returned": "3",
    "contact_point": "お客様相談窓口 0120-000-000（平日9時〜17時）",
    "recurrence_done": "決済を外部の決済代行会社の画面に切り替えた",
    "recurrence_planned": "脆弱性診断を年2回実施する",
    "published_on": "2026-04-10",
    "publication_url": "https://example.jp/news/2026-04-10",
    "other_matters": "警察に被害届を提出済み",
}


@pytest.fixture
def owner(tenancy):
    ReporterProfile.objects.create(
        organization=tenancy.org,
        name="株式会社アルファ",
        corporate_number="1234567890123",
        postal_code="100-0001",
        address="東京都千代田区千代田1-1",
        representative="代表取締役 山田太郎",
        contact_department="情報セキュリティ室",
        contact_name="佐藤花子",
        contact_phone="03-0000-0000",
    )
    return tenancy.client(tenancy.owner)


def create(owner, **changes):
    response = owner.post("/incidents/new/", {**FINISHED, **changes})
    assert response.status_code == 302, response.context["form"].errors
    return Incident.objects.latest("created_at")


def test_final_report_of_a_finished_incident_has_no_unknowns(owner, tenancy):
    incident = create(owner)
    actions.add_note(incident, actions.trail.Actor(user=tenancy.owner), "action", "決済画面を停止")
    response = owner.get(f"/incidents/{incident.uuid}/documents/ppc_final.docx")
    document = docx.Document(io.BytesIO(response.content))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    text = "\n".join(p.text for p in document.paragraphs)
    rows = [(r.cells[0].text, r.cells[1].text) for t in document.tables for r in t.rows]
    assert [r for r in rows if "調査中" in r[1]] == [] and "下書き" in text
    # Nowhere in the filing: not in a cell, a heading or a paragraph (GL 3-5-3-4: the 確報 is complete).
    assert "調査中" not in text and not any("調査中" in c for c in cells)
    assert "株式会社アルファ" in cells and "1234567890123" in cells
    assert "■ 不正の目的をもって行われたおそれがある個人データ等の漏えい等（規則7条3号）" in cells
    assert (
        "■ 不正に利用されることにより財産的被害が生じるおそれがある個人データの漏えい等（規則7条2号）"
        not in cells
    )
    assert "カード会社から不正利用の疑いの連絡" in cells and "第三者" in cells
    assert "2026年4月10日に公表（https://example.jp/news/2026-04-10）" in cells
    assert "脆弱性診断を年2回実施する" in cells and "警察に被害届を提出済み" in cells
    # Page numbers in the footer; nothing internal printed.
    assert "PAGE" in document.sections[0].footer._element.xml
    assert "施行規則（" not in "".join(cells) and "assumption" not in "".join(cells)
    html = owner.get(f"/incidents/{incident.uuid}/documents/ppc_final.html").content.decode()
    assert "【下書き】" in html and "脆弱性診断を年2回実施する" in html and "調査中" not in html


def test_preliminary_report_marks_only_unknown_fields(owner):
    incident = create(owner, recurrence_done="", recurrence_planned="", published_on="", publication_url="")
    html = owner.get(f"/incidents/{incident.uuid}/documents/ppc_preliminary.html").content.decode()
    assert html.count("<td>調査中</td>") == 3  # items 7 and 8 (done, planned) only
    assert "速報" in html


def test_chronology_is_ordered_by_when_it_happened(owner, tenancy):
    import datetime as dt

    from django.utils import timezone

    incident = create(owner)
    actor = actions.trail.Actor(user=tenancy.owner)
    late = timezone.make_aware(dt.datetime(2026, 3, 21, 9, 0))
    early = timezone.make_aware(dt.datetime(2026, 3, 20, 15, 30))
    actions.add_note(incident, actor, "action", "決済画面を停止", occurred_at=late)
    actions.add_note(incident, actor, "note", "カード会社から連絡", occurred_at=early)
    text = owner.get(f"/api/v1/incidents/{incident.uuid}/documents/ppc_final", **{}).status_code
    assert text in (200, 401, 403)
    html = owner.get(f"/incidents/{incident.uuid}/documents/ppc_final.html").content.decode()
    assert html.index("2026年3月20日 15:30") < html.index("2026年3月21日 09:00")
    assert actions.verify_timeline(incident) is None


def test_letters_by_audience_with_advice_per_item(owner):
    incident = create(owner)
    notice = owner.get(f"/incidents/{incident.uuid}/documents/notice.html").content.decode()
    assert "お客様の個人情報" in notice and "カード会社" in notice and "不審なメール" in notice
    assert "お客様相談窓口 0120-000-000" in notice
    staff = create(
        owner,
        audience="employees",
        items=["person_name", "address"],
        notices_sent="0",
        cause="misdirected_mail",
        improper_purpose="no",
    )
    letter = owner.get(f"/incidents/{staff.uuid}/documents/notice.html").content.decode()
    assert "従業員の皆様の個人情報" in letter and "お客様の個人情報" not in letter
    assert "カード会社" not in letter and "不審な電話や郵便物" in letter
    announcement = owner.get(f"/incidents/{staff.uuid}/documents/announcement.html").content.decode()
    assert "個別にご連絡しております" not in announcement  # no notice was sent
