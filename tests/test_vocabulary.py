"""One vocabulary, one legal answer: the items' legal meanings, and the scanner, the ledger, the risk
tier and the rules engine agreeing on them (mamori.core.vocabulary).

Each legal case cites its rule: 規則7条2号 (財産的被害), 法2条3項・令2条・規則5条 (要配慮個人情報),
番号法2条5項・8項 (個人番号・特定個人情報), 法2条2項・令1条 (個人識別符号). Sources: shared/domain/appi.md
§1, §3.2, §9, §11 and the PPC Q&A pages cited in the vocabulary.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mamori.core import items as items_module
from mamori.core import risk, vocabulary
from mamori.core.appi import assess
from mamori.core.appi import facts as facts_module
from mamori.core.jnsa import model as jnsa
from mamori.scan import patterns, scan_paths, summarise
from mamori.scan import report as scan_report

V = vocabulary
ROOT = Path(__file__).resolve().parent.parent


# --- 規則7条2号 -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("items", "financial"),
    [
        pytest.param(
            ["credit_card"], True, id="規則7条2号: クレジットカード番号だけでも該当（GL事例, Q&A 6-12）"
        ),
        pytest.param(
            ["payment_credentials"],
            True,
            id="規則7条2号: 送金・決済機能のあるサービスのID・パスワード（GL事例）",
        ),
        pytest.param(
            ["person_name", "bank_account"],
            False,
            id="規則7条2号: 口座番号だけでは直ちに該当しない（Q&A 6-11・14-8）",
        ),
        pytest.param(
            ["bank_account", "payment_credentials"],
            True,
            id="規則7条2号: 口座番号とネットバンキングのID・パスワード",
        ),
        pytest.param(
            ["person_name", "address", "phone", "email"],
            False,
            id="規則7条2号: 住所・電話番号・メールアドレスだけでは該当しない（Q&A 6-11）",
        ),
        pytest.param(
            ["my_number", "drivers_license", "passport"], False, id="規則7条2号: 識別番号は該当しない"
        ),
    ],
)
def test_financial_items(items, financial):
    assert V.is_financial(items) is financial


def test_bank_account_states_its_condition_and_sources():
    """規則7条2号: a bank account number needs information enabling withdrawal (PIN, net-banking login)."""
    rule = V.BY_CODE["bank_account"].financial
    assert rule.alone is False and rule.with_any == ("payment_credentials",)
    assert "暗証番号" in rule.condition and "インターネットバンキング" in rule.condition
    assert "faq1-q6-11" in rule.source and "faq1-q14-8" in rule.source and "appi.md §3.2" in rule.source
    assert [i.code for i in V.financial_unresolved(["person_name", "bank_account"])] == ["bank_account"]
    assert V.financial_unresolved(["bank_account", "credit_card"]) == []


@pytest.mark.parametrize("code", sorted(c for c in V.BY_CODE if V.BY_CODE[c].financial))
def test_every_financial_rule_cites_規則7条2号(code):
    rule = V.BY_CODE[code].financial
    assert "規則7条2号" in rule.source and rule.condition
    assert all(other in V.BY_CODE for other in rule.with_any)
    if not rule.alone:
        assert rule.short, "an open condition needs a one-line notice for the scanner report"


def test_financial_on_its_own_matches_the_jnsa_economic_level():
    """appi.md §9: クレジットカード番号 and 口座番号+暗証番号 are 経済的損失 3; 口座番号 alone is placed lower."""
    for item in V.ITEMS:
        if item.jnsa_ep is None:
            continue
        y = (jnsa.EP_MAP | jnsa.OUR_EP)[item.jnsa_ep][1]
        assert (y == 3) is (item.code in V.FINANCIAL_ALONE), item.code


# --- 要配慮個人情報, 番号法, 個人識別符号 -----------------------------------------------------------

APPI_MD_SPECIAL_CARE = {
    "race": "法2条3項",
    "creed": "法2条3項",
    "social_status": "法2条3項",
    "medical_history": "法2条3項",
    "criminal_record": "法2条3項",
    "crime_victim": "法2条3項",
    "disability": "令2条1号, 規則5条",
    "health_check": "令2条2号",
    "guidance_treatment": "令2条3号",
    "criminal_procedure": "令2条4号",
    "juvenile_procedure": "令2条5号",
}


@pytest.mark.parametrize(
    ("code", "basis"), [pytest.param(c, b, id=f"法2条3項 {c}: {b}") for c, b in APPI_MD_SPECIAL_CARE.items()]
)
def test_special_care_categories_and_their_basis(code, basis):
    """法2条3項 (+ 令2条, 規則5条): the eleven categories of appi.md §1, each a special-care flag."""
    category = V.SPECIAL_CARE_BY_CODE[code]
    assert category.basis.startswith("法2条3項") and basis in category.basis
    assert V.flags([], [code])["special_care"] is True
    assert V.flags(["person_name"], [])["special_care"] is False


def test_special_care_categories_are_exactly_those_of_appi_md():
    assert tuple(APPI_MD_SPECIAL_CARE) == V.SPECIAL_CARE_CODES


def test_special_care_item_without_category():
    """法2条3項: the ``special_care`` item means 要配慮個人情報 whose category is not yet known."""
    assert V.flags(["special_care"], [])["special_care"] is True
    assert V.BY_CODE["special_care"].kind == V.MARKER and "special_care" not in V.ITEM_LABELS


def test_my_number_is_specific_personal_information():
    """番号法2条5項・2条8項: personal information containing 個人番号 is 特定個人情報."""
    item = V.BY_CODE["my_number"]
    assert item.my_number and "番号法2条5項" in item.source and "2条8項" in item.source
    assert [i.code for i in V.ITEMS if i.my_number] == ["my_number"]
    assert V.flags(["my_number"])["my_number"] is True
    assert V.flags(["person_name", "health_insurance_number"])["my_number"] is False


@pytest.mark.parametrize(
    ("code", "number"),
    [
        pytest.param("passport", "令1条2号", id="法2条2項 令1条2号 旅券の番号"),
        pytest.param("drivers_license", "令1条4号", id="法2条2項 令1条4号 免許証の番号"),
        pytest.param("my_number", "令1条6号", id="法2条2項 令1条6号 個人番号"),
        pytest.param("health_insurance_number", "令1条7号", id="法2条2項 令1条7号 被保険者証の記号・番号等"),
    ],
)
def test_identification_codes(code, number):
    item = V.BY_CODE[code]
    assert item.identifier == f"法2条2項, {number}" and "U" in item.source


def test_only_those_items_are_identification_codes():
    assert {i.code for i in V.ITEMS if i.identifier} == {
        "passport",
        "drivers_license",
        "my_number",
        "health_insurance_number",
    }


def test_corporate_number_is_not_personal_information():
    """法2条1項: a corporation's number is not information about an individual."""
    item = V.BY_CODE["corporate_number"]
    assert not item.personal and "corporate_number" not in V.ITEM_LABELS
    assert summarise([{"rows": 1, "type_counts": {"corporate_number": 3}}])["personal_data"] is False


