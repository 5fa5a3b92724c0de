"""Table-driven scenarios of the APPI rules engine; each row cites the rule it checks.

Sources: shared/domain/appi.md §3 (規則7条, GL 3-5-1, 3-5-3-1), §4 (規則8・9条, GL 3-5-3-2〜5),
§5 (法26条2項, 規則10条), §6 (GL 3-5-2).
"""

from __future__ import annotations

import datetime as dt

import pytest

from mamori.core.appi import FactsError, assess
from mamori.core.appi.calendar import final_report_due, preliminary_window
from mamori.core.appi.texts import REPORT_ITEMS

BASE = {
    "aware_date": "2026-04-28",
    "breach_types": ["leak"],
    "individuals": 10,
    "items": ["person_name", "email"],
    "cause": "misdirected_email",
}


def facts(**changes):
    return {**BASE, **changes}


# (id, facts, expected subset of the result, citation)
SCENARIOS = [
    (
        "no_ground",
        facts(),
        {"incident": True, "reportable": False, "grounds": [], "must_report": False, "final_report": None},
        "規則7条各号のいずれにも当たらない",
    ),
    (
        "special_care_alone",
        facts(special_care=["medical_history"], cause="misdirected_mail"),
        {"reportable": True, "grounds": ["special_care"], "final_report": {"days": 30, "due": "2026-05-27"}},
        "規則7条1号",
    ),
    (
        "special_care_by_item",
        facts(items=["person_name", "special_care"]),
        {"reportable": True, "grounds": ["special_care"]},
        "規則7条1号",
    ),
    (
        "health_check_results",
        facts(special_care=["health_check"], individuals=50, cause="misdirected_mail"),
        {"grounds": ["special_care"], "must_notify": True},
        "規則7条1号, 令2条2号 (GL例: 従業員の健康診断結果)",
    ),
    (
        "financial_card",
        facts(items=["person_name", "credit_card"]),
        {"reportable": True, "grounds": ["financial"]},
        "規則7条2号 (GL例: クレジットカード番号)",
    ),
    (
        "financial_payment_login",
        facts(items=["email", "payment_credentials"]),
        {"grounds": ["financial"]},
        "規則7条2号 (GL例: 送金・決済機能のあるサービスのID・パスワード)",
    ),
    (
        "bank_account_alone_pending",
        facts(items=["person_name", "bank_account"]),
        {"reportable": None, "grounds": [], "verdict": {"code": "pending"}},
        "規則7条2号 (財産的被害のおそれは性質に照らし判断): 不明なら判定保留",
    ),
    (
        "bank_account_no_financial_risk",
        facts(items=["person_name", "bank_account"], financial_damage_risk="no"),
        {"reportable": False, "grounds": [], "verdict": {"code": "not_required"}},
        "規則7条2号 (財産的被害のおそれなしと判断)",
    ),
    (
        "financial_affirmed_by_user",
        facts(financial_damage_risk=True),
        {"grounds": ["financial"]},
        "規則7条2号",
    ),
    (
        "financial_denied_by_user",
        facts(items=["credit_card"], financial_damage_risk=False),
        {"reportable": False},
        "規則7条2号",
    ),
    (
        "improper_purpose_alone",
        facts(cause="unauthorized_access"),
        {"grounds": ["improper_purpose"], "final_report": {"days": 60, "due": "2026-06-26"}},
        "規則7条3号, 規則8条2項 (60日)",
    ),
    (
        "over_1000_alone",
        facts(individuals=1001),
        {"grounds": ["over_1000"], "final_report": {"days": 30, "due": "2026-05-27"}},
        "規則7条4号",
    ),
    (
        "exactly_1000",
        facts(individuals=1000),
        {"reportable": False, "grounds": []},
        "規則7条4号 (1,000人を「超える」)",
    ),
    (
        "count_grows_past_1000",
        facts(individuals=1500, over_1000_known_date="2026-05-10"),
        {"grounds": ["over_1000"], "clock_start": "2026-05-10", "final_report": {"due": "2026-06-08"}},
        "GL 3-5-3-1 (1,000人以下から超えた時点で4号に該当)",
    ),
    (
        "count_grows_but_another_ground_earlier",
        facts(individuals=1500, over_1000_known_date="2026-05-10", special_care=["disability"]),
        {"grounds": ["special_care", "over_1000"], "clock_start": "2026-04-28"},
        "規則7条1号・4号, 規則8条2項",
    ),
    (
        "all_grounds",
        facts(
            special_care=["creed"],
            items=["person_name", "credit_card"],
            cause="unauthorized_access",
            individuals=5000,
        ),
        {
            "grounds": ["special_care", "financial", "improper_purpose", "over_1000"],
            "final_report": {"days": 60},
        },
        "規則7条1〜4号, 規則8条2項 (3号が重なれば60日)",
    ),
    (
        "special_care_and_over_1000",
        facts(special_care=["medical_history"], individuals=3000),
        {"grounds": ["special_care", "over_1000"], "final_report": {"days": 30}},
        "規則7条1号・4号",
    ),
    (
        "improper_and_over_1000",
        facts(cause="malware", individuals=3000),
        {"grounds": ["improper_purpose", "over_1000"], "final_report": {"days": 60}},
        "規則7条3号・4号, 規則8条2項",
    ),
    (
        "highly_encrypted",
        facts(individuals=5000, highly_encrypted=True),
        {"incident": True, "reportable": False, "must_report": False, "exemptions": ["highly_encrypted"]},
        "規則7条柱書括弧書 (高度な暗号化)",
    ),
    (
        "loss_with_copy",
        facts(
            breach_types=["loss"], copy_exists=True, special_care=["medical_history"], cause="disposal_error"
        ),
        {"incident": False, "reportable": False, "exemptions": ["copy_exists"]},
        "GL 3-5-1-2 (滅失: 他に保管)",
    ),
    (
        "loss_without_copy",
        facts(breach_types=["loss"], special_care=["medical_history"], cause="loss"),
        {"incident": True, "grounds": ["special_care"]},
        "GL 3-5-1-2, 規則7条1号 (GL例: 患者の診療情報のUSBメモリ紛失)",
    ),
    (
        "damage_with_backup",
        facts(breach_types=["damage"], copy_exists=True, cause="ransomware"),
        {"incident": False, "exemptions": ["copy_exists"]},
        "GL 3-5-1-3 (毀損: 復元できる同一データがある)",
    ),
    (
        "ransomware_no_backup",
        facts(breach_types=["damage"], cause="ransomware"),
        {"incident": True, "grounds": ["improper_purpose"], "final_report": {"days": 60}},
        "GL 3-5-1-3, 規則7条3号 (GL例: ランサムウェア)",
    ),
    (
        "ransomware_backup_but_exfiltrated",
        facts(breach_types=["damage", "leak"], copy_exists=True, cause="ransomware"),
        {"incident": True, "grounds": ["improper_purpose"], "exemptions": ["copy_exists"]},
        "GL 3-5-1-3 (暗号化と同時に窃取されれば漏えい)",
    ),
    (
        "recovered_before_access",
        facts(cause="misdirected_mail", special_care=["medical_history"], recovered_before_access=True),
        {"incident": False, "reportable": False, "exemptions": ["recovered_before_access"]},
        "GL 3-5-1-1 (第三者に閲覧される前に全て回収)",
    ),
    (
        "theft_of_papers",
        facts(cause="theft"),
        {"grounds": ["improper_purpose"]},
        "規則7条3号 (GL例: 書類の盗難)",
    ),
    (
        "insider_sells_data",
        facts(cause="insider"),
        {"grounds": ["improper_purpose"], "final_report": {"days": 60}},
        "規則7条3号 (GL例: 従業者による持出し・売却)",
    ),
    (
        "misdirected_mail_names_only",
        facts(cause="misdirected_mail", items=["person_name", "address"]),
        {"reportable": False},
        "規則7条 (誤送付は不正目的ではない)",
    ),
    ("misdirected_fax_few", facts(cause="misdirected_fax", individuals=5), {"reportable": False}, "規則7条"),
    (
        "misconfiguration_2000",
        facts(cause="misconfiguration", individuals=2000),
        {"grounds": ["over_1000"], "final_report": {"days": 30}},
        "規則7条4号 (GL例: 設定ミスで1,000人超が閲覧可能)",
    ),
    (
        "vendor_notified_principal",
        facts(role="vendor", vendor_notified_principal=True, individuals=3000),
        {
            "reportable": True,
            "must_report": False,
            "must_notify": False,
            "exemptions": ["vendor_notified_principal"],
            "final_report": None,
        },
        "法26条1項ただし書, 規則9条",
    ),
    (
        "vendor_not_notified",
        facts(role="vendor", individuals=3000),
        {"reportable": True, "must_report": True, "must_notify": True},
        "法26条1項, GL 3-5-3-2 (委託元・委託先の双方)",
    ),
    (
        "web_skimming_after_2024",
        {
            "aware_date": "2024-06-03",
            "cause": "web_skimming",
            "individuals": 300,
            "items": ["person_name", "credit_card"],
            "personal_info_being_acquired": True,
        },
        {
            "incident": True,
            "grounds": ["improper_purpose"],
            "final_report": {"days": 60, "due": "2024-08-01"},
            "rules_version": {"id": "2024-04-01"},
        },
        "規則7条3号括弧書 (2024-04-01施行)",
    ),
    (
        "web_skimming_before_2024",
        {
            "aware_date": "2024-03-15",
            "cause": "web_skimming",
            "individuals": 300,
            "items": ["person_name", "credit_card"],
            "personal_info_being_acquired": True,
        },
        {"incident": False, "reportable": False, "rules_version": {"id": "2022-04-01"}},
        "改正前の規則7条3号 (取得中の情報は個人データでない)",
    ),
    (
        "skimming_stored_data_before_2024",
        {
            "aware_date": "2023-10-02",
            "cause": "web_skimming",
            "individuals": 300,
            "items": ["person_name", "credit_card"],
        },
        {"grounds": ["financial", "improper_purpose"], "final_report": {"days": 60, "due": "2023-11-30"}},
        "規則7条2号・3号 (保存済みの個人データ)",
    ),
    (
        "suspected_unauthorized_access",
        facts(cause="unauthorized_access", suspected=True),
        {"incident": True, "reportable": True},
        "規則7条柱書 (発生したおそれ), GL 3-5-3-1 ※2",
    ),
    (
        "before_2022_effort_duty",
        facts(aware_date="2021-06-01", individuals=5000),
        {"reportable": True, "must_report": False, "rules_version": {"id": "before-2022-04-01"}},
        "令和2年改正法の施行 (2022-04-01) 前は努力義務",
    ),
    (
        "unknown_count",
        facts(individuals=None),
        {"reportable": None, "grounds": [], "verdict": {"code": "pending"}},
        "GL 3-5-3-1 (確定しない場合は最大数): 不明な数は判定保留",
    ),
    (
        "vendor_cause_unknown_purpose",
        facts(cause="vendor"),
        {"reportable": None, "verdict": {"code": "pending"}},
        "規則7条3号 (不明なら確認を促す)",
    ),
    (
        "improper_affirmed_by_user",
        facts(cause="misdirected_mail", improper_purpose=True),
        {"grounds": ["improper_purpose"]},
        "規則7条3号",
    ),
    (
        "no_breach",
        facts(breach_types=[]),
        {"incident": False, "reportable": False},
        "法26条1項 (漏えい等がない)",
    ),
    (
        "my_number_over_100",
        facts(items=["person_name", "my_number"], individuals=150, cause="misdirected_mail"),
        {"reportable": False, "my_number_act": {"applies": True, "reportable": True}},
        "番号法29条の4, 特定個人情報漏えい等報告規則2条4号",
    ),
    (
        "my_number_improper",
        facts(items=["my_number"], individuals=50, cause="unauthorized_access"),
        {"grounds": ["improper_purpose"], "my_number_act": {"reportable": True}},
        "番号法29条の4, 同規則2条2号",
    ),
    (
        "my_number_small_misdirected",
        facts(items=["my_number"], individuals=50),
        {"my_number_act": {"reportable": False}},
        "番号法29条の4, 同規則2条",
    ),
]


