"""Three verdicts, counts, the My Number regime, vendor mode and rule versions of the APPI engine.

Sources: shared/domain/appi.md §3 (規則7条, GL 3-5-3-1), §4 (規則8・9条, GL 3-5-3-3〜5) and §11
(通則編 令和8年6月 numbering, 令和8年改正, 番号法29条の4 and 特定個人情報漏えい等報告規則2・3条).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from mamori.core.appi import FactsError, assess
from mamori.core.appi.engine import VERSIONS, version_for
from mamori.core.appi.texts import CITE, GUIDELINE_SECTIONS, RULE_ARTICLES

BASE = {
    "aware_date": "2026-04-28",
    "breach_types": ["leak"],
    "individuals": 10,
    "items": ["person_name", "email"],
    "cause": "misdirected_email",
}


def facts(**changes):
    return {**BASE, **changes}


# --- 規則7条3号 and 2号 as yes / no / unknown ---------------------------------------------------


def test_vendor_pc_malware_is_reportable_with_60_days():
    """規則7条3号 (GL例: 従業者・委託先の端末のマルウェア感染): who caused it is separate from how."""
    r = assess(facts(cause="malware", caused_by="vendor", individuals=300))
    assert r["verdict"]["code"] == "required" and r["grounds"] == ["improper_purpose"]
    assert r["final_report"]["days"] == 60 and r["caused_by"] == "vendor"


def test_improper_purpose_answered_yes_when_cause_is_other():
    """規則7条3号: the answer はい decides even where the cause list cannot."""
    r = assess(facts(cause="other", improper_purpose="yes"))
    assert r["grounds"] == ["improper_purpose"] and r["final_report"]["days"] == 60


def test_improper_purpose_unknown_holds_with_worst_case():
    """規則7条3号 (GL 3-5-3-1 ※2: おそれは判明している事実で判断): unknown → 判定保留, not 'not reportable'."""
    r = assess(facts(cause="other", improper_purpose="unknown"))
    v = r["verdict"]
    assert v["code"] == "pending" and v["label"] == "判定保留" and r["reportable"] is None
    assert v["missing"][0]["fact"] == "improper_purpose" and "規則7条3号" in v["missing"][0]["worst_case"]
    assert v["worst_case"]["final_report"]["due"] == "2026-05-27"


def test_improper_purpose_answered_no_overrides_the_cause():
    """規則7条3号: a person who checked may answer いいえ (e.g. a theft with no sign of a target)."""
    assert assess(facts(cause="theft", improper_purpose="no"))["verdict"]["code"] == "not_required"


def test_financial_answered_yes():
    """規則7条2号: 財産的被害のおそれ affirmed by the user."""
    r = assess(facts(financial_damage_risk="yes"))
    assert r["grounds"] == ["financial"] and r["verdict"]["label"] == "報告が必要"


def test_a_known_ground_decides_even_with_other_facts_unknown():
    """規則7条1号 applies; 3号 unknown only changes the 確報 days, shown as the earlier date (30)."""
    r = assess(facts(special_care=["health_check"], cause="other", individuals=None))
    assert r["verdict"]["code"] == "required" and r["final_report"]["days"] == 30
    assert any("30日" in a for a in r["assumptions"])


# --- counts -------------------------------------------------------------------------------------


def test_range_judged_on_its_maximum():
    """GL 3-5-3-1: a number that cannot be fixed is judged on the maximum possible (990–1,010 > 1,000)."""
    r = assess(facts(individuals_kind="range", individuals_min=990, individuals_max=1010))
    assert r["grounds"] == ["over_1000"] and r["individuals"]["max"] == 1010
    assert r["individuals"]["text"] == "990〜1,010人（範囲）"


def test_estimate_with_basis():
    """GL 3-5-3-1: an estimate is the number that may be involved; its basis is shown."""
    r = assess(facts(individuals=1200, individuals_kind="estimate", individuals_basis="行数から推計"))
    assert r["grounds"] == ["over_1000"] and r["individuals"]["kind"] == "estimate"
    assert any("行数から推計" in a for a in r["assumptions"])
    assert r["report_items"][2]["known"] is False  # item 3 is not final while estimated


def test_exactly_1000_is_not_over():
    """規則7条4号: 'exceeds 1,000' — 1,000 is not reportable."""
    assert assess(facts(individuals=1000))["verdict"]["code"] == "not_required"


def test_unknown_count_says_what_is_missing():
    r = assess(facts(individuals_kind="unknown"))
    assert r["verdict"]["code"] == "pending"
    assert "1,000人を超えるおそれがあれば報告対象" in r["verdict"]["headline"]


def test_range_without_maximum_is_refused():
    with pytest.raises(FactsError, match="individuals_max"):
        assess(facts(individuals=None, individuals_kind="range", individuals_min=5))


# --- unconfirmed special care ---------------------------------------------------------------------


def test_unconfirmed_special_care_never_decides():
    """規則7条1号 needs 要配慮個人情報 to be included: a keyword hit alone holds the verdict, it does not
    make the incident reportable."""
    r = assess(facts(special_care_unconfirmed=["medical_history"]))
    assert r["verdict"]["code"] == "pending" and r["grounds"] == []
    assert r["verdict"]["missing"][0]["fact"] == "special_care_unconfirmed"
    confirmed = assess(facts(special_care=["medical_history"], special_care_unconfirmed=["medical_history"]))
    assert confirmed["grounds"] == ["special_care"]


# --- My Number Act ----------------------------------------------------------------------------------


def my_number(**changes):
    return assess(facts(items=["person_name", "my_number"], cause="misdirected_mail", **changes))


def test_my_number_150_withholding_slips_misdirected():
    """特定個人情報漏えい等報告規則2条4号: more than 100 people; APPI itself has no ground (150 ≤ 1,000)."""
    r = my_number(individuals=150)
    act = r["my_number_act"]
    assert r["verdict"]["code"] == "not_required"
    assert act["verdict"]["code"] == "required" and act["grounds"][0]["code"] == "over_100"
    assert "規則2条4号" in act["grounds"][0]["citation"]
    assert act["final_report"] == {
        "days": 30,
        "due": "2026-05-27",
        "day_n": "2026-05-27",
        "moved_because": None,
        "citation": CITE["my_number_final"],
    }
    assert "番号法" in act["route"]


def test_my_number_exactly_100_is_not_over():
    """特定個人情報漏えい等報告規則2条4号: 'more than 100' — 100 is not; the effort duty remains."""
    act = my_number(individuals=100)["my_number_act"]
    assert act["verdict"]["code"] == "not_required" and act["effort_duty"]


def test_my_number_improper_purpose_any_number_60_days():
    """特定個人情報漏えい等報告規則2条2号 (any number; employees included) and 3条2項: 60 days."""
    act = my_number(individuals=3, improper_purpose="yes")["my_number_act"]
    assert [g["code"] for g in act["grounds"]] == ["improper"] and "規則2条2号" in act["grounds"][0][
        "citation"
    ]
    assert act["final_report"]["days"] == 60 and act["final_report"]["due"] == "2026-06-26"


def test_my_number_publicly_viewable_any_number():
    """特定個人情報漏えい等報告規則2条3号: viewable by an indefinite number of people electronically."""
    act = my_number(individuals=2, publicly_viewable="yes")["my_number_act"]
    assert [g["code"] for g in act["grounds"]] == ["public"] and "規則2条3号" in act["grounds"][0]["citation"]


def test_my_number_network_system_any_number():
    """特定個人情報漏えい等報告規則2条1号: 情報提供ネットワークシステム等 — any number."""
    act = my_number(individuals=1, my_number_system="yes")["my_number_act"]
    assert [g["code"] for g in act["grounds"]] == ["system"] and "規則2条1号" in act["grounds"][0]["citation"]


def test_my_number_unknown_count_holds():
    """特定個人情報漏えい等報告規則2条4号: unknown → the maximum possible; not yet known → 判定保留."""
    act = my_number(individuals_kind="unknown")["my_number_act"]
    assert act["verdict"]["code"] == "pending"


def test_my_number_deadline_rolls_over_holidays():
    """特定個人情報漏えい等報告規則3条2項 with the same holiday rule: day 30 = 2026-05-05 → 2026-05-07."""
    act = assess(facts(aware_date="2026-04-06", items=["my_number"], individuals=150))["my_number_act"]
    assert act["final_report"]["due"] == "2026-05-07"


# --- vendor mode -----------------------------------------------------------------------------------


def test_vendor_route_before_notice():
    """規則9条: the vendor tells its principal 速やかに (GL 3-5-3-5: about 3–5 days) what is known."""
    r = assess(facts(role="vendor", cause="malware", caused_by="vendor", individuals=3000))
    route = r["vendor_route"]
    assert route["notified"] is False and route["notice_due"] == {
        "from": "2026-05-01",
        "to": "2026-05-03",
        "text": "速やかに（目安：概ね3〜5日以内）",
    }
    assert "規則9条" in route["citation"] and r["must_report"] is True
    assert r["actions"].index(next(a for a in r["actions"] if "委託元へ" in a)) < r["actions"].index(
        next(a for a in r["actions"] if "速報" in a)
    )


def test_vendor_route_after_notice():
    """法26条1項ただし書: the principal holds the duty once told; the verdict says so."""
    r = assess(facts(role="vendor", individuals=3000, principal_notified_on="2026-04-30"))
    assert r["verdict"]["headline"] == "委託元へ通知済（報告義務は委託元）"
    assert r["must_report"] is False and r["vendor_route"]["notified_on"] == "2026-04-30"


# --- rule versions and citations ---------------------------------------------------------------------


def test_rule_set_by_awareness_date():
    """2026-06-14 施行規則改正 (個人識別符号; 規則7–10条 unchanged) applies from that day."""
    assert version_for(dt.date(2026, 6, 13)).id == "2024-04-01"
    assert version_for(dt.date(2026, 6, 14)).id == "2026-06-14"
    r = assess(facts(aware_date="2026-06-14", individuals=2000))
    assert r["rules_version"]["id"] == "2026-06-14" and r["final_report"]["days"] == 30


def test_reiwa8_amendment_present_but_off():
    """令和8年改正 (令和8年法律第56号): main part on a date set by Cabinet Order, none yet — never applied."""
    r8 = next(v for v in VERSIONS if v.id == "r8-amendment")
    assert r8.effective is None and r8.notice_relaxed_low_risk
    assert version_for(dt.date(2030, 1, 1)).id == "2026-06-14"
    r = assess(facts(aware_date="2028-07-16", individuals=2000))
    assert r["must_notify"] is True
    assert {"id": "r8-amendment", "effective": None, "title": r8.title} in r["rules_version"]["not_in_force"]


def test_every_guideline_citation_is_in_the_current_numbering():
    """通則編 令和8年6月: 3-5-1-2 is 漏えい, 3-5-1-3・4 滅失・毀損; encryption is 規則7条1号括弧書."""
    for key, text in CITE.items():
        for number in re.findall(r"3-5(?:-\d)*(?:\(\d\))?", text):
            assert number in GUIDELINE_SECTIONS, (key, number)
        for article in re.findall(r"施行規則(\d+条(?:\d+[号項])?(?:括弧書)?)", text):
            assert article in RULE_ARTICLES, (key, article)
    assert CITE["recovered_before_access"].startswith("ガイドライン（通則編）3-5-1-2")
    assert "3-5-1-3・3-5-1-4" in CITE["copy_exists"]
    assert "規則7条1号括弧書" in CITE["highly_encrypted"]


# --- dates -------------------------------------------------------------------------------------------


def test_impossible_dates_are_refused_in_japanese_naming_the_field():
    with pytest.raises(FactsError) as info:
        assess(facts(occurred_date="2026-05-01", discovered_date="2026-04-20"))
    assert any(e.startswith("discovered_date:") and "発生日" in e for e in info.value.errors)
    assert any(e.startswith("aware_date:") and "発生日" in e for e in info.value.errors)
    with pytest.raises(FactsError, match="未来の日付"):
        assess(facts(aware_date="2026-12-01"), today=dt.date(2026, 11, 25))
