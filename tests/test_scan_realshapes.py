"""The scanner on files in the shapes of real Japanese exports (issue 15; tests/fixtures/realshapes,
written by benchmarks/realshapes.py from the published layouts of each format, never copied).

One test per finding of the issue, on a fixture of that shape, then the minimums on the whole
corpus: column-level precision and recall of at least 0.90 and at most 1 of the 12 decoys flagged
(the figures `make bench` prints).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.accuracy import evaluate_real, overall
from mamori.scan import scan_paths
from mamori.scan.report import render

FIXTURES = Path(__file__).parent / "fixtures" / "realshapes"


def scan(name: str) -> dict:
    return scan_paths([FIXTURES / name])


def types_of(result: dict, table: str | None = None) -> dict[str, set[str]]:
    """Column -> confirmed types, over every table (or the named one)."""
    out: dict[str, set[str]] = {}
    for entry in result["files"]:
        for t in entry["tables"]:
            if table is not None and t["name"] != table:
                continue
            for c in t["columns"]:
                out[c["name"]] = {x["type"] for x in c["types"] if x.get("confirmed", True)}
    return out


def table(result: dict, name: str) -> dict:
    return next(t for e in result["files"] for t in e["tables"] if t["name"] == name)


# 1. JSON: an object's own fields next to its one list; a dict keyed by id is a table.


def test_json_object_fields_beside_its_list_are_read():
    result = scan("webhook_order.json")
    own = types_of(result, "webhook_order.json:(本体)")
    assert own["email"] == {"email"}
    assert own["billing_address.name"] == {"person_name"}
    assert own["shipping_address.phone"] == {"phone"}
    assert own["billing_address.zip"] == {"postal_code"}
    assert result["summary"]["personal_data"] is True
    # the line items are still a table of their own, with nothing personal in them
    assert not any(types_of(result, "webhook_order.json").values())


def test_json_dict_keyed_by_id_is_a_table():
    result = scan("users_by_id.json")
    cols = types_of(result)
    assert cols["users[].列2.name"] == {"person_name"} and cols["users[].列2.tel"] == {"phone"}
    assert result["summary"]["individuals"] == 40


# 2. CSV with a title line above the header (CP932 CRM export).


def test_csv_title_line_above_the_header():
    result = scan("crm_contacts_cp932.csv")
    t = result["files"][0]["tables"][0]
    assert t["header_row"] == 3 and result["files"][0]["encoding"] == "cp932"
    cols = types_of(result)
    assert cols["メールアドレス"] == {"email"} and cols["携帯電話"] == {"phone"}


# 3. Names and phones in free text: columns and plain text.


def test_free_text_column_carries_names_and_phones():
    cols = types_of(scan("crm_activity_cp932.csv"))
    assert cols["対応履歴"] >= {"person_name", "phone"}
    assert cols["件名"] == set()


def test_prose_names_by_honorific_introduction_and_signature():
    result = scan("daily_report.txt")
    t = result["files"][0]["tables"][0]
    assert {x["type"] for x in t["columns"][0]["types"]} >= {"person_name", "phone", "email"}
    # 様, さん, と申します and the signature: four people named in the report
    assert 4 <= t["individuals"] <= 5 and t["individuals_exact"] is False


# 4. Special care needs a person in the same record; a keyword alone is 要確認.


def test_keyword_only_special_care_is_unconfirmed():
    for name in ("product_master.csv", "corporations_care_words.csv", "procurement_log.csv"):
        summary = scan(name)["summary"]
        assert summary["special_care"] == [], name
        assert summary["personal_data"] is False, name
    product = scan("product_master.csv")
    assert "health_check" in product["summary"]["special_care_unconfirmed"]
    entry = next(
        x
        for c in product["files"][0]["tables"][0]["columns"]
        for x in c["types"]
        if x["type"] == "special_care"
    )
    assert entry["confirmed"] is False and entry["categories"]


def test_departments_named_after_diseases_are_not_medical_history():
    summary = scan("hospital_doctors.csv")["summary"]
    assert summary["special_care"] == [] and summary["special_care_unconfirmed"] == []
    assert "person_name" in summary["types"]  # the doctors


def test_special_care_with_a_person_in_the_record_is_confirmed():
    summary = scan("school_register.csv")["summary"]
    assert "medical_history" in summary["special_care"]


# 5. Organizations are not people; masters with no person report none.


def test_company_data_is_organization_information():
    result = scan("company_registry.csv")
    assert result["summary"]["personal_data"] is False
    assert result["summary"]["non_personal"]["organization"] > 0
    cols = types_of(scan("crm_contacts_cp932.csv"))
    # the company's name, office address and main line are the company's; the mobile is a person's
    assert cols["会社名"] == cols["会社住所"] == cols["電話番号"] == {"organization"}
    assert cols["姓"] == {"person_name"}


@pytest.mark.parametrize(
    "name", ["municipality_master.csv", "KEN_ALL_shape.csv", "population_stats.csv", "store_list.csv"]
)
def test_masters_of_places_report_no_personal_data(name):
    summary = scan(name)["summary"]
    assert summary["personal_data"] is False and summary["individuals"] is None


# 6. Names in every real shape.


def test_split_single_token_names_and_readings():
    cols = types_of(scan("base_orders.csv"))
    assert cols["氏(請求先)"] == cols["名(請求先)"] == {"person_name"}
    roster = types_of(scan("employee_roster.xlsx"))
    assert roster["セイ"] == roster["メイ"] == {"name_kana"}
    assert types_of(scan("dummy_hiragana.csv"))["ふりがな"] == {"name_kana"}


def test_romaji_names_both_orders():
    assert types_of(scan("members_romaji.csv"))["name"] == {"person_name"}
    assert types_of(scan("db_users.xlsx"))["name_en"] == {"person_name"}


def test_short_given_names_are_fully_masked():
    result = scan("base_orders.csv")
    samples = [
        s
        for c in result["files"][0]["tables"][0]["columns"]
        if c["name"].startswith(("氏", "名"))
        for x in c["types"]
        for s in x["samples"]
    ]
    assert samples and all(set(s) <= {"*", " "} or len(s) > 2 for s in samples)
    assert all(s.count("*") >= len(s) - 1 for s in samples)


# 7. Addresses: untitled continuation columns, 〒 and address in one cell, no 都道府県.


def test_address_continuation_columns_and_postal_in_the_address_cell():
    cols = types_of(scan("address_parts.csv"))
    assert cols["住所"] == cols["列4"] == cols["列5"] == {"address"}
    assert cols["〒住所"] == {"postal_code", "address"}


# 8. Phones without separators, with 内線/ext/+81, and columns with malformed values.


def test_phones_in_every_shape():
    headerless = types_of(scan("headerless_phones.csv"))
    assert headerless["列2"] == headerless["列3"] == {"phone"}  # 10-digit fixed line, 11-digit mobile
    assert types_of(scan("members_romaji.csv"))["phone"] == {"phone"}  # +81 … ext.105
    assert types_of(scan("address_parts.csv"))["連絡先"] == {"phone"}  # 内線, and one 不明
    rakuten = types_of(scan("rakuten_orders_cp932.csv"))
    assert rakuten["注文者電話番号1"] == rakuten["注文者電話番号3"] == {"phone"}  # split over boxes


# 9. Cards: product codes and SKUs that pass Luhn are not cards.


def test_product_codes_passing_luhn_are_not_cards():
    for name in ("product_master.csv", "sku_master.csv"):
        summary = scan(name)["summary"]
        assert "credit_card" not in summary["types"] and summary["financial"] is False, name


# 10. People: a checked key, exact or estimated, every person of a record.


def test_shared_mailbox_is_not_a_person_key():
    t = scan("inquiries_shared_mailbox.csv")["files"][0]["tables"][0]
    assert t["individuals"] == 38 and t["individuals_key"][0] == "お名前"
    assert t["individuals_exact"] is False and t["individuals_range"] == [38, 38]
    assert "お名前" in t["individuals_basis"]


def test_exact_only_with_an_identifier():
    t = scan("people.json")["files"][0]["tables"][0]
    assert t["individuals"] == 3000 and t["individuals_exact"] is True and t["individuals_range"] is None
    roster = scan("employee_roster.xlsx")["summary"]
    assert roster["individuals_exact"] is False  # employees and their spouses, by name


def test_every_person_of_a_record_is_counted():
    t = scan("order_api.json")["files"][0]["tables"][0]
    assert t["individuals"] == 2  # the buyer and the recipient
    rakuten = scan("rakuten_orders_cp932.csv")["summary"]
    low, high = rakuten["individuals_range"]
    assert 70 < rakuten["individuals"] <= 140 and low <= rakuten["individuals"] <= high == 140


def test_table_report_says_exact_estimate_and_unconfirmed():
    text = render(scan_paths([FIXTURES / "product_master.csv", FIXTURES / "inquiries_shared_mailbox.csv"]))
    assert "要確認" in text and "約38人（推定）" in text
    text = render(scan_paths([FIXTURES / "people.json", FIXTURES / "company_registry.csv"]))
    assert "3,000人（正確）" in text and "法人情報" in text


# The corpus as a whole.


@pytest.fixture(scope="module")
def real_score():
    return evaluate_real(FIXTURES)


def test_every_real_shape_is_read(real_score):
    assert real_score.errors == []


def test_real_shapes_precision_and_recall(real_score):
    precision, recall = overall(real_score)
    assert precision >= 0.90 and recall >= 0.90, real_score.mistakes


def test_real_shapes_decoys(real_score):
    assert len(real_score.decoys) == 13  # 12, and a held-out one (stations)
    assert sum(1 for _, flagged in real_score.decoys if flagged) <= 1, real_score.decoys