def subset(actual, expected, path="result"):
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{path}: {actual!r}"
        for key, value in expected.items():
            subset(actual.get(key), value, f"{path}.{key}")
    else:
        assert actual == expected, f"{path}: expected {expected!r}, got {actual!r}"


@pytest.mark.parametrize(
    ("facts_", "expected", "citation"), [s[1:] for s in SCENARIOS], ids=[s[0] for s in SCENARIOS]
)
def test_scenario(facts_, expected, citation):
    result = assess(facts_)
    subset(result, expected)
    # Every result explains itself: each reason cites a source.
    assert all(r["citation"] for r in result["reasons"]), citation


def test_at_least_forty_scenarios():
    assert len(SCENARIOS) >= 40


# GL 3-5-3-4 ※2 (行政機関の休日に関する法律2条): the deadline table of shared/domain/appi.md §4.3.
DEADLINES = [
    ("2026-04-28", "2026-05-27", "2026-06-26", "2026-05-01", "2026-05-03"),  # Golden Week in the 速報 window
    (
        "2026-04-06",
        "2026-05-07",
        "2026-06-04",
        "2026-04-09",
        "2026-04-11",
    ),  # day 30 = こどもの日, 5/6 振替休日
    ("2026-08-22", "2026-09-24", "2026-10-20", "2026-08-25", "2026-08-27"),  # September holidays 9/21-23
    ("2026-12-01", "2027-01-04", "2027-01-29", "2026-12-04", "2026-12-06"),  # 12/29-1/3
    ("2026-03-25", "2026-04-23", "2026-05-25", "2026-03-28", "2026-03-30"),  # day 60 on a Saturday
]


