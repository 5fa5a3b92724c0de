"""The item vocabulary shared by the scanner, the ledger, entrustments and the rules engine."""

from __future__ import annotations

ITEM_LABELS: dict[str, str] = {
    "person_name": "氏名",
    "name_kana": "氏名（カナ）",
    "address": "住所",
    "postal_code": "郵便番号",
    "phone": "電話番号",
    "email": "メールアドレス",
    "birth_date": "生年月日",
    "gender": "性別",
    "my_number": "個人番号（マイナンバー）",
    "credit_card": "クレジットカード番号",
    "payment_credentials": "決済サービスのID・パスワード",
    "bank_account": "口座番号",
    "drivers_license": "運転免許証番号",
    "passport": "旅券番号",
    "health_insurance_number": "健康保険証の番号",
    "ip_address": "IPアドレス",
}

SPECIAL_CARE_LABELS: dict[str, str] = {
    "race": "人種",
    "creed": "信条",
    "social_status": "社会的身分",
    "medical_history": "病歴",
    "criminal_record": "犯罪の経歴",
    "crime_victim": "犯罪により害を被った事実",
    "disability": "障害",
    "health_check": "健康診断等の結果",
    "guidance_treatment": "保健指導・診療・調剤",
    "criminal_procedure": "刑事事件の手続",
    "juvenile_procedure": "少年保護事件の手続",
}

# 規則7条2号: items whose misuse may cause financial damage.
FINANCIAL_ITEMS = frozenset({"credit_card", "payment_credentials", "bank_account"})


def flags(items: list[str] | tuple[str, ...], special_care: list[str] | tuple[str, ...]) -> dict[str, bool]:
    """Special-care (要配慮), My Number (特定個人情報) and financial-damage-prone flags."""
    return {
        "special_care": bool(special_care) or "special_care" in items,
        "my_number": "my_number" in items,
        "financial": any(i in FINANCIAL_ITEMS for i in items),
    }
