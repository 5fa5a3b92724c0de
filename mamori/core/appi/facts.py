"""The facts of an incident, as the rules engine receives them (the JSON contract of `mamori assess`).

Unknown fields may be omitted; :func:`parse_facts` checks types and values and reports every
problem at once, in Japanese, so the user knows what to fix.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields

from mamori.core import vocabulary

BREACH_TYPES = ("leak", "loss", "damage")
CAUSES = (
    "unauthorized_access",
    "malware",
    "ransomware",
    "web_skimming",
    "theft",
    "insider",
    "misdirected_mail",
    "misdirected_email",
    "misdirected_fax",
    "loss",
    "misconfiguration",
    "vendor",
    "disposal_error",
    "other",
)
ROLES = ("principal", "vendor")

# Items and 要配慮個人情報 categories: the one vocabulary (mamori.core.vocabulary; appi.md §1).
ITEMS = vocabulary.ITEM_CODES
SPECIAL_CARE = vocabulary.SPECIAL_CARE_CODES


class FactsError(ValueError):
    """Invalid facts; ``errors`` lists every problem, each a Japanese sentence naming the field."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Facts:
    aware_date: dt.date
    breach_types: tuple[str, ...] = ("leak",)
    suspected: bool = False
    individuals: int | None = None
    items: tuple[str, ...] = ()
    special_care: tuple[str, ...] = ()
    cause: str | None = None
    improper_purpose: bool | None = None
    financial_damage_risk: bool | None = None
    highly_encrypted: bool = False
    copy_exists: bool = False
    recovered_before_access: bool = False
    personal_info_being_acquired: bool = False
    role: str = "principal"
    vendor_notified_principal: bool = False
    # Optional: the day the business learned the count exceeds 1,000 (GL 3-5-3-1: 4号 applies from then).
    over_1000_known_date: dt.date | None = None
    # Optional: whether secondary harm happened or may happen (report item 5); None = unknown.
    secondary_damage: bool | None = None
    # Optional, for the My Number Act: published on the internet / open to anyone (規則2条3号).
    publicly_viewable: bool | None = None
    provided: frozenset[str] = field(default_factory=frozenset)  # which fields the caller gave

    def given(self, name: str) -> bool:
        return name in self.provided


def _date(value, name: str, errors: list[str]) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    errors.append(
        f"{name}: 日付は YYYY-MM-DD の形で指定してください（例：2026-04-28）。受け取った値：{value!r}"
    )
    return None


def _bool(value, name: str, errors: list[str], nullable: bool = False):
    if value is None and nullable:
        return None
    if isinstance(value, bool):
        return value
    errors.append(
        f"{name}: true または false を指定してください" + ("（不明なら null）" if nullable else "") + "。"
    )
    return None


def _choices(value, name: str, allowed: tuple[str, ...], errors: list[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str) or not isinstance(value, list | tuple):
        errors.append(f'{name}: 配列で指定してください（例：["{allowed[0]}"]）。')
        return ()
    unknown = [v for v in value if v not in allowed]
    if unknown:
        errors.append(
            f"{name}: 次の値は使えません：{', '.join(map(str, unknown))}。使える値：{', '.join(allowed)}"
        )
    return tuple(dict.fromkeys(v for v in value if v in allowed))


def parse_facts(data: dict) -> Facts:
    """Validate a JSON object of facts and return :class:`Facts`; raise :class:`FactsError`."""
    if not isinstance(data, dict):
        raise FactsError(["事実はJSONオブジェクト（{…}）で指定してください。"])
    errors: list[str] = []
    known = {f.name for f in fields(Facts)} - {"provided"}
    for key in data:
        if key not in known:
            errors.append(f"{key}: 不明な項目です。使える項目：{', '.join(sorted(known))}")

    if "aware_date" not in data or data["aware_date"] in (None, ""):
        errors.append("aware_date: 事業者が事態を知った日（1日目）は必須です。")
        aware = None
    else:
        aware = _date(data["aware_date"], "aware_date", errors)

    values: dict = {"aware_date": aware}
    if "breach_types" in data:
        values["breach_types"] = _choices(data["breach_types"], "breach_types", BREACH_TYPES, errors)
    values["items"] = _choices(data.get("items"), "items", ITEMS, errors)
    values["special_care"] = _choices(data.get("special_care"), "special_care", SPECIAL_CARE, errors)
    for name in (
        "suspected",
        "highly_encrypted",
        "copy_exists",
        "recovered_before_access",
        "personal_info_being_acquired",
        "vendor_notified_principal",
    ):
        if name in data:
            values[name] = bool(_bool(data[name], name, errors))
    for name in ("improper_purpose", "financial_damage_risk", "secondary_damage", "publicly_viewable"):
        if name in data:
            values[name] = _bool(data[name], name, errors, nullable=True)

    individuals = data.get("individuals")
    if individuals is not None and (
        isinstance(individuals, bool) or not isinstance(individuals, int) or individuals < 0
    ):
        errors.append(
            "individuals: 本人の数は0以上の整数で指定してください（不明なら null、確定しない場合は最大数）。"
        )
        individuals = None
    values["individuals"] = individuals

    cause = data.get("cause")
    if cause is not None and cause not in CAUSES:
        errors.append(f"cause: {cause!r} は使えません。使える値：{', '.join(CAUSES)}")
        cause = None
    values["cause"] = cause

    role = data.get("role", "principal")
    if role not in ROLES:
        errors.append(
            f"role: {role!r} は使えません。principal（委託元・自社）か vendor（委託先）を指定してください。"
        )
        role = "principal"
    values["role"] = role

    if data.get("over_1000_known_date") is not None:
        values["over_1000_known_date"] = _date(data["over_1000_known_date"], "over_1000_known_date", errors)

    if errors:
        raise FactsError(errors)
    values["provided"] = frozenset(k for k in data if data[k] is not None)
    return Facts(**values)
