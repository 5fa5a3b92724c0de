from __future__ import annotations

import json
import zipfile

import polars as pl
import pytest

from benchmarks import corpus
from mamori import cli
from mamori.scan import Limits, scan_paths
from mamori.scan import patterns as P
from mamori.scan.engine import scan_table
from mamori.scan.readers import Opened, open_csv


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scan")
    corpus.build(folder, variants=1)
    return folder


# --- check digits (shared/domain/pii.md) ---------------------------------------------------------


@pytest.mark.parametrize(
    "number", ["4111111111111111", "5555555555554444", "378282246310005", "3530111333300000"]
)
def test_luhn_valid_cards(number):
    assert P.credit_card_ok(number)


@pytest.mark.parametrize("number", ["4111111111111112", "****-****-****-1111", "1234567812345670"])
def test_not_cards(number):
    assert not P.credit_card_ok(number)


def test_my_number_check_digit():
    import random

    rng = random.Random(1)
    valid = [corpus.my_number(rng) for _ in range(200)]
    assert all(P.my_number_ok(v) for v in valid)
    # Changing the last digit breaks it.
    assert not any(P.my_number_ok(v[:-1] + str((int(v[-1]) + 1) % 10)) for v in valid)
    # Random 12-digit numbers pass about 1 time in 10 (pii.md), so a column needs nearly all to pass.
    randoms = [f"{rng.randrange(10**12):012d}" for _ in range(5000)]
    assert 0.05 < sum(map(P.my_number_ok, randoms)) / 5000 < 0.15


def test_corporate_number_and_jan():
    assert P.corporate_number_ok("7000012050002")  # the National Tax Agency's own corporate number
    assert not P.corporate_number_ok("7000012050003")
    assert P.jan_ok("4901234567894") and not P.jan_ok("4901234567895")


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("090-1234-5678", True),
        ("03-1234-5678", True),
        ("0120-123-456", True),
        ("050-1234-5678", True),
        ("03(1234)5678", True),
        ("+81 90-1234-5678", True),
        ("0467-12-3456", True),
        ("1234-5678-9012", False),
        ("12345678", False),
        ("090-1234-567", False),
    ],
)
def test_phone_pattern(value, ok):
    assert bool(pl.Series([value]).str.contains(P.RE["phone"])[0]) is ok


def test_birth_years_from_wareki():
    assert P.year_of("昭和50年3月1日") == 1975 and P.year_of("S50.3.1") == 1975
    assert P.year_of("平成元年1月8日") == 1989 and P.year_of("R2.5.1") == 2020


# --- inputs --------------------------------------------------------------------------------------


def _types(entry) -> dict[str, set[str]]:
    return {c["name"]: {t["type"] for t in c["types"]} for t in entry["tables"] for c in t["columns"]}


def test_encodings_are_detected(files):
    result = scan_paths(
        [files / "customers_utf8_0.csv", files / "customers_cp932_0.csv", files / "customers_eucjp_0.tsv"]
    )
    assert [f["encoding"] for f in result["files"]] == ["utf-8-sig", "cp932", "euc_jp"]
    for f in result["files"]:
        assert f["summary"]["types"]["phone"] == f["summary"]["rows"]


def test_fullwidth_digits_and_wareki(files):
    entry = scan_paths([files / "customers_fullwidth_wareki_0.csv"])["files"][0]
    types = _types(entry)
    assert (
        types["電話番号"] == {"phone"}
        and types["郵便番号"] == {"postal_code"}
        and types["生年月日"] == {"birth_date"}
    )
    assert types["最終購入日"] == set()  # an ordinary date is not a birth date


def test_headerless_csv_is_read_by_position(files):
    entry = scan_paths([files / "customers_noheader_0.csv"])["files"][0]
    table = entry["tables"][0]
    assert table["header_row"] is None and table["columns"][0]["name"] == "列1"
    assert _types(entry)["列9"] == {"email"} and table["individuals_key"] == ["列9"]


def test_split_address_counts_once(files):
    entry = scan_paths([files / "customers_split_address_0.csv"])["files"][0]
    parts = [
        t.get("part") for c in entry["tables"][0]["columns"] for t in c["types"] if t["type"] == "address"
    ]
    assert set(parts) == {"prefecture", "city", "street", "building"}
    assert entry["summary"]["types"]["address"] == entry["summary"]["rows"]


def test_excel_title_rows_and_every_sheet(files):
    entry = scan_paths([files / "employees.xlsx"])["files"][0]
    assert [(t["name"], t["header_row"]) for t in entry["tables"]] == [("従業員", 4), ("扶養家族", 1)]
    assert entry["summary"]["my_number"] is True and entry["summary"]["special_care"] == ["health_check"]


def test_json_nested_and_lists(files):
    entry = scan_paths([files / "members.json"])["files"][0]
    names = [t["name"] for t in entry["tables"]]
    assert names == ["members.json", "members.json:members[].dependants[]"]
    assert "members[].profile.contact.tel" in _types(entry)


def test_text_occurrences(files):
    entry = scan_paths([files / "inquiries.txt"])["files"][0]
    assert entry["format"] == "text"
    found = {t["type"] for t in entry["tables"][0]["columns"][0]["types"]}
    assert {"person_name", "phone", "email", "special_care"} <= found
    assert "credit_card" not in found and "my_number" not in found  # order numbers are not