@pytest.mark.parametrize(("aware", "due30", "due60", "p_from", "p_to"), DEADLINES)
def test_deadline_table(aware, due30, due60, p_from, p_to):
    day = dt.date.fromisoformat(aware)
    assert final_report_due(day, 30).isoformat() == due30
    assert final_report_due(day, 60).isoformat() == due60
    assert [d.isoformat() for d in preliminary_window(day)] == [p_from, p_to]
    # And through the engine, with the reason naming why the day moved.
    result = assess({"aware_date": aware, "individuals": 2000})
    assert result["final_report"]["due"] == due30
    assert result["preliminary_report"]["from"] == p_from


def test_moved_deadline_says_why():
    result = assess({"aware_date": "2026-04-06", "individuals": 2000})
    assert result["final_report"]["day_n"] == "2026-05-05"
    assert "こどもの日" in result["final_report"]["moved_because"]


def test_report_items_are_the_nine_of_rules_art_8_verbatim():
    """規則8条1項各号; notice to individuals carries items 1, 2, 4, 5, 9 (規則10条)."""
    items = assess(facts(individuals=2000, caused_by="self"))["report_items"]
    assert [i["no"] for i in items] == list(range(1, 10))
    assert items[0]["label"] == "概要" and items[3]["label"] == "原因"
    assert items[1]["label"].startswith("漏えい等が発生し、又は発生したおそれがある個人データ（前条第3号")
    assert [i["no"] for i in items if i["notify_individual"]] == [1, 2, 4, 5, 9]
    assert [i["no"] for i in items if i["known"]] == [1, 2, 3, 4]
    assert len(REPORT_ITEMS) == 9


