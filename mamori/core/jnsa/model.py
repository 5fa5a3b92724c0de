"""The JNSA damage model (JO モデル) and a response-cost budget (shared/domain/appi.md §9, §10).

想定損害賠償額 = 500 × 機微情報度 × 本人特定容易度 × 社会的責任度 × 事後対応評価 (per person);
機微情報度 = 10^(x−1) + 5^(y−1), x = highest 精神的苦痛 level, y = highest 経済的損失 level (EP map).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypedDict

from mamori.core import vocabulary

BASE_VALUE = 500

# The simple EP map (JNSA 2003 report as summarised in appi.md §9): label -> (x 精神, y 経済).
EP_MAP: dict[str, tuple[int, int]] = {
    **dict.fromkeys(
        [
            "氏名",
            "住所",
            "生年月日",
            "性別",
            "電話番号",
            "メールアドレス",
            "金融機関名",
            "住民票コード",
            "健康保険証番号",
            "年金証書番号",
            "免許証番号",
            "社員番号",
        ],
        (1, 1),
    ),
    **dict.fromkeys(["パスポート番号", "購入履歴", "ISPアカウント+パスワード"], (1, 2)),
    **dict.fromkeys(["口座番号+暗証番号", "クレジットカード番号", "有効期限"], (1, 3)),
    **dict.fromkeys(
        [
            "健康診断書",
            "性格判断",
            "妊娠歴",
            "手術歴",
            "検査記録",
            "身体障害者手帳",
            "病歴",
            "指紋",
            "人種",
            "国籍",
            "嗜好",
            "成績",
            "メール内容",
        ],
        (2, 1),
    ),
    **dict.fromkeys(["年収", "資産", "預金残高", "借金", "所得", "借入記録"], (2, 2)),
    "遺言書": (2, 3),
    **dict.fromkeys(
        [
            "政党",
            "政治的見解",
            "信条",
            "思想",
            "宗教",
            "本籍",
            "病状",
            "カルテ",
            "身体障害",
            "知的障害",
            "性生活",
        ],
        (3, 1),
    ),
    **dict.fromkeys(["前科前歴", "犯罪歴", "与信ブラックリスト"], (3, 3)),
}

# Items the EP map does not list, placed by us next to the nearest listed item (shown as
# "our_mapping" in the result so the user can see and challenge it).
OUR_EP: dict[str, tuple[int, int]] = {
    "郵便番号": (1, 1),  # like 住所
    "個人番号（マイナンバー）": (1, 1),  # like 住民票コード
    "IPアドレス": (1, 1),  # an identifier like 社員番号
    "口座番号（暗証番号なし）": (1, 2),  # between 金融機関名 (1,1) and 口座番号+暗証番号 (1,3)
    "決済サービスのID・パスワード": (1, 3),  # like 口座番号+暗証番号: money can be moved
    "犯罪被害の事実": (3, 1),  # like 病状・信条: severe distress, no direct economic loss
    "社会的身分": (3, 1),  # like 本籍
    "保健指導・診療・調剤の事実": (2, 1),  # like 手術歴・検査記録
    "被疑者・被告人としての手続": (3, 3),  # like 犯罪歴
    "少年保護事件の手続": (3, 3),  # like 前科前歴
}

# Mamori's item vocabulary mapped onto the EP map (or OUR_EP): the labels live in mamori.core.vocabulary.
ITEM_TO_EP: dict[str, str] = {i.code: i.jnsa_ep for i in vocabulary.ITEMS if i.jnsa_ep}
SPECIAL_CARE_TO_EP: dict[str, str] = {c.code: c.jnsa_ep for c in vocabulary.SPECIAL_CARE}

DISCLAIMER = (
    "JNSAモデルの想定損害賠償額は、漏えいした全員が損害賠償を請求した場合の試算であり、リスクの大きさを示す指標です。"
    "実際の支払額の予測ではありません（JNSAによれば、実際に訴訟に至ったのは約0.02%）。"
)


class EstimateError(ValueError):
    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Costs:
    """Response costs per the defaults below; every figure editable by the user (yen)."""

    letter_per_person: int = 160  # printing and envelope ¥50 + 定形郵便 ¥110
    call_centre_per_day: int = 300_000
    call_centre_days_low: int = 14
    call_centre_days_high: int = 60
    gift_card_per_person: int = 500  # apology vouchers of ¥500 (Yahoo! BB, Benesse) were weighed by courts
    fixed_low: int = 0  # forensics, lawyers … when known
    fixed_high: int = 0


@dataclass(frozen=True)
class EstimateInput:
    individuals: int
    items: tuple[str, ...] = ()
    special_care: tuple[str, ...] = ()
    social_responsibility: int = 1  # 2 = higher than ordinary
    response: str = "appropriate"  # appropriate | inappropriate | unknown
    costs: Costs = field(default_factory=Costs)


class EPFactor(TypedDict):
    """One item placed on the EP map, as listed in the estimate's ``jnsa.ep.items``."""

    item: str
    ep_label: str
    x: int  # 精神的苦痛 level
    y: int  # 経済的損失 level
    our_mapping: bool  # placed by us (OUR_EP), not listed on the JNSA map


def _ep_for(item: str, *, special: bool = False) -> tuple[str, tuple[int, int], bool]:
    label = SPECIAL_CARE_TO_EP[item] if special else ITEM_TO_EP.get(item, item)
    if label in EP_MAP:
        return label, EP_MAP[label], False
    return label, OUR_EP[label], True