def test_zip_members_are_scanned_with_their_paths(files):
    result = scan_paths([files / "bundle.zip"])
    paths = [f["path"] for f in result["files"]]
    assert paths[0].endswith("bundle.zip") and any(p.endswith("bundle.zip!export/cards.csv") for p in paths)
    assert result["summary"]["financial"] is True


def test_zip_limits(tmp_path):
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("zeros.csv", "0" * 5_000_000)
    entry = scan_paths([bomb])["files"][1]
    assert "圧縮率" in entry["error"]
    many = tmp_path / "many.zip"
    with zipfile.ZipFile(many, "w") as z:
        for i in range(5):
            z.writestr(f"{i}.txt", "x")
    assert "ファイル数" in scan_paths([many], limits=Limits(zip_max_members=3))["files"][0]["error"]


def test_damaged_files_get_a_clear_error_and_exit_2_while_others_are_reported(files, tmp_path, capsys):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 this is not really a workbook")
    encrypted = tmp_path / "secret.xlsx"
    encrypted.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    bad_json = tmp_path / "bad.json"
    bad_json.write_text('{"a": [1, 2', encoding="utf-8")
    code = cli.main(
        ["scan", str(broken), str(encrypted), str(bad_json), str(files / "cards.csv"), "--format", "json"]
    )
    assert code == 2
    result = json.loads(capsys.readouterr().out)
    errors = [f["error"] for f in result["files"]]
    assert errors[0] and "暗号化" in errors[1] and "JSON" in errors[2] and errors[3] is None
    assert result["files"][3]["summary"]["types"]["credit_card"] == 500


def test_no_raw_value_leaves_the_scanner(files):
    result = json.dumps(scan_paths(sorted(files.glob("*"))), ensure_ascii=False)
    raw = pl.read_csv(files / "customers_utf8_0.csv", infer_schema=False)
    for column in ("氏名", "電話番号", "メールアドレス", "住所", "郵便番号"):
        for value in raw.get_column(column).head(200).to_list():
            assert value not in result, f"raw {column} value in the output"
    cards = pl.read_csv(files / "cards.csv", infer_schema=False).get_column("カード番号").to_list()
    assert not any(c in result or c.replace(" ", "") in result for c in cards)


def test_masking():
    assert P.mask("phone", "090-1234-5678") == "090-****-**78"
    assert P.mask("email", "taro@example.jp") == "t***@***.jp"
    assert P.mask("credit_card", "4111 1111 1111 1111") == "**** **** **** **11"
    assert P.mask("address", "東京都千代田区霞が関1-1").startswith("東京都*")
    assert P.mask("birth_date", "1975/03/01") == "19**/**/**"


def test_json_contract_shape(files):
    result = scan_paths([files / "customers_utf8_0.csv"])
    f = result["files"][0]
    assert set(f) == {"path", "format", "encoding", "error", "tables", "summary"}
    table = f["tables"][0]
    assert {"name", "header_row", "rows", "columns"} <= set(table)
    column = next(c for c in table["columns"] if c["types"])
    assert {"name", "index", "types"} <= set(column)
    assert {"type", "count", "ratio", "samples"} <= set(column["types"][0])
    assert {
        "rows",
        "individuals",
        "individuals_key",
        "types",
        "special_care",
        "financial",
        "my_number",
    } <= set(f["summary"])
    assert result["summary"]["individuals"] == f["summary"]["individuals"]


def test_progress_batches_give_the_same_counts(files):
    def scan(progress):
        opened = Opened(format="csv")
        open_csv(files / "customers_utf8_0.csv", "c.csv", opened)
        return scan_table(opened.tables[0], progress)

    ticks = []
    streamed, batched = scan(None), scan(ticks.append)
    assert sum(ticks) == batched.rows == streamed.rows
    assert batched.type_counts == streamed.type_counts and batched.individuals == streamed.individuals


def test_table_output_is_japanese(files, capsys):
    assert cli.main(["scan", str(files / "cards.csv")]) == 0
    out = capsys.readouterr().out
    assert "クレジットカード番号: 500" in out and "財産的被害" in out


def test_progress_while_reading_never_changes_the_result(tmp_path, monkeypatch):
    """The fraction read is reported as the records are read, and the result (including the
    estimate's range when couples share an e-mail) is the same as without a progress bar."""
    import mamori.scan as scan_module

    rows = ["氏名,メールアドレス,電話番号"]
    for n in range(3000):
        mail = f"family{n // 2}@example.jp"  # couples share one address: an estimate with a range
        rows.append(f"会員 {n}号,{mail},090-{n // 10000:04d}-{n % 10000:04d}")
    path = tmp_path / "members.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    plain = scan_module.scan_paths([path])
    monkeypatch.setattr(scan_module, "PROGRESS_MIN_RECORDS", 1)  # follow even this small table
    seen: list[float] = []
    followed = scan_module.scan_paths([path], on_progress=seen.append)
    assert followed == plain
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)
    assert any(0 < f < 1 for f in seen) or len(seen) >= 3
