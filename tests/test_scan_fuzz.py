"""Issue 13: fuzz the scanner's readers and the import reader, bounded in time and size.

Generated and mutated CSV (UTF-8 and CP932 bytes), .xlsx (built with openpyxl from fuzzed cells, and
raw mutated bytes), JSON, JSON Lines, ZIP and plain text go through the whole scanner in strict
mode: the only error allowed out is ScanError (the documented one, a Japanese message), never
another exception, never a hang (hypothesis deadline). The import reader may raise ImportFailed only.

Profiles (HYPOTHESIS_PROFILE): ``ci`` (default: derandomized, so a run is reproducible, and a
few dozen examples per reader to keep the file well under 40 s) and ``long`` (random, many more).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mamori.platform.web.imports import ImportFailed, read_rows
from mamori.scan import Limits, scan_file

settings.register_profile(
    "ci",
    max_examples=25,
    derandomize=True,
    deadline=dt.timedelta(seconds=5),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    database=None,
    report_multiple_bugs=False,
)
settings.register_profile(
    "long",
    max_examples=2000,
    deadline=dt.timedelta(seconds=10),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

MAX_BYTES = 16 * 1024  # per example
LIMITS = Limits(max_line_bytes=4 * 1024, json_max_bytes=64 * 1024, sample_max_bytes=8 * 1024)

# Cells: Japanese and ASCII letters, digits, separators, quotes and line breaks, and the shapes
# the detectors look for (a name, an address, a phone number, an e-mail, a date).
SHAPES = st.sampled_from(
    [
        "山田 太郎",
        "ヤマダ タロウ",
        "東京都千代田区丸の内1-1",
        "090-1234-5678",
        "taro@example.jp",
        "1985-04-01",
        "令和8年4月1日",
        "〒100-0001",
        "4111111111111111",
        "氏名",
        "メールアドレス",
        "=SUM(A1)",
        "",
    ]
)
TEXT = st.text(
    alphabet=st.sampled_from(
        list("abcAZ019 ,;\t\"'\n\r\\/@.-_〒山田太郎東京都区市ｱｲｳアイウあいう０１２－＠\ufeff")
    ),
    max_size=40,
)
CELL = st.one_of(SHAPES, TEXT)
ROWS = st.lists(st.lists(CELL, min_size=0, max_size=6), min_size=0, max_size=12)


def strict_scan(path) -> list[dict]:
    """The whole scanner, raising anything but ScanError (which it reports in the entry)."""
    entries = scan_file(path, limits=LIMITS, strict=True)
    for entry in entries:
        assert entry["error"] is None or isinstance(entry["error"], str)
        assert "Error" not in (entry["error"] or "")  # no exception name in the message
    return entries


def write(tmp_path_factory, name: str, data: bytes):
    path = tmp_path_factory.mktemp("fuzz") / name
    path.write_bytes(data[: MAX_BYTES * 4])
    return path


def csv_text(rows: list[list[str]], separator: str) -> str:
    out = io.StringIO()
    for row in rows:
        out.write(separator.join(row) + "\n")
    return out.getvalue()


@given(rows=ROWS, encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp932"]), sep=st.sampled_from([",", "\t"]))
@example(rows=[["氏名", "\n"]], encoding="utf-8", sep=",")  # found: header wider than the rest
@example(rows=[["氏名"]], encoding="utf-8", sep=",")  # found: nothing after the header
def test_csv_from_fuzzed_cells(tmp_path_factory, rows, encoding, sep):
    data = csv_text(rows, sep).encode(encoding, errors="replace")
    strict_scan(write(tmp_path_factory, "fuzz.csv" if sep == "," else "fuzz.tsv", data))


@given(
    data=st.binary(max_size=MAX_BYTES), suffix=st.sampled_from([".csv", ".txt", ".json", ".jsonl", ".dat"])
)
def test_raw_bytes_under_any_name(tmp_path_factory, data, suffix):
    strict_scan(write(tmp_path_factory, f"fuzz{suffix}", data))


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | CELL,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(CELL, children, max_size=5),
    max_leaves=30,
)


@given(value=JSON, lines=st.booleans())
def test_json_and_json_lines(tmp_path_factory, value, lines):
    if lines:
        records = value if isinstance(value, list) else [value]
        data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()
    else:
        data = json.dumps(value, ensure_ascii=False).encode()
    strict_scan(write(tmp_path_factory, "fuzz.jsonl" if lines else "fuzz.json", data))


def deep_json(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def test_deeply_nested_json_is_a_scan_error(tmp_path):
    path = tmp_path / "deep.json"
    path.write_bytes(deep_json(100_000))
    [entry] = scan_file(path, limits=LIMITS, strict=True)
    assert entry["error"]


XLSX_CELL = st.one_of(
    CELL.map(lambda s: "".join(c for c in s if c >= " " or c in "\t\n")),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 3, 1)),
    st.none(),
)


def xlsx_bytes(sheets: list[list[list]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for i, rows in enumerate(sheets or [[]]):
        sheet = book.create_sheet(f"シート{i + 1}")
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


SHEETS = st.lists(st.lists(st.lists(XLSX_CELL, max_size=5), max_size=8), min_size=1, max_size=2)
SEED_XLSX = xlsx_bytes(
    [[["氏名", "メール"], ["山田 太郎", "taro@example.jp"], ["佐藤 花子", "hanako@example.jp"]]]
)


@given(sheets=SHEETS)
def test_xlsx_from_fuzzed_cells(tmp_path_factory, sheets):
    strict_scan(write(tmp_path_factory, "fuzz.xlsx", xlsx_bytes(sheets)))


def mutate(seed: bytes, edits: list[tuple[int, int]], cut: int | None) -> bytes:
    data = bytearray(seed)
    for position, value in edits:
        data[position % len(data)] = value
    return bytes(data[:cut] if cut else data)


EDITS = st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)), max_size=8)


@given(edits=EDITS, cut=st.none() | st.integers(min_value=1, max_value=len(SEED_XLSX)))
@example(edits=[(20210917, 64)], cut=None)  # found by the fuzzer: "zip file version 6.4"
@example(edits=[(2, 0)], cut=None)  # found by the fuzzer: a damaged local header
def test_xlsx_mutated_bytes(tmp_path_factory, edits, cut):
    strict_scan(write(tmp_path_factory, "fuzz.xlsx", mutate(SEED_XLSX, edits, cut)))


MEMBER_NAMES = st.sampled_from(["a.csv", "b.txt", "c.json", "d.jsonl", "e.xlsx", "f.zip", "../g.csv", "h"])


def zip_bytes(members: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members:
            archive.writestr(name, content)
    return out.getvalue()


MEMBER_CONTENT = st.one_of(
    st.binary(max_size=2048),
    ROWS.map(lambda rows: csv_text(rows, ",").encode()),
    st.just(SEED_XLSX),
)


@given(members=st.lists(st.tuples(MEMBER_NAMES, MEMBER_CONTENT), max_size=4))
def test_zip_from_fuzzed_members(tmp_path_factory, members):
    strict_scan(write(tmp_path_factory, "fuzz.zip", zip_bytes(members)))


SEED_ZIP = zip_bytes([("a.csv", b"name,email\nx,x@example.jp\n"), ("b.txt", "山田 太郎様\n".encode())])


@given(edits=EDITS, cut=st.none() | st.integers(min_value=1, max_value=len(SEED_ZIP)))
@example(edits=[(2, 0)], cut=None)  # found by the fuzzer: "Bad magic number for file header"
@example(edits=[(199_162_041_337, 0)], cut=None)  # found by the fuzzer: IndexError in the extra field
def test_zip_mutated_bytes(tmp_path_factory, edits, cut):
    strict_scan(write(tmp_path_factory, "fuzz.zip", mutate(SEED_ZIP, edits, cut)))


@given(data=st.text(max_size=2000), encoding=st.sampled_from(["utf-8", "cp932", "euc_jp", "utf-16"]))
def test_plain_text(tmp_path_factory, data, encoding):
    strict_scan(write(tmp_path_factory, "fuzz.txt", data.encode(encoding, errors="replace")))


# --- The import reader (mamori.platform.web.imports.read_rows): ImportFailed only -------------


def read_only_import_failed(name: str, data: bytes) -> None:
    try:
        rows = read_rows(SimpleUploadedFile(name, data))
    except ImportFailed as exc:
        assert exc.errors and all(isinstance(e, str) for e in exc.errors)
        return
    assert isinstance(rows, list)


# Found by this fuzzer before the reader moved to mamori.platform.table_reader: csv.Error on a line
# break inside an unquoted field or a field over 128 KiB, ValueError on a naive date-time cell.


@pytest.mark.django_db
@given(rows=ROWS, encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp932"]))
def test_import_reader_csv(rows, encoding):
    read_only_import_failed("import.csv", csv_text(rows, ",").encode(encoding, errors="replace"))


@pytest.mark.django_db
@given(data=st.binary(max_size=MAX_BYTES), name=st.sampled_from(["import.csv", "import.xlsx", "import.txt"]))
def test_import_reader_raw_bytes(data, name):
    read_only_import_failed(name, data)


@pytest.mark.django_db
@given(sheets=SHEETS, edits=EDITS, cut=st.none() | st.integers(min_value=1, max_value=20_000))
def test_import_reader_xlsx(sheets, edits, cut):
    read_only_import_failed("import.xlsx", mutate(xlsx_bytes(sheets), edits, cut))
