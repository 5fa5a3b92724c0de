"""Issue 13: memory bounded by line length and unpacked size, whatever the file.

"A 2 GB file without line breaks reached 12.7 GB in the CLI": every line (a CSV record, a text or
JSON Lines line) longer than ``Limits.max_line_bytes`` stops that file with a Japanese error, found
while streaming, before any reader holds the line. Small limits keep these tests fast."""

from __future__ import annotations

import json
import os
import tracemalloc
import zipfile

import pytest

from mamori.scan import Limits, scan_file, scan_paths
from mamori.scan.readers import MiB, check_lines

SMALL = Limits(max_line_bytes=64 * 1024)


def peak_python_memory(function):
    tracemalloc.start()
    try:
        result = function()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def write_unbroken(path, size: int, unit: bytes = b"abc,") -> None:
    with path.open("wb") as out:
        block = unit * (MiB // len(unit))
        for _ in range(size // len(block)):
            out.write(block)


@pytest.mark.parametrize("suffix", [".txt", ".csv", ".jsonl", ".log"])
def test_a_file_without_line_breaks_stops_with_a_clear_error_in_bounded_memory(tmp_path, suffix):
    path = tmp_path / f"no-breaks{suffix}"
    write_unbroken(path, 24 * MiB)
    [entry], peak = peak_python_memory(lambda: scan_file(path, limits=SMALL))
    assert "1行目が長すぎます（1行 64 KB まで）" in entry["error"]
    assert entry["summary"]["rows"] == 0
    assert peak < 8 * MiB, peak  # not the 24 MiB of the file (nor many times it)


def test_the_default_limit_is_one_megabyte_and_comes_from_the_environment(monkeypatch, tmp_path):
    assert Limits().max_line_bytes == 1024 * 1024
    monkeypatch.setenv("MAMORI_MAX_LINE_KB", "2")
    assert Limits().max_line_bytes == 2048
    path = tmp_path / "long.txt"
    path.write_text("山田 太郎様\n" + "x" * 3000 + "\n", encoding="utf-8")
    assert "2行目が長すぎます" in scan_paths([path])["files"][0]["error"]
    monkeypatch.setenv("MAMORI_MAX_LINE_KB", "many")
    with pytest.raises(ValueError, match="MAMORI_MAX_LINE_KB"):
        Limits()


def test_a_csv_record_is_measured_across_quoted_line_breaks(tmp_path):
    path = tmp_path / "quoted.csv"
    body = "\n".join(["x" * 1000] * 100)  # a 100 KB field made of short lines
    path.write_text(f'氏名,備考\n山田 太郎,"{body}"\n', encoding="utf-8")
    assert "2行目が長すぎます" in scan_paths([path], limits=SMALL)["files"][0]["error"]
    ok = Limits(max_line_bytes=256 * 1024)
    assert scan_paths([path], limits=ok)["files"][0]["error"] is None


def test_long_lines_under_the_limit_are_read(tmp_path):
    path = tmp_path / "wide.csv"
    note = "特記事項なし" * 3000  # 54 KB of text in one cell
    lines = ["会員番号,氏名,メールアドレス,備考"] + [
        f"M{i:04d},山田 太郎,user{i}@example.jp,{note}" for i in range(50)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="cp932")
    entry = scan_paths([path], limits=SMALL)["files"][0]
    assert entry["error"] is None and entry["encoding"] == "cp932"
    assert entry["summary"]["rows"] == 50 and entry["summary"]["individuals"] == 50


def test_the_csv_sample_is_read_from_the_first_lines_only(tmp_path):
    path = tmp_path / "many.csv"
    path.write_text(
        "会員番号,メールアドレス\n" + "".join(f"M{i:05d},user{i}@example.jp\n" for i in range(20000))
    )
    limits = Limits(max_line_bytes=1024, sample_max_bytes=4096)
    end = check_lines(path, limits, quote=ord('"'), sample_rows=2001)
    assert 3000 < end <= 4096 and path.read_bytes()[end - 1 : end] == b"\n"
    entry = scan_paths([path], limits=limits)["files"][0]
    assert entry["summary"]["rows"] == 20000 and entry["summary"]["individuals"] == 20000


def test_json_size_and_json_lines_line_length_are_bounded(tmp_path):
    big = tmp_path / "big.json"
    big.write_text(json.dumps([{"email": f"user{i}@example.jp"} for i in range(5000)]))
    small_json = Limits(json_max_bytes=64 * 1024)
    assert (
        "JSONファイルが大きすぎます（上限 0 MiB）"
        in scan_paths([big], limits=small_json)["files"][0]["error"]
    )
    assert scan_paths([big])["files"][0]["summary"]["individuals"] == 5000
    lines = tmp_path / "records.jsonl"
    lines.write_text(
        json.dumps({"email": "a@example.jp"}) + "\n" + json.dumps({"note": "x" * 100_000}) + "\n"
    )
    assert "2行目が長すぎます" in scan_paths([lines], limits=SMALL)["files"][0]["error"]


def test_zip_members_are_streamed_to_disk_and_bounded(tmp_path):
    archive = tmp_path / "leak.zip"
    rows = "".join(
        f"{i:08d},{os.urandom(24).hex()}\n" for i in range(300_000)
    )  # ~17 MB, not very compressible
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("numbers.csv", rows)
        z.writestr("no-breaks.txt", os.urandom(100 * 1024).hex())
    result, peak = peak_python_memory(lambda: scan_paths([archive], limits=SMALL))
    members = {f["path"].split("!")[-1]: f for f in result["files"][1:]}
    assert members["numbers.csv"]["error"] is None and members["numbers.csv"]["summary"]["rows"] == 300_000
    assert "長すぎます" in members["no-breaks.txt"]["error"]
    assert peak < 24 * MiB, peak  # the members are never held whole in memory
    too_big = Limits(max_line_bytes=64 * 1024, zip_max_member_bytes=MiB)
    result = scan_paths([archive], limits=too_big)
    assert "展開後のサイズが上限（1 MiB）を超える" in result["files"][1]["error"]
