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
# Who caused it (報告事項4: 原因を作った者), separate from how (the cause).
CAUSED_BY = ("self", "vendor", "third_party")
CAUSED_BY_LABELS = {"self": "自社", "vendor": "委託先", "third_party": "第三者"}
# How the number of people is known (GL 3-5-3-1: if it cannot be fixed, judge on the maximum possible).
INDIVIDUALS_KINDS = ("exact", "estimate", "range", "unknown")
# Yes / no / unknown answers (the form's はい／いいえ／不明); also true / false / null.
TRISTATE = {"yes": True, "no": False, "unknown": None, True: True, False: False, None: None}

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
    # Who caused it: self (自社), vendor (委託先), third_party (第三者); None = unknown.
    caused_by: str | None = None
    # How the number is known; range gives individuals_min–individuals_max (GL 3-5-3-1).
    individuals_kind: str = "exact"
    individuals_min: int | None = None
    individuals_max: int | None = None
    individuals_basis: str = ""
    # 要配慮個人情報 categories a keyword suggested but no person confirmed: never a ground on their own.
    special_care_unconfirmed: tuple[str, ...] = ()
    # My Number Act (番号法29条の4): whether 個人番号 is (or may be) involved; None = from the items.
    my_number: bool | None = None
    # 規則2条1号: 特定個人情報 in the 情報提供ネットワークシステム or systems for 個人番号利用事務 etc.
    my_number_system: bool | None = None
    # Vendor mode (規則9条): the day we told the principal (implies vendor_notified_principal).
    principal_notified_on: dt.date | None = None
    # Optional dates, checked for order: occurred ≤ discovered ≤ aware, none in the future.
    occurred_date: dt.date | None = None
    discovered_date: dt.date | None = None
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


def _count(value, name: str, errors: list[str]) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        errors.append(f"{name}: 本人の数は0以上の整数で指定してください（不明なら null）。")
        return None
    return value


def _tristate(value, name: str, errors: list[str]):
    if isinstance(value, str):
        value = value.strip().lower()
    if not isinstance(value, bool | str | type(None)) or value not in TRISTATE:
        errors.append(f"{name}: yes・no・unknown（または true・false・null）で指定してください。")
        return None
    return TRISTATE[value]


def check_dates(
    aware: dt.date | None,
    occurred: dt.date | None,
    discovered: dt.date | None,
    today: dt.date | None,
    names: dict[str, str] | None = None,
) -> dict[str, str]:
    """Impossible dates, per field, in Japanese: occurred ≤ discovered ≤ aware, none after today."""
    label = {"aware_date": "知った日", "occurred_date": "発生日", "discovered_date": "発見日"}
    names = names or {k: k for k in label}
    problems: dict[str, str] = {}
    if today is not None:
        for key, day in (("occurred_date", occurred), ("discovered_date", discovered), ("aware_date", aware)):
            if day is not None and day > today:
                problems[names[key]] = (
                    f"{label[key]}（{day.isoformat()}）が未来の日付です。今日は{today.isoformat()}です。"
                )
    if occurred and discovered and discovered < occurred and names["discovered_date"] not in problems:
        problems[names["discovered_date"]] = (
            f"発見日（{discovered.isoformat()}）が発生日（{occurred.isoformat()}）より前です。"
        )
    if occurred and aware and aware < occurred and names["aware_date"] not in problems:
        problems[names["aware_date"]] = (
            f"知った日（{aware.isoformat()}）が発生日（{occurred.isoformat()}）より前です。"
        )
    if discovered and aware and aware < discovered and names["aware_date"] not in problems:
        problems[names["aware_date"]] = (
            f"知った日（{aware.isoformat()}）が発見日（{discovered.isoformat()}）より前です。"
            "発見した時点で会社は知ったことになります（ガイドライン3-5-3-3）。"
        )
    return problems


def parse_facts(data: dict, today: dt.date | None = None) -> Facts:
    """Validate a JSON object of facts and return :class:`Facts`; raise :class:`FactsError`.

    ``today``, when given, refuses dates in the future."""
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
    for name in (
        "improper_purpose",
        "financial_damage_risk",
        "secondary_damage",
        "publicly_viewable",
        "my_number",
        "my_number_system",
    ):
        if name in data:
            values[name] = _tristate(data[name], name, errors)
    values["special_care_unconfirmed"] = _choices(
        data.get("special_care_unconfirmed"), "special_care_unconfirmed", SPECIAL_CARE, errors
    )

    individuals = _count(data.get("individuals"), "individuals", errors)
    low = _count(data.get("individuals_min"), "individuals_min", errors)
    high = _count(data.get("individuals_max"), "individuals_max", errors)
    kind = data.get("individuals_kind")
    if kind is None:
        kind = (
            "range"
            if high is not None and low is not None
            else ("exact" if individuals is not None else "unknown")
        )
    if kind not in INDIVIDUALS_KINDS:
        errors.append(f"individuals_kind: {kind!r} は使えません。使える値：{', '.join(INDIVIDUALS_KINDS)}")
        kind = "unknown"
    if kind == "range":
        if high is None:
            errors.append("individuals_max: 範囲（range）のときは最大数を指定してください。")
        if low is not None and high is not None and low > high:
            errors.append(f"individuals_min: 最小数（{low}）が最大数（{high}）より大きくなっています。")
        if individuals is None:
            individuals = high
    elif kind in ("exact", "estimate") and individuals is None:
        if high is not None:
            individuals = high
        else:
            errors.append(
                f"individuals: 人数の種類が {kind} のときは人数を指定してください（不明なら unknown）。"
            )
    elif kind == "unknown":
        individuals = None
    values["individuals"] = individuals
    values["individuals_kind"] = kind
    values["individuals_min"] = low
    values["individuals_max"] = high
    basis = data.get("individuals_basis") or ""
    if not isinstance(basis, str):
        errors.append("individuals_basis: 人数の根拠は文字列で指定してください。")
        basis = ""
    values["individuals_basis"] = basis[:300]

    caused_by = data.get("caused_by")
    if caused_by is not None and caused_by not in CAUSED_BY:
        errors.append(
            f"caused_by: {caused_by!r} は使えません。self（自社）・vendor（委託先）・third_party（第三者）のいずれかです。"
        )
        caused_by = None
    values["caused_by"] = caused_by

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

    for name in ("over_1000_known_date", "principal_notified_on", "occurred_date", "discovered_date"):
        if data.get(name) is not None:
            values[name] = _date(data[name], name, errors)
    if values.get("principal_notified_on") is not None:
        values["vendor_notified_principal"] = True
    if aware is not None:
        for field_name, message in check_dates(
            aware, values.get("occurred_date"), values.get("discovered_date"), today
        ).items():
            errors.append(f"{field_name}: {message}")

    if errors:
        raise FactsError(errors)
    values["provided"] = frozenset(k for k in data if data[k] is not None)
    return Facts(**values)
