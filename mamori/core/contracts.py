"""The clauses an entrustment contract should hold, and keyword rules that suggest which a
document contains (the user confirms). Sources: GL 3-4-4 (委託契約の締結: agreed security measures
and a clause letting the principal grasp the handling; 再委託 conditions) and common practice
listed in shared/domain/appi.md §7 (incident reporting, return or erasure, audits, damages: U)."""

from __future__ import annotations

import re

CLAUSES: tuple[tuple[str, str, str], ...] = (
    (
        "security_measures",
        "安全管理措置",
        r"安全管理措置|安全管理のために必要|セキュリティ対策|情報セキュリティ",
    ),
    ("confidentiality", "秘密保持", r"秘密保持|守秘義務|機密保持|秘密を保持"),
    ("purpose_limitation", "目的外利用の禁止", r"目的外|目的の範囲|委託の目的以外|本業務以外の目的"),
    ("subcontracting", "再委託の条件", r"再委託"),
    ("incident_reporting", "事故発生時の報告義務と期限", r"漏えい|漏洩|事故|インシデント"),
    ("audit", "監査・報告要求への対応", r"監査|立入|立ち入り|報告を求め|報告を請求|調査に協力"),
    ("return_erasure", "終了時の返還・消去", r"返還|返却|消去|廃棄|削除"),
    ("damages", "損害賠償", r"損害賠償|損害を賠償"),
    ("staff_supervision", "従業者の監督・教育", r"従業者|従業員.{0,10}(監督|教育|研修)|教育を実施|研修"),
    ("handling_reports", "取扱状況の報告", r"取扱状況|取扱いの状況|定期的に報告|状況を報告"),
)
CLAUSE_LABELS = {code: label for code, label, _ in CLAUSES}


def suggest(text: str) -> list[str]:
    """Codes of the clauses whose keywords appear in the text."""
    return [code for code, _, pattern in CLAUSES if re.search(pattern, text)]


def missing(confirmed: dict[str, bool]) -> list[str]:
    return [code for code, _, _ in CLAUSES if not confirmed.get(code)]


def matching_sentences(text: str, limit: int = 140) -> dict[str, str]:
    """For each clause whose keywords appear in the text, the first sentence that holds them
    (cut to ``limit`` characters around the keyword), so the user confirms against the words."""
    sentences = [s.strip() for s in re.split(r"(?<=[。．.!?！？])|\n", text) if s and s.strip()]
    found: dict[str, str] = {}
    for code, _label, pattern in CLAUSES:
        for sentence in sentences:
            m = re.search(pattern, sentence)
            if m:
                if len(sentence) > limit:
                    start = max(0, min(m.start() - limit // 3, len(sentence) - limit))
                    sentence = ("…" if start else "") + sentence[start : start + limit] + "…"
                found[code] = sentence
                break
    return found
