"""The APPI rules engine: is an incident reportable, who reports and notifies, by when, what to say.

Every rule cites its source (``shared/domain/appi.md`` §3–§6). Pure Python: facts in, a plain
dict (the JSON contract of ``mamori assess`` and ``POST /api/v1/assess``) out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from mamori.core import vocabulary
from mamori.core.appi import calendar
from mamori.core.appi.facts import Facts, parse_facts
from mamori.core.appi.texts import CITE, REPORT_ITEMS, RESPONSE_STEPS


@dataclass(frozen=True)
class RuleVersion:
    id: str
    effective: dt.date
    title: str
    mandatory: bool  # 26条 duties in force (令和2年改正, 2022-04-01)
    acquiring_in_3go: bool  # 規則7条3号 covers personal information being acquired (2024-04-01)


VERSIONS = (
    RuleVersion(
        "before-2022-04-01",
        dt.date.min,
        "令和2年改正法の施行前（漏えい等の報告・本人通知は努力義務）",
        False,
        False,
    ),
    RuleVersion(
        "2022-04-01",
        dt.date(2022, 4, 1),
        "令和2年改正個人情報保護法・施行規則（2022年4月1日施行）",
        True,
        False,
    ),
    RuleVersion(
        "2024-04-01",
        dt.date(2024, 4, 1),
        "改正施行規則（2023年12月27日公布、2024年4月1日施行）：規則7条3号に取得中の個人情報を含む",
        True,
        True,
    ),
)

# Changes known to exist whose text this engine has not encoded (shared/domain/appi.md §11).
WATCH = (
    (
        dt.date(2026, 6, 14),
        "2026年6月14日施行の施行規則改正・2026年6月のガイドライン改正の内容は未確認です。"
        "本判定は2024年4月1日施行の規則に基づきます。最新の条文を確認してください。",
    ),
    (
        dt.date(2027, 1, 17),
        "令和8年改正法（2026年7月17日公布、一部2027年1月17日から施行）は、リスクの低い場合の本人通知の緩和などを含むと"
        "報じられていますが、本エンジンには未反映です。個人情報保護委員会の最新情報を確認してください。",
    ),
)

# 規則7条3号: acts possibly done with improper purpose (GL 3-5-3-1 examples). None: cannot tell.
IMPROPER_BY_CAUSE: dict[str, bool | None] = {
    "unauthorized_access": True,
    "malware": True,
    "ransomware": True,
    "web_skimming": True,
    "theft": True,
    "insider": True,
    "misdirected_mail": False,
    "misdirected_email": False,
    "misdirected_fax": False,
    "loss": False,
    "misconfiguration": False,
    "disposal_error": False,
    "vendor": None,
    "other": None,
}

GROUND_ORDER = ("special_care", "financial", "improper_purpose", "over_1000")
GROUND_TEXT = {
    "special_care": "要配慮個人情報が含まれる（規則7条1号）",
    "financial": "不正に利用されることにより財産的被害が生じるおそれがある個人データが含まれる（規則7条2号）",
    "improper_purpose": "不正の目的をもって行われたおそれがある行為による（規則7条3号）",
    "over_1000": "本人の数が1,000人を超える（規則7条4号）",
}


def version_for(day: dt.date) -> RuleVersion:
    return [v for v in VERSIONS if v.effective <= day][-1]


def _reason(code: str, text: str, citation_key: str | None = None) -> dict:
    return {"code": code, "text": text, "citation": CITE[citation_key or code]}


def assess(facts: Facts | dict) -> dict:
    if isinstance(facts, dict):
        facts = parse_facts(facts)
    f = facts
    version = version_for(f.aware_date)
    reasons: list[dict] = []
    assumptions: list[str] = []
    exemptions: list[str] = []

    # --- 1. Is there a leak, loss or damage in the legal sense? (GL 3-5-1) ---------------------
    counted = []
    for kind in f.breach_types:
        if kind == "leak" and f.recovered_before_access:
            exemptions.append("recovered_before_access")
            reasons.append(
                _reason(
                    "recovered_before_access", "第三者に閲覧される前に全て回収したため、漏えいに当たらない"
                )
            )
        elif kind in ("loss", "damage") and f.copy_exists:
            exemptions.append("copy_exists")
            label = "滅失" if kind == "loss" else "毀損"
            reasons.append(
                _reason("copy_exists", f"同じ内容のデータが他に保管されているため、{label}に当たらない")
            )
        else:
            counted.append(kind)
    exemptions = list(dict.fromkeys(exemptions))
    if not f.given("breach_types"):
        assumptions.append("breach_types が未入力のため「漏えい」として判定しました。")

    acquiring_excluded = f.personal_info_being_acquired and not version.acquiring_in_3go
    if acquiring_excluded:
        reasons.append(
            _reason(
                "acquiring_before_2024",
                "取得しようとしている個人情報（個人データとなる前の情報）の漏えい等は、2024年4月1日より前は報告対象外",
                "acquiring",
            )
        )
    incident = bool(counted) and not acquiring_excluded
    if incident:
        labels = {"leak": "漏えい", "loss": "滅失", "damage": "毀損"}
        kinds = "・".join(labels[k] for k in counted)
        if f.suspected:
            reasons.append(_reason("suspected", f"個人データの{kinds}が発生したおそれがある"))
        else:
            reasons.append(_reason("incident", f"個人データの{kinds}が発生した"))

    # --- 2. Grounds of 規則7条 ---------------------------------------------------------------
    improper = f.improper_purpose
    if improper is None:
        improper = IMPROPER_BY_CAUSE.get(f.cause) if f.cause else None
        if improper is None:
            assumptions.append(
                "不正の目的の有無が不明なため「なし」として判定しました（規則7条3号）。不正アクセス・内部不正・盗難等の"
                "可能性があれば improper_purpose を true にしてください。"
            )
            improper = False
    financial = f.financial_damage_risk
    if financial is None:
        # 規則7条2号 from the items (mamori.core.vocabulary: each item's condition and source).
        financial = vocabulary.is_financial(f.items)
        for item in vocabulary.financial_unresolved(f.items):
            assert item.financial is not None  # financial_unresolved returns only items with a condition
            assumptions.append(
                f"{item.ja}：{item.financial.condition}。そのような情報は含まれていないものとして判定しました（規則7条2号）。"
                "含まれる場合は financial_damage_risk を true にしてください。"
            )
    special = vocabulary.is_special_care(f.items, f.special_care)
    if "special_care" in f.items and not f.special_care:
        assumptions.append(
            "要配慮個人情報の区分（special_care）が未入力です。区分を入力すると通知文が正確になります。"
        )
    count = f.individuals
    if count is None:
        assumptions.append(
            "本人の数が不明です。確定できない場合は最大数で判断します（ガイドライン3-5-3-1）。"
            "1,000人を超える可能性があれば individuals に最大数を入力してください。"
        )
    over_1000 = count is not None and count > 1000

    candidates = {
        "special_care": special,
        "financial": financial,
        "improper_purpose": improper,
        "over_1000": over_1000,
    }
    if f.personal_info_being_acquired and version.acquiring_in_3go:
        # Only 3号 extends to information being acquired (規則7条3号括弧書).
        candidates = {k: (v if k == "improper_purpose" else False) for k, v in candidates.items()}
        reasons.append(
            _reason(
                "acquiring",
                "取得しようとしている個人情報も、規則7条3号の事態に限り個人データに含めて判断する（2024年4月1日施行）",
            )
        )
    grounds = [g for g in GROUND_ORDER if candidates[g]] if incident else []
    for g in grounds:
        reasons.append(_reason(g, GROUND_TEXT[g]))

    # --- 3. Exception: strong encryption (規則7条柱書) -----------------------------------------
    reportable = bool(grounds)
    if reportable and f.highly_encrypted:
        reportable = False
        exemptions.append("highly_encrypted")
        reasons.append(
            _reason(
                "highly_encrypted",
                "高度な暗号化等の措置が講じられていたため、報告対象事態に当たらない（利用者が確認済み）",
            )
        )

    # --- 4. Who must report and notify (法26条, 規則9条) ----------------------------------------
    must_report = reportable and version.mandatory
    if reportable and not version.mandatory:
        reasons.append(
            _reason(
                "before_2022",
                "知った日が2022年4月1日より前のため、報告・本人通知は法的義務ではない（努力義務）",
            )
        )
    vendor_exempt = f.role == "vendor" and f.vendor_notified_principal
    if must_report and vendor_exempt:
        must_report = False
        exemptions.append("vendor_notified_principal")
        reasons.append(
            _reason(
                "vendor_notified_principal",
                "委託先として委託元に規則8条1項の事項を通知したため、委員会への報告と本人通知の義務を負わない（委託元の対応に協力する）",
            )
        )
    elif must_report and f.role == "vendor":
        reasons.append(
            _reason(
                "vendor_must_report",
                "委託先も報告義務を負う。委託元に速やかに通知すれば、報告と本人通知の義務を免れる（規則9条）",
            )
        )
    must_notify = must_report

    # --- 5. Deadlines (規則8条) --------------------------------------------------------------
    start = f.aware_date
    if (
        grounds == ["over_1000"]
        and f.over_1000_known_date is not None
        and f.over_1000_known_date > f.aware_date
    ):
        start = f.over_1000_known_date
        assumptions.append(
            f"報告対象となる根拠が1,000人超のみのため、1,000人を超えると知った日（{start.isoformat()}）を1日目として"
            "期限を計算しました（ガイドライン3-5-3-1の解釈。起算日は要確認）。"
        )
    preliminary = final = None
    if must_report:
        p_from, p_to = calendar.preliminary_window(start)
        preliminary = {"from": p_from.isoformat(), "to": p_to.isoformat(), "citation": CITE["preliminary"]}
        days = 60 if "improper_purpose" in grounds else 30
        raw = calendar.day_n(start, days)
        due = calendar.final_report_due(start, days)
        final = {
            "days": days,
            "due": due.isoformat(),
            "day_n": raw.isoformat(),
            "moved_because": calendar.closed_reason(raw) if due != raw else None,
            "citation": CITE["final"],
        }
        reasons.append(
            _reason(
                "final",
                f"確報の期限：知った日を1日目として{days}日目（{raw.isoformat()}）"
                + (f"。{calendar.closed_reason(raw)}のため翌開庁日 {due.isoformat()}" if due != raw else "")
                + ("。規則7条3号に該当するため60日" if days == 60 else ""),
            )
        )

    # --- 6. Report items, actions ----------------------------------------------------------
    known = {
        1: f.given("breach_types") and f.cause is not None,
        2: bool(f.items or f.special_care),
        3: count is not None,
        4: f.cause is not None and f.cause != "other",
        5: f.secondary_damage is not None,
        6: False,
        7: False,
        8: False,
        9: False,
    }
    report_items = [
        {"no": no, "label": label, "known": known[no], "notify_individual": notify}
        for no, label, notify in REPORT_ITEMS
    ]

    my_number = _my_number(f, improper, incident)
    actions = _actions(
        f, must_report, must_notify, reportable, vendor_exempt, preliminary, final, my_number, incident
    )

    for since, note in WATCH:
        if f.aware_date >= since:
            assumptions.append(note)

    return {
        "incident": incident,
        "reportable": reportable,
        "grounds": grounds,
        "must_report": must_report,
        "must_notify": must_notify,
        "exemptions": exemptions,
        "preliminary_report": preliminary,
        "final_report": final,
        "report_items": report_items,
        "reasons": reasons,
        "assumptions": assumptions,
        "actions": actions,
        "my_number_act": my_number,
        "rules_version": {"id": version.id, "effective": _iso(version.effective), "title": version.title},
        "aware_date": f.aware_date.isoformat(),
        "clock_start": start.isoformat(),
    }


def _iso(day: dt.date) -> str | None:
    return None if day == dt.date.min else day.isoformat()


def _my_number(f: Facts, improper: bool, incident: bool) -> dict | None:
    """番号法29条の4: its own duty to report and notify for 特定個人情報 (My Number)."""
    if not vocabulary.has_my_number(f.items):
        return None
    grounds = []
    if improper:
        grounds.append("不正の目的をもって行われたおそれがある漏えい等（規則2条2号）")
    if f.publicly_viewable:
        grounds.append("電磁的方法により不特定多数の者に閲覧されるおそれ（規則2条3号）")
    if f.individuals is not None and f.individuals > 100:
        grounds.append("特定個人情報に係る本人の数が100人を超える（規則2条4号）")
    reportable = incident and not f.highly_encrypted and bool(grounds)
    return {
        "applies": True,
        "reportable": reportable,
        "grounds": grounds if incident else [],
        "text": (
            "個人番号（マイナンバー）を含む特定個人情報については、個人情報保護法とは別に番号法29条の4が"
            "個人情報保護委員会への報告と本人への通知を義務付けています。報告対象は、情報提供ネットワークシステム等に"
            "記録された特定個人情報の漏えい等（規則2条1号）、不正の目的によるおそれがある漏えい等（同2号）、"
            "不特定多数に閲覧されるおそれ（同3号）、本人の数が100人を超える漏えい等（同4号）です"
            "（高度な暗号化等の措置を講じたものを除く）。速報・確報の期限は個人情報保護法と同様（確報30日、"
            "不正目的のおそれがある場合60日）です。"
        ),
        "citation": CITE["my_number"],
        "note": "番号法の報告規則は本エンジンの出典ファイル外の条文です。提出前に最新の規則を確認してください。",
    }


def _actions(f, must_report, must_notify, reportable, vendor_exempt, preliminary, final, my_number, incident):
    steps = list(RESPONSE_STEPS)
    if f.role == "vendor" and reportable and not vendor_exempt:
        steps.append(
            "委託元へ規則8条1項の事項（判明している範囲）を速やかに通知する（概ね3〜5日以内）。通知すれば委員会への報告と"
            "本人通知の義務を免れ、委託元の対応に協力する（規則9条）"
        )
    if vendor_exempt and reportable:
        steps.append("委託元による報告・本人通知に協力する（ガイドライン3-5-3-5）")
    if must_report and preliminary and final:
        steps.append(
            f"個人情報保護委員会へ速報：速やかに、目安は {preliminary['from']}〜{preliminary['to']}（判明している事項のみで可）"
            "（規則8条1項）"
        )
        steps.append(
            f"個人情報保護委員会へ確報：{final['due']} まで（全9項目。不明な項目は判明次第追完）（規則8条2項）"
        )
    if must_notify:
        steps.append(
            "本人への通知：状況に応じて速やかに。通知事項は概要・項目・原因・二次被害・その他参考となる事項（規則10条）。"
            "連絡先不明等で困難な場合は、事案の公表や問合せ窓口の設置などの代替措置（法26条2項ただし書）"
        )
        steps.append("事実関係と再発防止策の公表を検討する（ガイドライン3-5-2）")
    if incident and not reportable:
        steps.append(
            "報告対象事態には当たらないが、経緯と判断理由を記録し、任意の報告も検討する（ガイドライン3-5-3-1 ※1）"
        )
    if my_number and my_number["reportable"]:
        steps.append("特定個人情報について番号法29条の4に基づく委員会への報告と本人への通知を行う")
    return steps