# --- Every part reads the vocabulary --------------------------------------------------------


def test_labels_are_the_vocabulary_s_and_stay_importable_from_items():
    assert (
        items_module.ITEM_LABELS is V.ITEM_LABELS
        and items_module.SPECIAL_CARE_LABELS is V.SPECIAL_CARE_LABELS
    )
    assert items_module.flags is V.flags
    assert V.ITEM_LABELS["payment_credentials"] == "決済サービスのID・パスワード"
    assert all(i.en and i.ja for i in V.ITEMS) and all(c.en and c.ja for c in V.SPECIAL_CARE)


def test_the_engine_accepts_exactly_the_vocabulary():
    assert facts_module.ITEMS == V.ITEM_CODES and facts_module.SPECIAL_CARE == V.SPECIAL_CARE_CODES


def test_the_jnsa_model_maps_every_item_and_category():
    assert set(jnsa.ITEM_TO_EP) == {i.code for i in V.ITEMS if i.kind == V.PERSONAL}
    assert set(jnsa.SPECIAL_CARE_TO_EP) == set(V.SPECIAL_CARE_CODES)
    for label in [*jnsa.ITEM_TO_EP.values(), *jnsa.SPECIAL_CARE_TO_EP.values()]:
        assert label in jnsa.EP_MAP or label in jnsa.OUR_EP, label


def test_every_scanner_type_is_in_the_vocabulary():
    hinted = {kind.split(":")[0] for kind, _ in patterns.HINTS}
    categories = {kind.split(":")[1] for kind, _ in patterns.HINTS if kind.startswith("special_care:")}
    scanned = set(patterns.PERSONAL_TYPES) | set(patterns.NON_PERSONAL_TYPES)
    assert hinted <= scanned and scanned <= set(V.ITEM_CODES)
    assert categories | set(patterns.SPECIAL_CARE_TERMS) <= set(V.SPECIAL_CARE_CODES)
    assert set(scan_report.TYPE_LABELS) == set(V.ITEM_CODES)


@pytest.mark.parametrize(
    "path",
    [
        "mamori/core/items.py",
        "mamori/core/risk.py",
        "mamori/core/appi/engine.py",
        "mamori/core/appi/facts.py",
        "mamori/core/jnsa/model.py",
        "mamori/scan/__init__.py",
        "mamori/scan/report.py",
    ],
)
def test_no_second_list_of_legally_meaningful_items(path):
    """A second set of "financial" or "My Number" items is how the three encodings diverged."""
    source = (ROOT / path).read_text(encoding="utf-8")
    for code in ("credit_card", "bank_account", "payment_credentials"):
        assert not re.search(rf"[\"']{code}[\"']", source), f"{path} names {code}: use mamori.core.vocabulary"
    assert "FINANCIAL" not in source


# --- The same answer everywhere ---------------------------------------------------------------

BASE = {
    "aware_date": "2026-04-28",
    "breach_types": ["leak"],
    "individuals": 10,
    "cause": "misdirected_email",
}


