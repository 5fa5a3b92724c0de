"""Scoring answers and rating a vendor's risk.

Section and overall scores are weighted averages of the answer scores (0–1) of scored questions,
該当なし and unanswered questions excluded, shown as 0–100. A critical question answered with a
score of 0 sets the control rating to its worst, whatever the rest. The risk rating combines the
registry's inherent tier with the control rating.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mamori.core.checksheets.structure import SCORED_TYPES, choices

NA = "na"

CONTROL_LABELS = {"A": "良好", "B": "おおむね良好", "C": "要改善", "D": "不十分"}
RISK_LABELS = {"high": "高", "medium": "中", "low": "低"}
TIER_LABELS = {"high": "高", "medium": "中", "low": "低"}

# inherent tier × control rating → risk
RISK_MATRIX = {
    "high": {"A": "medium", "B": "medium", "C": "high", "D": "high"},
    "medium": {"A": "low", "B": "medium", "C": "medium", "D": "high"},
    "low": {"A": "low", "B": "low", "C": "medium", "D": "medium"},
}


@dataclass
class Score:
    overall: float | None
    sections: dict[str, float | None]
    critical_failed: list[str] = field(default_factory=list)
    answered: int = 0
    required_missing: list[str] = field(default_factory=list)
    rating: str | None = None  # A–D

    @property
    def rating_label(self) -> str | None:
        return CONTROL_LABELS.get(self.rating) if self.rating else None


def answer_score(q: dict, value) -> float | None:
    """0–1 for a scored question, None when not scored (N/A, unanswered, unscored type)."""
    if q["type"] not in SCORED_TYPES or value in (None, "", [], NA):
        return None
    scores = {c["value"]: float(c.get("score", 0)) for c in choices(q)}
    if q["type"] == "multiple":
        if not isinstance(value, list):
            return None
        return min(1.0, sum(scores.get(v, 0.0) for v in value))
    return scores.get(value)


def is_answered(q: dict, answer: dict | None) -> bool:
    if not answer:
        return False
    value = answer.get("value")
    if value == NA:
        return bool(answer.get("na_reason"))
    if q["type"] == "file":
        return bool(answer.get("files"))
    return value not in (None, "", [])


def visible(q: dict, answers: dict[str, dict]) -> bool:
    """A conditional question (``show_if``: {"question": key, "value": choice}) is asked only when
    that question was answered with that choice; otherwise it is neither required nor scored."""
    cond = q.get("show_if")
    if not cond:
        return True
    value = (answers.get(cond.get("question")) or {}).get("value")
    wanted = cond.get("value")
    return value == wanted or (isinstance(value, list) and wanted in value)


def rating_for(overall: float | None, critical_failed: bool) -> str | None:
    if critical_failed:
        return "D"
    if overall is None:
        return None
    return "A" if overall >= 80 else "B" if overall >= 60 else "C" if overall >= 40 else "D"


def score(structure: dict, answers: dict[str, dict]) -> Score:
    """``answers``: question key -> {"value": …, "na_reason": …, "files": n}."""
    total_w = total = 0.0
    sections: dict[str, float | None] = {}
    critical, missing, answered = [], [], 0
    for section in structure.get("sections", []):
        s_w = s_total = 0.0
        for q in section.get("questions", []):
            if not visible(q, answers):
                continue
            answer = answers.get(q["key"])
            if is_answered(q, answer):
                answered += 1
            elif q.get("required"):
                missing.append(q["key"])
            value = (answer or {}).get("value")
            points = answer_score(q, value)
            weight = float(q.get("weight", 1))
            if points is None or weight <= 0:
                if q.get("critical") and points == 0.0:
                    critical.append(q["key"])
                continue
            if q.get("critical") and points == 0.0:
                critical.append(q["key"])
            s_w += weight
            s_total += weight * points
        sections[section["key"]] = round(100 * s_total / s_w, 1) if s_w else None
        total_w += s_w
        total += s_total
    overall = round(100 * total / total_w, 1) if total_w else None
    return Score(
        overall=overall,
        sections=sections,
        critical_failed=critical,
        answered=answered,
        required_missing=missing,
        rating=rating_for(overall, bool(critical)),
    )


BUMP = {"low": "medium", "medium": "high", "high": "high"}


def risk_rating(
    inherent_tier: str,
    control: str | None,
    critical_texts: list[str] | None = None,
    open_findings: int = 0,
    incidents: int = 0,
) -> tuple[str | None, str]:
    """The vendor's risk rating and its explanation in words.

    An incident caused by the vendor in the past year raises the rating one level.
    """
    tier = TIER_LABELS[inherent_tier]
    if control is None and not incidents:
        return None, f"固有リスク{tier}。チェックシートの回答がまだないため、管理状況は未評価です。"
    if control is None:
        risk = BUMP[inherent_tier]
        return risk, (
            f"固有リスク{tier}。この委託先に起因する漏えい等事案が過去1年に{incidents}件あるため "
            f"リスク{RISK_LABELS[risk]}（チェックシートは未評価）"
        )
    risk = RISK_MATRIX[inherent_tier][control]
    words = f"固有リスク{tier}、管理状況{CONTROL_LABELS[control]}（{control}）"
    if incidents:
        risk = BUMP[risk]
        words += f"、この委託先に起因する漏えい等事案が過去1年に{incidents}件"
    words += f"のため リスク{RISK_LABELS[risk]}"
    if critical_texts:
        words += "。重要な設問で「いいえ」の回答があります：" + "／".join(t[:40] for t in critical_texts[:3])
    if open_findings:
        words += f"。未是正の指摘事項が{open_findings}件あります"
    return risk, words