def parse_estimate(data: dict) -> EstimateInput:
    errors: list[str] = []
    if not isinstance(data, dict):
        raise EstimateError(["入力はJSONオブジェクト（{…}）で指定してください。"])
    individuals = data.get("individuals")
    if isinstance(individuals, bool) or not isinstance(individuals, int) or individuals < 0:
        errors.append("individuals: 本人の数を0以上の整数で指定してください。")
        individuals = 0  # never used: the errors are raised below
    items = data.get("items") or []
    special = data.get("special_care") or []
    for item in items:
        if item != "special_care" and item not in ITEM_TO_EP and item not in EP_MAP and item not in OUR_EP:
            errors.append(
                f"items: {item!r} は使えません。Mamoriの項目名（person_name など）かJNSAのEP図の項目名（{', '.join(list(EP_MAP)[:6])} …）を指定してください。"
            )
    for item in special:
        if item not in SPECIAL_CARE_TO_EP:
            errors.append(f"special_care: {item!r} は使えません。使える値：{', '.join(SPECIAL_CARE_TO_EP)}")
    social = data.get("social_responsibility", 1)
    if social not in (1, 2):
        errors.append("social_responsibility: 1（通常）か 2（通常より高い）を指定してください。")
    response = data.get("response", "appropriate")
    if response not in ("appropriate", "inappropriate", "unknown"):
        errors.append(
            "response: appropriate（適切）、inappropriate（不適切）、unknown（不明）のいずれかを指定してください。"
        )
    costs_in = data.get("costs") or {}
    cost_values = {}
    for name in Costs.__dataclass_fields__:
        if name in costs_in:
            value = costs_in[name]
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                errors.append(f"costs.{name}: 0以上の整数（円）で指定してください。")
            else:
                cost_values[name] = value
    unknown_costs = set(costs_in) - set(Costs.__dataclass_fields__)
    if unknown_costs:
        errors.append(
            f"costs: 不明な項目 {', '.join(sorted(unknown_costs))}。使える項目：{', '.join(Costs.__dataclass_fields__)}"
        )
    if errors:
        raise EstimateError(errors)
    return EstimateInput(
        individuals=individuals,
        items=tuple(i for i in items if i != "special_care"),
        special_care=tuple(special),
        social_responsibility=social,
        response=response,
        costs=Costs(**cost_values),
    )


def identifiability(labels: set[str]) -> tuple[int, str]:
    """本人特定容易度: 6 = name and address; 3 = name, or address and phone; 1 = otherwise."""
    name, address, phone = "氏名" in labels, "住所" in labels, "電話番号" in labels
    if name and address:
        return 6, "氏名と住所が含まれるため容易に特定できる（6）"
    if name or (address and phone):
        return 3, "氏名、または住所と電話番号から、コストをかければ特定できる（3）"
    return 1, "本人の特定は困難（1）"


def estimate(data: EstimateInput | dict) -> dict:
    from mamori.core.jnsa.precedents import nearest_precedents

    inp = parse_estimate(data) if isinstance(data, dict) else data
    factors: list[EPFactor] = []
    notes = []
    for item in inp.items:
        label, (x, y), ours = _ep_for(item)
        factors.append({"item": item, "ep_label": label, "x": x, "y": y, "our_mapping": ours})
    for cat in inp.special_care:
        label, (x, y), ours = _ep_for(cat, special=True)
        factors.append(
            {"item": f"special_care:{cat}", "ep_label": label, "x": x, "y": y, "our_mapping": ours}
        )
    if any(f["our_mapping"] for f in factors):
        notes.append(
            "our_mapping が true の項目は、JNSAのEP図に直接の記載がないため、近い項目に当てはめています。"
        )
    x = max((f["x"] for f in factors), default=1)
    y = max((f["y"] for f in factors), default=1)
    sensitivity = 10 ** (x - 1) + 5 ** (y - 1)
    ident, ident_text = identifiability({f["ep_label"] for f in factors})
    response_factor = 2 if inp.response == "inappropriate" else 1
    value = BASE_VALUE * sensitivity * ident
    per_person = value * inp.social_responsibility * response_factor
    total = per_person * inp.individuals

    c = inp.costs
    letters = c.letter_per_person * inp.individuals
    gifts = c.gift_card_per_person * inp.individuals
    low = letters + c.call_centre_per_day * c.call_centre_days_low + c.fixed_low
    high = letters + c.call_centre_per_day * c.call_centre_days_high + gifts + c.fixed_high
    return {
        "jnsa": {
            "base_value": BASE_VALUE,
            "ep": {"x": x, "y": y, "items": factors},
            "sensitivity": sensitivity,
            "sensitivity_formula": f"10^({x}-1) + 5^({y}-1) = {sensitivity}",
            "identifiability": ident,
            "identifiability_reason": ident_text,
            "leaked_value_per_person": value,
            "social_responsibility": inp.social_responsibility,
            "response_factor": response_factor,
            "per_person": per_person,
            "individuals": inp.individuals,
            "total": total,
            "formula": f"{BASE_VALUE} × {sensitivity} × {ident} × {inp.social_responsibility} × {response_factor}"
            f" = {per_person:,}円/人 × {inp.individuals:,}人 = {total:,}円",
            "disclaimer": DISCLAIMER,
            "notes": notes,
        },
        "precedents": nearest_precedents(x=x, y=y),
        "response_costs": {
            "inputs": c.__dict__,
            "letters": letters,
            "call_centre_low": c.call_centre_per_day * c.call_centre_days_low,
            "call_centre_high": c.call_centre_per_day * c.call_centre_days_high,
            "gift_cards": gifts,
            "low": low,
            "high": high,
            "note": "低：通知郵送と短期のコールセンター。高：長期のコールセンターとお詫びの金券を含む。金額はすべて編集できます。",
        },
        "citation": "JNSA「情報セキュリティインシデントに関する調査報告書」JOモデル（shared/domain/appi.md §9）",
    }
