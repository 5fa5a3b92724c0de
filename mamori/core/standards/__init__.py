"""One answer set, many lenses: the built-in check sheet's answers scored against the PPC guideline's
security-control measures, the IPA 自社診断, the METI management guideline and the METI supply-chain
evaluation scheme (★3/★4, draft). The lenses and the mapping are data files (``data/*.json``) that
name their sources and dates; this module only scores.

An item of a lens is *met* when every question mapped to it is answered はい (or 該当なし with a
reason), *a gap* when a mapped question is answered いいえ or 一部, and *not evidenced* when no mapped
question was answered. A lens's score is met / items evidenced ("PPC: 18/20 項目"); items no question
maps to are listed as not covered by the sheet, and with the unanswered ones as not evidenced.

The IPA 自社診断 換算 scores each IPA question our answers evidence as the IPA sheet does (実施している 4,
一部 2, 実施していない 0; the weakest of our mapped answers stands for it) and scales the sum to 100 over
those questions only: ``converted_basis`` says how many of the 25 that is; the others are not counted.
The mapping covers the built-in vendor sheets (standard, short, selection) and our own self-assessment
(``builtin.SELF``), whose question keys do not overlap."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

YES, PARTIAL, NO, NA = "yes", "partial", "no", "na"


@cache
def lenses() -> dict:
    return json.loads(resources.files(__package__).joinpath("data/lenses.json").read_text(encoding="utf-8"))


@cache
def mapping() -> dict:
    return json.loads(resources.files(__package__).joinpath("data/mapping.json").read_text(encoding="utf-8"))


@dataclass
class LensResult:
    key: str
    name: str
    short: str
    status: str
    source: str
    source_date: str
    total: int
    met: list[str] = field(default_factory=list)
    gaps: list[tuple[str, str, list[str]]] = field(default_factory=list)  # (id, label, question keys)
    unanswered: list[tuple[str, str]] = field(default_factory=list)
    not_covered: list[tuple[str, str]] = field(default_factory=list)
    # Items these answers say nothing about, in the lens's order: no question maps to them, or the
    # questions that do were not asked or not answered (e.g. a shorter sheet).
    not_evidenced: list[tuple[str, str]] = field(default_factory=list)
    converted: int | None = None  # IPA: 換算 score out of 100 over the covered questions
    converted_basis: int = 0

    @property
    def evidenced(self) -> int:
        return len(self.met) + len(self.gaps)

    @property
    def summary(self) -> str:
        return f"{self.short}: {len(self.met)}/{self.evidenced} 項目（全{self.total}項目中、不足 {len(self.gaps)} 項目）"


def _items_to_questions(lens: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for qkey, lenses_of in mapping()["questions"].items():
        for item in lenses_of.get(lens, []):
            out.setdefault(item, []).append(qkey)
    return out


def score_lens(lens: str, answers: dict[str, str], max_level: int | None = None) -> LensResult:
    """``answers``: question key -> yes / partial / no / na (unanswered keys absent)."""
    spec = lenses()[lens]
    items = [i for i in spec["items"] if max_level is None or i.get("level", 0) <= max_level]
    by_item = _items_to_questions(lens)
    result = LensResult(
        lens, spec["name"], spec["short"], spec["status"], spec["source"], spec["source_date"], len(items)
    )
    for item in items:
        qs = by_item.get(item["id"], [])
        if not qs:
            result.not_covered.append((item["id"], item["label"]))
            result.not_evidenced.append((item["id"], item["label"]))
            continue
        values = [answers.get(q) for q in qs]
        bad = [q for q, v in zip(qs, values, strict=True) if v in (NO, PARTIAL)]
        if bad:
            result.gaps.append((item["id"], item["label"], bad))
        elif all(v is None for v in values):
            result.unanswered.append((item["id"], item["label"]))
            result.not_evidenced.append((item["id"], item["label"]))
        else:
            result.met.append(item["id"])
    if lens == "ipa":
        points = spec["scoring"]
        got = basis = 0
        for item in items:
            values = [answers.get(q) for q in by_item.get(item["id"], []) if answers.get(q) not in (None, NA)]
            if not values:
                continue
            # The weakest of our answers stands for the IPA question: 4 / 2 / 0 points.
            got += min(points.get(v, 0) for v in values)
            basis += points["yes"]
        result.converted_basis = basis // points["yes"]
        result.converted = round(100 * got / basis) if basis else None
    return result


def star_level(answers: dict[str, str]) -> int:
    """The highest ★ (3 or 4) whose proxy items (Mamori's, not METI's official list) are all met; 0 if none."""
    for level in (4, 3):
        r = score_lens("scs", answers, max_level=level)
        if not r.gaps and not r.unanswered and r.met:
            return level
    return 0


def score_all(answers: dict[str, str]) -> list[LensResult]:
    return [score_lens(key, answers) for key in lenses()]
