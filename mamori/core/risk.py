"""A vendor's inherent risk (固有リスク): what it receives, how, and through whom.

Pure arithmetic, explained in words. Points add up to a tier: 6 or more 高, 3 or more 中, else 低.
The weights follow what makes a leak costly under the APPI: data that makes an incident reportable
on its own (規則7条1号・2号; My Number under the My Number Act), the number of people (7条4号),
and control lost through copies, hosting and re-subcontracting (法25条, GL 3-4-4).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mamori.core import vocabulary

HIGH, MEDIUM, LOW = "high", "medium", "low"
TIER_LABELS = {HIGH: "高", MEDIUM: "中", LOW: "低"}


@dataclass(frozen=True)
class EntrustmentFacts:
    special_care: bool = False
    my_number: bool = False
    financial: bool = False
    individuals: int = 0
    access_method: str = "copies"  # copies | remote | on_premises | hosting
    subcontracted: bool = False  # passed on to a re-subcontractor
    unapproved_subcontracting: bool = False
    active: bool = True

    @classmethod
    def from_items(cls, items, special_care=(), **rest) -> EntrustmentFacts:
        """The legal flags from the entrusted items, as the ledger computes them (mamori.core.vocabulary)."""
        f = vocabulary.flags(items, special_care)
        return cls(special_care=f["special_care"], my_number=f["my_number"], financial=f["financial"], **rest)


@dataclass(frozen=True)
class VendorFacts:
    entrustments: tuple[EntrustmentFacts, ...] = ()
    missing_clauses: int = 0
    has_contract: bool = False
    expired_certifications: int = 0


@dataclass
class Tier:
    tier: str
    points: int
    factors: list[str] = field(default_factory=list)
    explanation: str = ""

    @property
    def label(self) -> str:
        return TIER_LABELS[self.tier]


def inherent_tier(v: VendorFacts) -> Tier:
    active = [e for e in v.entrustments if e.active]
    if not active:
        return Tier(LOW, 0, [], "個人データの委託がないため 低")
    points, factors = 0, []
    kinds = []
    if any(e.special_care for e in active):
        points += 3
        kinds.append("要配慮個人情報")
    if any(e.my_number for e in active):
        points += 3
        kinds.append("個人番号")
    if any(e.financial for e in active):
        points += 2
        kinds.append("クレジットカード番号等の財産的被害のおそれがある情報")
    people = sum(e.individuals for e in active)
    if people > 10_000:
        points += 3
    elif people > 1_000:
        points += 2
    elif people > 100:
        points += 1
    subject = f"{'・'.join(kinds)}を含む " if kinds else ""
    factors.append(f"{subject}{people:,} 人分を")
    if any(e.unapproved_subcontracting for e in active):
        points += 3
        factors.append("承認の記録がない再委託先を含めて取り扱う")
    elif any(e.subcontracted for e in active):
        points += 1
        factors.append("再委託先を含めて取り扱う")
    else:
        factors.append("取り扱う")
    if any(e.access_method in ("copies", "hosting") for e in active):
        points += 1
        factors.append("データの複製を預ける")
    if not v.has_contract:
        points += 2
        factors.append("委託契約の登録がない")
    elif v.missing_clauses >= 3:
        points += 2
        factors.append(f"契約に必要な条項が{v.missing_clauses}件欠けている")
    elif v.missing_clauses:
        points += 1
        factors.append(f"契約に必要な条項が{v.missing_clauses}件欠けている")
    if v.expired_certifications:
        points += 1
        factors.append("期限切れの認証がある")
    tier = HIGH if points >= 6 else MEDIUM if points >= 3 else LOW
    head, rest = factors[0] + factors[1], factors[2:]
    explanation = f"{head}ため {TIER_LABELS[tier]}" + (f"（そのほか：{'、'.join(rest)}）" if rest else "")
    return Tier(tier, points, factors, explanation)
