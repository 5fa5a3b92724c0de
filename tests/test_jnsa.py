"""JNSA damage model (shared/domain/appi.md §9) and the precedents of §10."""

from __future__ import annotations

import pytest

from mamori.core.jnsa import EstimateError, estimate


def test_worked_example_card_data():
    """§9: 氏名・住所・電話番号・カード番号・有効期限, 1,200 people: x=1, y=3 → 26; 6 → ¥78,000; ¥93,600,000."""
    result = estimate(
        {"individuals": 1200, "items": ["person_name", "address", "phone", "credit_card", "有効期限"]}
    )
    j = result["jnsa"]
    assert (j["ep"]["x"], j["ep"]["y"], j["sensitivity"], j["identifiability"]) == (1, 3, 26, 6)
    assert j["per_person"] == 78_000 and j["total"] == 93_600_000


def test_worked_example_medical_record():
    """§9: the same leak with 病状/カルテ instead of card data: x=3, y=1 → 101 → ¥303,000 per person."""
    j = estimate({"individuals": 1200, "items": ["person_name", "address", "phone", "カルテ"]})["jnsa"]
    assert j["sensitivity"] == 101 and j["per_person"] == 303_000 and j["total"] == 363_600_000


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        (["person_name", "address"], 6),  # name and address
        (["person_name", "email"], 3),  # name only
        (["address", "phone"], 3),  # address and phone
        (["email", "birth_date"], 1),
    ],
)
def test_identifiability(items, expected):
    """§9 本人特定容易度: 6 / 3 / 1."""
    assert estimate({"individuals": 1, "items": items})["jnsa"]["identifiability"] == expected


def test_social_responsibility_and_poor_response_double_the_figure():
    """§9 社会的責任度 2 = higher than ordinary; 事後対応評価 2 = inappropriate."""
    base = estimate({"individuals": 10, "items": ["person_name"]})["jnsa"]["per_person"]
    both = estimate(
        {"individuals": 10, "items": ["person_name"], "social_responsibility": 2, "response": "inappropriate"}
    )["jnsa"]["per_person"]
    assert both == base * 4
    unknown = estimate({"individuals": 10, "items": ["person_name"], "response": "unknown"})["jnsa"][
        "per_person"
    ]
    assert unknown == base


def test_special_care_categories_map_onto_the_ep_map():
    """§9 EP map: 前科前歴 x=3, y=3 → 10^2 + 5^2 = 125."""
    j = estimate({"individuals": 1, "items": ["person_name"], "special_care": ["criminal_record"]})["jnsa"]
    assert j["sensitivity"] == 125


def test_our_own_mappings_are_marked():
    j = estimate({"individuals": 1, "items": ["bank_account"]})["jnsa"]
    assert j["ep"]["items"][0]["our_mapping"] is True and j["notes"]


def test_the_figure_is_stated_to_be_a_risk_indicator():
    j = estimate({"individuals": 1, "items": ["person_name"]})["jnsa"]
    assert "全員" in j["disclaimer"] and "予測ではありません" in j["disclaimer"]


def test_precedents_nearest_to_the_data():
    """§10: basic contact data ≈ ¥1,000–15,000; more private data (TBC) ≈ ¥35,000."""
    basic = estimate({"individuals": 1, "items": ["person_name", "address"]})["precedents"]
    assert basic["kind"] == "basic" and basic["range_per_person"] == {"low": 2_000, "high": 15_000}
    private = estimate({"individuals": 1, "items": ["person_name"], "special_care": ["medical_history"]})[
        "precedents"
    ]
    assert private["cases"][0]["case"].startswith("TBC")


def test_response_costs_are_editable_and_form_a_range():
    result = estimate(
        {
            "individuals": 1000,
            "items": ["person_name"],
            "costs": {
                "letter_per_person": 200,
                "call_centre_per_day": 100_000,
                "call_centre_days_low": 10,
                "call_centre_days_high": 30,
                "gift_card_per_person": 1000,
            },
        }
    )
    c = result["response_costs"]
    assert c["low"] == 200_000 + 1_000_000
    assert c["high"] == 200_000 + 3_000_000 + 1_000_000


def test_bad_input_is_refused_in_japanese():
    with pytest.raises(EstimateError) as info:
        estimate(
            {"individuals": -1, "items": ["shoe_size"], "social_responsibility": 3, "costs": {"letter": 1}}
        )
    assert len(info.value.errors) == 4 and "individuals" in info.value.errors[0]