def test_reason_text_and_citation_of_over_1000():
    reasons = assess(facts(individuals=1200))["reasons"]
    assert {
        "code": "over_1000",
        "text": "本人の数が1,000人を超える（規則7条4号）",
        "citation": "個人情報保護法施行規則7条4号",
    } in reasons


def test_actions_follow_the_guideline_steps_in_order():
    """GL 3-5-2: internal report and containment, facts, scope, prevention, then report and notice."""
    actions = assess(facts(individuals=2000))["actions"]
    assert actions[0].startswith("事業者内部における報告及び被害の拡大防止")
    assert actions[1].startswith("事実関係の調査及び原因の究明")
    assert actions[2].startswith("影響範囲の特定")
    assert actions[3].startswith("再発防止策の検討及び実施")
    assert any("速報" in a for a in actions[4:]) and any("本人への通知" in a for a in actions)


def test_vendor_is_told_to_notify_its_principal():
    """規則9条: notifying the principal frees a vendor from the report and the notice."""
    actions = assess(facts(role="vendor", individuals=3000))["actions"]
    assert any("委託元へ" in a and "規則9条" in a for a in actions)


def test_rules_version_boundary_2024_04_01():
    skimming = {"cause": "web_skimming", "personal_info_being_acquired": True, "individuals": 10}
    assert assess({**skimming, "aware_date": "2024-03-31"})["incident"] is False
    assert assess({**skimming, "aware_date": "2024-04-01"})["must_report"] is True


def test_assumptions_are_stated():
    result = assess({"aware_date": "2026-04-28"})
    text = " ".join(result["assumptions"])
    assert "breach_types" in text
    missing = [m["fact"] for m in result["verdict"]["missing"]]
    assert missing == ["items", "improper_purpose", "individuals"]
    assert "人数が不明" in result["verdict"]["headline"]


def test_amendments_not_encoded_are_flagged():
    """shared/domain/appi.md §11: 令和8年改正 (parts in force from 2027-01-17) is not encoded."""
    result = assess(facts(aware_date="2027-02-01", individuals=2000))
    assert any("令和8年改正" in a for a in result["assumptions"])
    assert not any("令和8年改正" in a for a in assess(facts(individuals=2000))["assumptions"])


def test_my_number_act_says_what_and_cites():
    act = assess(facts(items=["my_number"], individuals=150))["my_number_act"]
    assert "番号法29条の4" in act["text"] and "100人" in act["text"]
    assert "29条の4" in act["citation"]
    assert assess(facts())["my_number_act"] is None


def test_invalid_facts_list_every_problem_in_japanese():
    with pytest.raises(FactsError) as info:
        assess(
            {
                "aware_date": "28/04/2026",
                "breach_types": ["leaked"],
                "individuals": -3,
                "cause": "hack",
                "colour": "red",
            }
        )
    errors = info.value.errors
    assert len(errors) == 5
    assert any("YYYY-MM-DD" in e for e in errors) and any("colour" in e for e in errors)


def test_aware_date_is_required():
    with pytest.raises(FactsError, match="aware_date"):
        assess({})
