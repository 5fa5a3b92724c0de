"""Preparedness before a leak: what a response plan must name, and a tabletop exercise (机上訓練)
generated from an incident's facts.

Pure Python. The plan's parts follow the response steps of the PPC guideline (GL 3-5-2, summarised in
``shared/domain/appi.md`` §6) and the incident set-up of GL 10-3(4) (§8: 漏えい等事案に対応する体制の
整備); the deadlines in an exercise come from the APPI rules engine (:mod:`mamori.core.appi.engine`,
規則7–10条). Which outside parties to list (lawyer, forensic firm, insurer, card companies, police,
the PPC, the sector regulator) is practice, not law — the PPC is the only party the law names
(法26条1項); a sector regulator receives reports where the PPC delegated them (法150条, GL 3-5-3-3).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from mamori.core.appi import engine
from mamori.core.items import ITEM_LABELS

# Roles of the contacts of a plan: (code, label, why, required)
ROLES: list[tuple[str, str, str, bool]] = [
    ("lawyer", "弁護士", "報告・通知・公表の判断、損害賠償への備え", True),
    ("forensic", "フォレンジック調査会社", "原因と影響範囲の調査（GL 3-5-2 ②③）", True),
    ("insurer", "サイバー保険の保険会社・代理店", "事故受付と費用補償の確認", True),
    ("card_company", "カード会社・決済代行会社", "クレジットカード情報が含まれるとき", False),
    ("police", "警察（サイバー犯罪相談窓口）", "不正アクセス・窃取等の被害相談", True),
    ("ppc", "個人情報保護委員会", "報告先（法26条1項）", True),
    (
        "regulator",
        "事業所管大臣（権限委任先）",
        "報告の受理が委任されている業種（法150条、GL 3-5-3-3）",
        False,
    ),
    ("call_centre", "コールセンター委託先", "本人からの問合せ窓口の設置", False),
    ("other", "その他", "", False),
]
ROLE_LABELS = {code: label for code, label, _w, _r in ROLES}
REQUIRED_ROLES = [code for code, _l, _w, required in ROLES if required]


@dataclass(frozen=True)
class PlanGap:
    code: str
    text: str


def plan_gaps(
    decision_maker: str,
    contacts: list[tuple[str, str]],
    call_centre: str,
    approved_wording: str,
    approved_on: dt.date | None,
    handles_card_data: bool = False,
    delegated_sector: bool = False,
) -> list[PlanGap]:
    """What the plan still lacks. ``contacts``: (role, phone) pairs."""
    gaps = []
    if not decision_maker.strip():
        gaps.append(PlanGap("decision_maker", "報告・公表等を決める責任者が決まっていません（GL 10-3(4)）。"))
    have = {role for role, phone in contacts if phone.strip()}
    needed = list(REQUIRED_ROLES)
    if handles_card_data:
        needed.append("card_company")
    if delegated_sector:
        needed.append("regulator")
    for role in needed:
        if role not in have:
            gaps.append(PlanGap(f"contact_{role}", f"連絡先「{ROLE_LABELS[role]}」の電話番号がありません。"))
    if not call_centre.strip():
        gaps.append(PlanGap("call_centre", "問合せ窓口（コールセンター）の設置方法が決まっていません。"))
    if not approved_wording.strip() or approved_on is None:
        gaps.append(PlanGap("wording", "本人への通知・公表文のひな形が事前承認されていません。"))
    return gaps


# --- Tabletop exercise --------------------------------------------------------------------------

SAMPLES: dict[str, dict] = {
    "ransomware": {
        "title": "サンプル：ECサイトのサーバーがランサムウェアに感染",
        "description": "月曜朝、受注サーバーのファイルが暗号化され脅迫文が表示された。顧客データベースへの外部通信の痕跡がある。",
        "facts": {
            "breach_types": ["leak", "damage"],
            "suspected": True,
            "individuals": 12000,
            "items": ["person_name", "address", "phone", "email", "credit_card"],
            "cause": "ransomware",
        },
    },
    "misdirected_email": {
        "title": "サンプル：顧客リストを添付したメールの誤送信",
        "description": "営業担当が顧客1,200人分のリスト（氏名・住所・電話番号）を取引先以外に誤送信した。",
        "facts": {
            "breach_types": ["leak"],
            "individuals": 1200,
            "items": ["person_name", "address", "phone"],
            "cause": "misdirected_email",
        },
    },
}


@dataclass(frozen=True)
class Inject:
    """One step of the exercise: at minute ``at`` the facilitator reads ``situation`` and asks
    ``question``; ``expected`` is what a good answer contains (from the plan and the law)."""

    no: int
    at: int  # minutes from the start of the exercise
    situation: str
    question: str
    expected: str


def scenario(
    title: str, description: str, facts: dict, drill_day: dt.date, plan_contacts: dict[str, str]
) -> dict:
    """A tabletop exercise from an incident's facts, replayed as if the company became aware of it on
    ``drill_day``. ``plan_contacts``: role -> "name (phone)" from the plan, or missing."""
    facts = {**facts, "aware_date": drill_day.isoformat()}
    result = engine.assess(facts)

    def who(role: str) -> str:
        return plan_contacts.get(role) or f"（計画に{ROLE_LABELS[role]}の連絡先がありません）"

    items = "、".join(str(ITEM_LABELS.get(i, i)) for i in facts.get("items") or []) or "不明"
    injects = [
        Inject(
            1,
            0,
            f"{description}（対象の項目: {items}、人数: {facts.get('individuals') or '不明'}）",
            "最初の15分で誰に報告し、被害の拡大をどう止めますか。",
            "責任者への即時報告と被害拡大の防止（GL 3-5-2 ①）。責任者: 計画の「判断する人」",
        ),
        Inject(
            2,
            15,
            "責任者が招集された。原因はまだ分からない。",
            "事実関係の調査と原因究明を誰に依頼しますか。",
            f"事実関係の調査・原因の究明（GL 3-5-2 ②）。フォレンジック: {who('forensic')}",
        ),
        Inject(
            3,
            45,
            "調査会社が暫定報告：影響範囲の特定に数日かかる見込み。",
            "個人情報保護委員会への報告と本人通知は必要ですか。期限はいつですか。",
            _reporting_answer(result),
        ),
        Inject(
            4,
            75,
            "報道機関と顧客から問合せが入り始めた。",
            "問合せ窓口をどう立ち上げ、どの文面で答えますか。",
            f"事前承認したひな形と問合せ窓口（コールセンター: {who('call_centre')}）。弁護士: {who('lawyer')}",
        ),
        Inject(
            5,
            100,
            "保険会社と警察への連絡がまだ済んでいない。",
            "誰がいつ連絡しますか。カード情報が含まれる場合は誰に伝えますか。",
            f"保険: {who('insurer')}、警察: {who('police')}"
            + (f"、カード会社: {who('card_company')}" if "credit_card" in (facts.get("items") or []) else ""),
        ),
        Inject(
            6,
            120,
            "初動が一段落した。",
            "再発防止策は何で、誰がいつまでに実施しますか。",
            "再発防止策の検討・実施（GL 3-5-2 ④）。訓練の指摘事項は是正措置として登録する。",
        ),
    ]
    return {
        "title": title,
        "drill_day": drill_day.isoformat(),
        "reportable": result["reportable"],
        "preliminary_report": result["preliminary_report"],
        "final_report": result["final_report"],
        "injects": [inj.__dict__ for inj in injects],
        "planned_minutes": injects[-1].at + 20,
    }


def _reporting_answer(result: dict) -> str:
    if not result["reportable"]:
        return "報告対象事態に該当しない見込み（規則7条）。任意の報告は可能。本人への連絡は状況に応じて。"
    p, f = result["preliminary_report"], result["final_report"]
    return (
        f"報告対象事態（規則7条: {'・'.join(result['grounds'])}）。速報の目安 {p['from']}〜{p['to']}（規則8条1項）、"
        f"確報期限 {f['due']}（{f['days']}日、規則8条2項）。本人への通知も必要（法26条2項、規則10条）。"
    )


def duration_minutes(started: dt.datetime | None, ended: dt.datetime | None) -> int | None:
    if started is None or ended is None or ended < started:
        return None
    return int((ended - started).total_seconds() // 60)