def engine(items, special_care=()):
    return assess({**BASE, "items": list(items), "special_care": list(special_care)})


def tier(items, special_care=()):
    entrustment = risk.EntrustmentFacts.from_items(
        items, special_care, individuals=10, access_method="remote"
    )
    return risk.inherent_tier(risk.VendorFacts(entrustments=(entrustment,), has_contract=True))


def scanner(items, special_care=()):
    counts = {code: 1 for code in items}
    return summarise([{"rows": 1, "type_counts": counts, "special_care": list(special_care)}])


CASES = [
    pytest.param(["person_name", "bank_account"], (), id="規則7条2号 口座番号のみ"),
    pytest.param(["person_name", "credit_card"], (), id="規則7条2号 クレジットカード番号"),
    pytest.param(
        ["bank_account", "payment_credentials"], (), id="規則7条2号 口座番号+ネットバンキングの認証情報"
    ),
    pytest.param(["payment_credentials"], (), id="規則7条2号 決済サービスのID・パスワード"),
    pytest.param(["person_name", "address", "email"], (), id="該当なし 氏名・住所・メール"),
    pytest.param(["person_name", "my_number"], (), id="番号法2条8項 個人番号"),
    pytest.param(["person_name"], ("medical_history",), id="法2条3項 病歴"),
    pytest.param(["person_name", "special_care"], (), id="法2条3項 区分未入力"),
]


@pytest.mark.parametrize(("items", "special_care"), CASES)
def test_scanner_ledger_risk_tier_and_engine_agree(items, special_care):
    flags = V.flags(items, special_care)
    result = engine(items, special_care)
    t = tier(items, special_care)
    assert ("financial" in result["grounds"]) is flags["financial"]
    assert ("special_care" in result["grounds"]) is flags["special_care"]
    assert (result["my_number_act"] is not None) is flags["my_number"]
    assert ("財産的被害" in t.factors[0]) is flags["financial"]
    assert ("要配慮個人情報" in t.factors[0]) is flags["special_care"]
    assert ("個人番号" in t.factors[0]) is flags["my_number"]
    if all(V.BY_CODE[c].scanned for c in items):
        s = scanner(items, special_care)
        assert s["financial"] is flags["financial"] and s["my_number"] is flags["my_number"]
        assert bool(s["special_care"] or "special_care" in s["types"]) is flags["special_care"]


def test_a_bank_account_alone_is_not_financial_anywhere_but_its_condition_is_said():
    """規則7条2号: the engine states its assumption; the scanner names the open condition."""
    items = ["person_name", "bank_account"]
    assert V.flags(items)["financial"] is False
    assert "financial" not in engine(items)["grounds"]
    assert any("口座番号" in a and "financial_damage_risk" in a for a in engine(items)["assumptions"])
    assert tier(items).points == tier(["person_name"]).points
    s = scanner(items)
    assert s["financial"] is False and s["financial_conditional"] == ["bank_account"]
    text = scan_report.render({"files": [], "summary": s})
    assert "口座番号：暗証番号" in text and "財産的被害のおそれがある情報" not in text
    assert scanner(["credit_card", "bank_account"])["financial_conditional"] == []


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    path.write_text("\n".join(",".join(r) for r in [header, *rows]) + "\n", encoding="utf-8")
    return path


NAMES = ["佐藤 太郎", "鈴木 花子", "高橋 一郎", "田中 美咲", "伊藤 健太", "渡辺 直子"]


def test_scanned_files_give_the_engine_s_answer(tmp_path):
    """End to end: a file of bank accounts is not 規則7条2号 data; a file of card numbers is."""
    banks = _write_csv(
        tmp_path / "banks.csv",
        ["氏名", "口座番号"],
        [[n, f"{1234560 + i * 7:07d}"] for i, n in enumerate(NAMES)],
    )
    cards = ["4111111111111111", "5555555555554444", "4012888888881881", "3530111333300000"] * 2
    cards = cards[: len(NAMES)]
    card_file = _write_csv(
        tmp_path / "cards.csv", ["氏名", "カード番号"], [[n, c] for n, c in zip(NAMES, cards, strict=True)]
    )
    for path, financial in ((banks, False), (card_file, True)):
        summary = scan_paths([path])["summary"]
        found = list(summary["types"])
        assert summary["financial"] is financial, summary
        assert ("financial" in engine(found)["grounds"]) is financial
        assert V.flags(found)["financial"] is financial
    assert "bank_account" in scan_paths([banks])["summary"]["types"]


@pytest.mark.django_db
def test_ledger_rows_store_the_same_flags(tenancy):
    from mamori.ledger.models import DataAsset

    for items, special_care in [
        (["person_name", "bank_account"], []),
        (["credit_card", "my_number"], ["race"]),
    ]:
        asset = DataAsset(organization=tenancy.org, name="名簿", items=items, special_care=special_care)
        asset.save()
        f = V.flags(items, special_care)
        assert (asset.has_financial, asset.has_my_number, asset.has_special_care) == (
            f["financial"],
            f["my_number"],
            f["special_care"],
        )
