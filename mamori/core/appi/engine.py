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
    effective: dt.date | None  # None: passed but no effective date set yet (never applied)
    title: str
    mandatory: bool  # 26条 duties in force (令和2年改正, 2022-04-01)
    acquiring_in_3go: bool  # 規則7条3号 covers personal information being acquired (2024-04-01)
    # 令和8年改正: 26条2項 notice relaxed where the risk to the individual is low (criteria in a new 規則, U).
    notice_relaxed_low_risk: bool = False


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
    RuleVersion(
        "2026-06-14",
        dt.date(2026, 6, 14),
        "改正施行規則（令和8年個人情報保護委員会規則第2号、2026年6月14日施行）：個人識別符号の規定の整理"
        "（令1条8号 介護保険の被保険者番号等、旧規則3条削除）。漏えい等の報告（規則7〜10条）に変更なし",
        True,
        True,
    ),
    RuleVersion(
        "r8-amendment",
        None,
        "令和8年改正法（令和8年法律第56号、2026年7月17日公布）：リスクの低い場合の本人通知の緩和（26条2項）。"
        "施行日は政令で定める日（未定）",
        True,
        True,
        notice_relaxed_low_risk=True,
    ),
)

# Changes known to exist whose text this engine has not encoded (shared/domain/appi.md §11).
WATCH = (
    (
        dt.date(2026, 7, 17),
        "令和8年改正法（2026年7月17日公布）の本人通知の緩和（26条2項）は施行日が未定のため適用していません。"
        "施行日と新しい規則が定まったら個人情報保護委員会の最新情報を確認してください。",
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
    """The rule set in force on the awareness date; sets with no effective date are never chosen."""
    return [v for v in VERSIONS if v.effective is not None and v.effective <= day][-1]


def pending_versions(day: dt.date) -> list[dict]:
    """Rule sets passed but not in force on ``day`` (no effective date, or a later one)."""
    return [
        {"id": v.id, "effective": _iso(v.effective) if v.effective else None, "title": v.title}
        for v in VERSIONS
        if v.effective is None or v.effective > day
    ]


def _reason(code: str, text: str, citation_key: str | None = None) -> dict:
    return {"code": code, "text": text, "citation": CITE[citation_key or code]}


VERDICT_LABELS = {"required": "報告が必要", "not_required": "報告は不要", "pending": "判定保留"}

# What is missing to decide, and the worst case while it is missing (shown with 判定保留).
MISSING_TEXT = {
    "improper_purpose": (
        "不正の目的の有無が不明",
        "不正アクセス・マルウェア・盗難・内部不正など不正の目的のおそれがあれば報告対象（規則7条3号、確報60日）",
    ),
    "financial_damage_risk": (
        "財産的被害のおそれの有無が不明",
        "決済・送金に使えるIDとパスワード等が含まれていれば報告対象（規則7条2号）",
    ),
    "individuals": (
        "人数が不明",
        "1,000人を超えるおそれがあれば報告対象（規則7条4号）",
    ),
    "special_care_unconfirmed": (
        "要配慮個人情報の有無が未確認（キーワードのみの検出）",
        "要配慮個人情報が含まれていれば報告対象（規則7条1号）",
    ),
    "items": (
        "漏えい等した項目が不明",
        "要配慮個人情報やクレジットカード番号等が含まれていれば報告対象（規則7条1号・2号）",
    ),
}


def _missing(code: str, **extra) -> dict:
    what, worst = MISSING_TEXT[code]
    return {"fact": code, "text": what, "worst_case": worst, **extra}


def _count_view(f: Facts) -> dict:
    """The number of people and the number the law judges on (the maximum possible, GL 3-5-3-1)."""
    kind = f.individuals_kind if f.individuals is not None or f.individuals_max is not None else "unknown"
    maximum = f.individuals_max if f.individuals_max is not None else f.individuals
    if kind == "exact":
        maximum = f.individuals
    text = {
        "exact": f"{f.individuals:,}人（確定）" if f.individuals is not None else "",
        "estimate": f"約{f.individuals:,}人（推計）" if f.individuals is not None else "",
        "range": f"{(f.individuals_min or 0):,}〜{(maximum or 0):,}人（範囲）",
        "unknown": "不明（調査中）",
    }[kind]
    if kind == "estimate" and f.individuals_max is not None and f.individuals_max != f.individuals:
        text += f"、最大{f.individuals_max:,}人"
    return {
        "kind": kind,
        "value": f.individuals if kind != "unknown" else None,
        "min": f.individuals_min,
        "max": maximum if kind != "unknown" else None,
        "basis": f.individuals_basis,
        "text": text,
    }


def _deadlines(start: dt.date, days: int, final_key: str, prelim_key: str) -> tuple[dict, dict]:
    p_from, p_to = calendar.preliminary_window(start)
    preliminary = {"from": p_from.isoformat(), "to": p_to.isoformat(), "citation": CITE[prelim_key]}
    raw = calendar.day_n(start, days)
    due = calendar.final_report_due(start, days)
    final = {
        "days": days,
        "due": due.isoformat(),
        "day_n": raw.isoformat(),
        "moved_because": calendar.closed_reason(raw) if due != raw else None,
        "citation": CITE[final_key],
    }
    return preliminary, final


def assess(facts: Facts | dict, today: dt.date | None = None) -> dict:
    """Assess the facts. ``today``, when given, refuses dates in the future."""
    if isinstance(facts, dict):
        facts = parse_facts(facts, today=today)
    f = facts
    version = version_for(f.aware_date)
    reasons: list[dict] = []
    assumptions: list[str] = []
    exemptions: list[str] = []
    missing: list[dict] = []

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

    # --- 2. Grounds of 規則7条: each True (applies), False (does not) or None (unknown) -------------
    improper = f.improper_purpose
    if improper is None and f.cause:
        improper = IMPROPER_BY_CAUSE.get(f.cause)
        if improper is not None:
            assumptions.append(
                f"不正の目的の有無は原因の区分から{'「あり」' if improper else '「なし」'}と判断しました（規則7条3号）。"
                "事実が異なる場合は improper_purpose を指定してください。"
            )
    financial = f.financial_damage_risk
    if financial is None:
        # 規則7条2号 from the items (mamori.core.vocabulary: each item's condition and source).
        if vocabulary.is_financial(f.items):
            financial = True
        else:
            unresolved = vocabulary.financial_unresolved(f.items)
            for item in unresolved:
                assert item.financial is not None  # financial_unresolved returns only items with a condition
                assumptions.append(
                    f"{item.ja}：{item.financial.condition}（規則7条2号）。"
                    "該当するかを financial_damage_risk（はい／いいえ）で指定してください。"
                )
            financial = None if unresolved else False
    special = vocabulary.is_special_care(f.items, f.special_care)
    unconfirmed = [c for c in f.special_care_unconfirmed if c not in f.special_care]
    if "special_care" in f.items and not f.special_care:
        assumptions.append(
            "要配慮個人情報の区分（special_care）が未入力です。区分を入力すると通知文が正確になります。"
        )
    count = _count_view(f)
    maximum = count["max"]
    over_1000: bool | None = None if maximum is None else maximum > 1000
    if count["kind"] in ("estimate", "range") and maximum is not None:
        assumptions.append(
            f"本人の数は{count['text']}です。確定できない場合は最大数（{maximum:,}人）で判断します（ガイドライン3-5-3-1）。"
            + (f"根拠：{f.individuals_basis}" if f.individuals_basis else "")
        )
    no_items = not f.items and not f.special_care

    candidates: dict[str, bool | None] = {
        "special_care": True if special else (None if unconfirmed or no_items else False),
        "financial": True if financial else (None if financial is None or no_items else False),
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
    unknown = [g for g in GROUND_ORDER if candidates[g] is None] if incident else []
    for g in grounds:
        reasons.append(_reason(g, GROUND_TEXT[g]))
    if "special_care" in unknown:
        missing.append(
            _missing("special_care_unconfirmed", categories=unconfirmed) if unconfirmed else _missing("items")
        )
    if "financial" in unknown and not no_items:
        missing.append(_missing("financial_damage_risk"))
    elif "financial" in unknown and not any(m["fact"] == "items" for m in missing):
        missing.append(_missing("items"))
    if "improper_purpose" in unknown:
        missing.append(_missing("improper_purpose"))
    if "over_1000" in unknown:
        missing.append(_missing("individuals"))

    # --- 3. Exception: strong encryption (規則7条1号括弧書) ------------------------------------
    encrypted = f.highly_encrypted and incident
    if encrypted and (grounds or unknown):
        exemptions.append("highly_encrypted")
        reasons.append(
            _reason(
                "highly_encrypted",
                "高度な暗号化等の措置が講じられていたため、報告対象事態に当たらない（利用者が確認済み）",
            )
        )
    # 規則7条3号 overrides the encryption exception only as the rule's text says; the engine applies the
    # exception to every ground, as the guideline describes it for the protected data.
    if encrypted:
        grounds, unknown, missing = [], [], []
    reportable: bool | None = bool(grounds) or (None if unknown else False)

    # --- 4. Who must report and notify (法26条, 規則9条) ----------------------------------------
    mandatory = version.mandatory
    if reportable and not mandatory:
        reasons.append(
            _reason(
                "before_2022",
                "知った日が2022年4月1日より前のため、報告・本人通知は法的義務ではない（努力義務）",
            )
        )
    vendor = f.role == "vendor"
    vendor_exempt = vendor and f.vendor_notified_principal
    must_report = bool(reportable) and mandatory and not vendor_exempt
    if reportable and mandatory and vendor_exempt:
        exemptions.append("vendor_notified_principal")
        reasons.append(
            _reason(
                "vendor_notified_principal",
                "委託先として委託元に規則8条1項の事項を通知したため、委員会への報告と本人通知の義務を負わない（委託元の対応に協力する）",
            )
        )
    elif reportable and mandatory and vendor:
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
        days = 60 if "improper_purpose" in grounds else 30
        preliminary, final = _deadlines(start, days, "final", "preliminary")
        raw, due = dt.date.fromisoformat(final["day_n"]), dt.date.fromisoformat(final["due"])
        reasons.append(
            _reason(
                "final",
                f"確報の期限：知った日を1日目として{days}日目（{raw.isoformat()}）"
                + (f"。{calendar.closed_reason(raw)}のため翌開庁日 {due.isoformat()}" if due != raw else "")
                + ("。規則7条3号に該当するため60日" if days == 60 else ""),
            )
        )
        if "improper_purpose" in unknown:
            assumptions.append(
                "不正の目的の有無が不明なため、確報の期限は早い方（30日）で示しています。3号に当たれば60日です。"
            )
    worst_case = None
    if reportable is None and mandatory and not vendor_exempt:
        worst_grounds = [g for g in GROUND_ORDER if candidates[g] is None or candidates[g]]
        # While unknown, plan for the earlier 確報 date (30 days); 3号 would give 60.
        w_pre, w_final = _deadlines(f.aware_date, 30, "final", "preliminary")
        worst_case = {"grounds": worst_grounds, "preliminary_report": w_pre, "final_report": w_final}

    # --- 6. Verdict ------------------------------------------------------------------------------
    if reportable is None:
        code = "pending"
    elif reportable and mandatory:
        code = "required"
    else:
        code = "not_required"
    headline = VERDICT_LABELS[code]
    if code == "required" and vendor_exempt:
        headline = "委託元へ通知済（報告義務は委託元）"
    elif code == "required" and vendor:
        headline = "報告が必要（委託元へ速やかに通知すれば委託元の報告に代わる：規則9条）"
    elif code == "pending":
        headline = "判定保留：" + "、".join(f"{m['text']}（{m['worst_case']}）" for m in missing)
    verdict = {
        "code": code,
        "label": VERDICT_LABELS[code],
        "headline": headline,
        "missing": missing,
        "worst_case": worst_case,
    }

    # --- 7. Report items, vendor route, My Number, actions ----------------------------------------
    known = {
        1: f.given("breach_types") and f.cause is not None,
        2: bool(f.items or f.special_care),
        3: count["kind"] == "exact",
        4: f.cause is not None and f.cause != "other" and f.caused_by is not None,
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
    vendor_route = _vendor_route(f, reportable, report_items) if vendor else None
    my_number = _my_number(f, improper, incident, count, version)
    actions = _actions(
        f, must_report, must_notify, reportable, vendor_exempt, preliminary, final, my_number, incident
    )

    for since, note in WATCH:
        if f.aware_date >= since:
            assumptions.append(note)

    return {
        "verdict": verdict,
        "incident": incident,
        "reportable": reportable,
        "grounds": grounds,
        "must_report": must_report,
        "must_notify": must_notify,
        "exemptions": exemptions,
        "preliminary_report": preliminary,
        "final_report": final,
        "individuals": count,
        "caused_by": f.caused_by,
        "report_items": report_items,
        "reasons": reasons,
        "assumptions": assumptions,
        "actions": actions,
        "vendor_route": vendor_route,
        "my_number_act": my_number,
        "rules_version": {
            "id": version.id,
            "effective": _iso(version.effective),
            "title": version.title,
            "not_in_force": pending_versions(f.aware_date),
        },
        "aware_date": f.aware_date.isoformat(),
        "clock_start": start.isoformat(),
    }


def _iso(day: dt.date | None) -> str | None:
    return None if day is None or day == dt.date.min else day.isoformat()


VENDOR_NOTICE_ITEMS = [no for no, _label, _notify in REPORT_ITEMS]


def _vendor_route(f: Facts, reportable: bool | None, report_items: list[dict]) -> dict:
    """規則9条: a vendor that tells its principal the 規則8条1項 items known so far, 速やかに, is freed
    from the PPC report and the notice (法26条1項ただし書); GL 3-5-3-5: about 3–5 days."""
    p_from, p_to = calendar.preliminary_window(f.aware_date)
    notified = f.vendor_notified_principal
    return {
        "applies": True,
        "needed": reportable is not False,
        "notified": notified,
        "notified_on": f.principal_notified_on.isoformat() if f.principal_notified_on else None,
        "notice_due": {
            "from": p_from.isoformat(),
            "to": p_to.isoformat(),
            "text": "速やかに（目安：概ね3〜5日以内）",
        },
        "items_known": [i["no"] for i in report_items if i["known"]],
        "items_unknown": [i["no"] for i in report_items if not i["known"]],
        "status": "委託元へ通知済（報告義務は委託元）" if notified else "委託元への通知が必要（規則9条）",
        "citation": CITE["vendor_notice"],
    }


def _my_number(
    f: Facts, improper: bool | None, incident: bool, count: dict, version: RuleVersion
) -> dict | None:
    """番号法29条の4: its own duty to report and notify for 特定個人情報 (My Number), beside APPI.

    Triggers (特定個人情報漏えい等報告規則2条): 1号 network/利用事務 systems; 2号 improper purpose
    (employees included); 3号 viewable by an indefinite number of people; 4号 more than 100 people
    (unknown: the maximum possible). 確報 30 days, 60 for 2号; same day-1 and holiday rule (規則3条)."""
    applies = f.my_number if f.my_number is not None else vocabulary.has_my_number(f.items)
    if not applies:
        return None
    grounds: list[dict] = []
    missing: list[dict] = []
    maximum = count["max"]
    checks = (
        (
            "system",
            f.my_number_system,
            "情報提供ネットワークシステム又は個人番号利用事務等に使用される情報システムで管理される特定個人情報の漏えい等（規則2条1号）",
            "my_number_system",
            None,
        ),
        (
            "improper",
            improper,
            "不正の目的をもって行われたおそれがある特定個人情報の漏えい等・利用・提供（規則2条2号）",
            "my_number_improper",
            "不正の目的の有無が不明（おそれがあれば報告対象、確報60日）",
        ),
        (
            "public",
            f.publicly_viewable,
            "電磁的方法により不特定多数の者に閲覧されるおそれがある（規則2条3号）",
            "my_number_public",
            None,
        ),
        (
            "over_100",
            None if maximum is None else maximum > 100,
            "特定個人情報に係る本人の数が100人を超える（規則2条4号）",
            "my_number_over_100",
            "人数が不明（100人を超えるおそれがあれば報告対象）",
        ),
    )
    for code, value, text, cite, unknown_text in checks:
        if value:
            grounds.append({"code": code, "text": text, "citation": CITE[cite]})
        elif value is None and unknown_text:
            missing.append(
                {"fact": "improper_purpose" if code == "improper" else "individuals", "text": unknown_text}
            )
    if not incident or f.highly_encrypted:
        grounds, missing = [], []
    reportable = bool(grounds) or (None if missing else False)
    code = (
        "pending"
        if reportable is None
        else ("required" if reportable and version.mandatory else "not_required")
    )
    preliminary = final = None
    if code == "required" and not (f.role == "vendor" and f.vendor_notified_principal):
        days = 60 if any(g["code"] == "improper" for g in grounds) else 30
        preliminary, final = _deadlines(f.aware_date, days, "my_number_final", "my_number_preliminary")
    return {
        "applies": True,
        "reportable": reportable,
        "verdict": {"code": code, "label": VERDICT_LABELS[code], "missing": missing},
        "grounds": grounds,
        "preliminary_report": preliminary,
        "final_report": final,
        "text": (
            "個人番号（マイナンバー）を含む特定個人情報については、個人情報保護法とは別に番号法29条の4が"
            "個人情報保護委員会への報告と本人への通知を義務付けています。報告対象は、情報提供ネットワークシステム等で"
            "管理される特定個人情報の漏えい等（規則2条1号）、不正の目的によるおそれがある漏えい等（同2号）、"
            "不特定多数に閲覧されるおそれ（同3号）、本人の数が100人を超える漏えい等（同4号）です"
            "（高度な暗号化等の措置を講じたものを除く）。確報は30日以内（2号は60日以内）です。"
        ),
        "route": "個人情報保護委員会の報告フォームで「マイナンバーを含む（おそれを含む）」を選ぶと番号法の様式に進みます。"
        "一つの提出で両方の義務を果たせるかは確認中のため、両方の義務を表示しています。",
        "effort_duty": "報告対象に当たらない場合も、特定個人情報の漏えい等は報告するよう努めるものとされています。"
        if reportable is False and incident
        else "",
        "citation": CITE["my_number"],
    }


def _actions(f, must_report, must_notify, reportable, vendor_exempt, preliminary, final, my_number, incident):
    steps = list(RESPONSE_STEPS)
    if f.role == "vendor" and reportable is not False and not vendor_exempt:
        steps.append(
            "委託元へ規則8条1項の事項（判明している範囲）を速やかに通知する（概ね3〜5日以内）。通知すれば委員会への報告と"
            "本人通知の義務を免れ、委託元の対応に協力する（規則9条）"
        )
    if vendor_exempt and reportable:
        steps.append("委託元による報告・本人通知に協力する（ガイドライン3-5-3-5）")
    if reportable is None and not vendor_exempt:
        steps.append(
            "不明な事実を確認する。確認できるまでは報告対象として速報・確報の準備を進める（ガイドライン3-5-3-1）"
        )
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
    if incident and reportable is False:
        steps.append(
            "報告対象事態には当たらないが、経緯と判断理由を記録し、任意の報告も検討する（ガイドライン3-5-3-1 ※1）"
        )
    if my_number and my_number["final_report"]:
        steps.append(
            f"特定個人情報について番号法29条の4に基づき委員会へ速報（目安 {my_number['preliminary_report']['to']} まで）・"
            f"確報（{my_number['final_report']['due']} まで）し、本人へ通知する（特定個人情報漏えい等報告規則3条・5条）"
        )
    return steps
