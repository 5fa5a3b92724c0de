"""Reading files into tables of strings: CSV/TSV (any Japanese encoding), Excel, JSON, JSON Lines,
plain text and ZIP archives. Nothing here keeps or prints a cell value."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import os
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TypedDict

import numpy as np
import polars as pl

from mamori.scan.headers import choose_header, label_keys

SAMPLE_ROWS = 2000
# What a damaged archive raises while its directory or a member is read.
ZIP_ERRORS: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    NotImplementedError,
    IndexError,  # a truncated extra field in the central directory
    struct.error,
)
ZIP_MEMBER_ERRORS: tuple[type[Exception], ...] = (*ZIP_ERRORS, RuntimeError)
MiB = 1024 * 1024


class ScanError(Exception):
    """A file that cannot be read; the message says why, in Japanese, without any of its content."""


@dataclass
class Table:
    name: str
    columns: list[str]
    frame: pl.LazyFrame
    sample: pl.DataFrame
    header_row: int | None = None
    # How many records the file holds, when the reader counted them on its way (CSV): lets a
    # progress bar say how much of the table has been read. Never part of the result.
    records_hint: int | None = None


@dataclass
class TextDoc:
    name: str
    path: Path
    encoding: str


def _env_kb(name: str, default: int) -> int:
    """A size in KB or MB from the environment, as bytes (the scanner stays free of Django settings)."""
    value = os.environ.get(name, "").strip()
    unit = 1024 if name.endswith("_KB") else MiB
    if not value:
        return default * unit
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"{name} must be a positive whole number, not {value!r}")
    return int(value) * unit


@dataclass
class Limits:
    """What one file may cost. Memory is bounded by the longest line (a CSV record, a text or JSON
    Lines line) and by the JSON size; archive members are streamed to disk within the zip limits."""

    max_line_bytes: int = field(default_factory=lambda: _env_kb("MAMORI_MAX_LINE_KB", 1024))
    json_max_bytes: int = field(default_factory=lambda: _env_kb("MAMORI_MAX_JSON_MB", 100))
    sample_max_bytes: int = 32 * MiB
    zip_max_members: int = 1000
    zip_max_total_bytes: int = 1024 * MiB
    zip_max_member_bytes: int = 512 * MiB
    zip_max_ratio: int = 100
    zip_max_depth: int = 2


@dataclass
class Opened:
    format: str
    encoding: str | None = None
    tables: list[Table] = field(default_factory=list)
    text: TextDoc | None = None
    cleanup: list[Path] = field(default_factory=list)


# --- Format and encoding ----------------------------------------------------------------------


def detect_format(path: Path) -> str:
    suffix = path.suffix.lower()
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(b"PK"):
        if suffix in (".xlsx", ".xlsm"):
            return "xlsx"
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except ZIP_ERRORS as exc:
            raise ScanError("ZIP形式として読めません（ファイルが壊れている可能性があります）") from exc
        return "xlsx" if "[Content_Types].xml" in names and "xl/workbook.xml" in names else "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        if suffix in (".xlsx", ".xls", ".xlsm"):
            raise ScanError(
                "暗号化（パスワード付き）または旧形式（.xls）のExcelファイルは読めません。.xlsx で保存し直してください"
            )
        raise ScanError("この形式（OLE複合ファイル）には対応していません")
    if suffix in (".xlsx", ".xlsm"):
        raise ScanError("Excelファイルとして読めません（ファイルが壊れている可能性があります）")
    if suffix in (".json",):
        return "json"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix in (".csv", ".tsv"):
        return "csv"
    if suffix in (".txt", ".log", ".eml", ".md", ".text"):
        return "text"
    stripped = head.lstrip(b"\xef\xbb\xbf \r\n\t")
    if stripped[:1] in (b"{", b"["):
        return "json"
    return "text"


def detect_encoding(path: Path) -> str:
    with path.open("rb") as handle:
        sample = handle.read(MiB)
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    cut = sample if len(sample) < MiB else sample[: sample.rfind(b"\n") + 1 or len(sample)]
    try:
        cut.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(cut, cp_isolation=["cp932", "euc_jp", "iso2022_jp", "utf_8"]).best()
    if best is None:
        raise ScanError(
            "文字コードを判別できません（UTF-8・Shift_JIS（CP932）・EUC-JP のいずれでもありません）"
        )
    encoding = best.encoding.lower()
    return {"shift_jis": "cp932", "sjis": "cp932", "utf_8": "utf-8"}.get(encoding, encoding)


def to_utf8(path: Path, encoding: str) -> Path:
    """Transcode to a temporary UTF-8 file in chunks (polars reads UTF-8 only)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    fd, tmp = tempfile.mkstemp(suffix=".csv", prefix="mamori-scan-")
    try:
        with path.open("rb") as src, os.fdopen(fd, "wb") as dst:
            while chunk := src.read(8 * MiB):
                dst.write(decoder.decode(chunk).encode("utf-8"))
            dst.write(decoder.decode(b"", final=True).encode("utf-8"))
    except UnicodeDecodeError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ScanError(
            f"{encoding} として読めない文字があります（{exc.start}バイト目付近）。文字コードを確認してください"
        ) from exc
    return Path(tmp)


# --- Line length --------------------------------------------------------------------------------


def line_too_long(limits: Limits, line: int) -> str:
    return (
        f"{line:,}行目が長すぎます（1行 {limits.max_line_bytes // 1024:,} KB まで）。"
        "改行のないファイルや壊れたファイルは読めません"
    )


def over_limit(line: str, limits: Limits) -> bool:
    """A decoded line longer than the limit in UTF-8 bytes (cheap for the usual short line)."""
    return len(line) > limits.max_line_bytes // 4 and len(line.encode("utf-8")) > limits.max_line_bytes


class _Unsure(Exception):
    """The quick check could not show that every line is short: the exact check decides."""


def check_lines(
    path: Path, limits: Limits, quote: int | None, sample_rows: int = 0, counted: dict | None = None
) -> int:
    """Read the file in chunks and refuse a line longer than the limit, before any reader holds
    it. With ``quote``, a line is a CSV record (newlines inside quotes do not end it; quotes are
    counted as polars counts them). Returns where the first ``sample_rows`` lines end, at most
    ``limits.sample_max_bytes`` (and then at a line end).

    The first lines (up to the sample's end) are measured one by one; the rest of the file in
    blocks of half the limit, each needing only a line end near its end (C-speed ``rfind`` and
    ``count`` on the block, not numpy over every byte: 0.5 s of the 1M-row benchmark before). A
    file where that fails (a long line, an unclosed quote) is measured line by line from the start,
    so the error names the same line as before. ``counted["records"]`` receives the number of
    records (for a progress bar): exact when every line was measured, else estimated from the
    measured lines' average length."""
    sample_end, resume = _check_exact(
        path, limits, quote, sample_rows, stop_after_sample=True, counted=counted
    )
    if resume is None:
        return sample_end
    try:
        _check_blocks(path, limits, quote, resume)
    except _Unsure:
        return _check_exact(path, limits, quote, sample_rows, counted=counted)[0]
    if counted is not None and resume:
        counted["records"] = round(counted.get("records", 0) * path.stat().st_size / resume)
    return sample_end


def _check_blocks(path: Path, limits: Limits, quote: int | None, start: int) -> None:
    """From ``start`` (just after a line end, so outside quotes) to the end of the file, in blocks
    of at most half the limit: the last line end seen before a block is less than the limit away
    from the block's end. A line ending in the block started after that line end, so it is shorter
    than the limit; so is every line inside the block. Each block's last line end is found from
    its end backwards (a newline after an even number of quotes ends a record); when it is not
    found, the older line end is kept, which only makes the check stricter. Raises _Unsure when
    the check fails (the exact check then decides)."""
    block = limits.max_line_bytes // 2
    if block < 1024:
        raise _Unsure  # tiny limits: the exact check is as cheap
    parity = 0
    last_end = start - 1  # file position of the last line end seen (its newline)
    offset = start
    with path.open("rb") as handle:
        handle.seek(start)
        while chunk := handle.read(MiB):
            # Quotes counted with numpy (bytes.count of one byte is ten times slower).
            quotes = None if quote is None else np.frombuffer(chunk, dtype=np.uint8) == quote
            for a in range(0, len(chunk), block):
                b = min(a + block, len(chunk))
                if offset + b - last_end - 1 > limits.max_line_bytes:
                    raise _Unsure
                end = b
                for _ in range(8):
                    end = chunk.rfind(b"\n", a, end)
                    if end < 0:
                        break
                    if quotes is None or (parity + int(np.count_nonzero(quotes[a:end]))) % 2 == 0:
                        last_end = offset + end
                        break
                if quotes is not None:
                    parity = (parity + int(np.count_nonzero(quotes[a:b]))) % 2
            offset += len(chunk)


def _check_exact(
    path: Path,
    limits: Limits,
    quote: int | None,
    sample_rows: int = 0,
    stop_after_sample: bool = False,
    counted: dict | None = None,
) -> tuple[int, int | None]:
    """Every line measured. Returns the sample's end and, with ``stop_after_sample``, where the
    rest of the file starts (just after a line end) when the check stopped early, else None."""
    limit = limits.max_line_bytes
    budget = max(limits.sample_max_bytes, limit + 1)  # the first line always fits
    start = offset = records = parity = 0
    sample_end: int | None = None
    last_end_within_budget = 0
    with path.open("rb") as handle:
        while chunk := handle.read(MiB):
            data = np.frombuffer(chunk, dtype=np.uint8)
            ends = np.flatnonzero(data == 10)
            if quote is not None:
                quotes = np.flatnonzero(data == quote)
                if quotes.size:  # a newline ends a record only outside quotes
                    before = np.searchsorted(quotes, ends) + parity
                    ends = ends[before % 2 == 0]
                    parity = (parity + int(quotes.size)) % 2
                elif parity:
                    ends = ends[:0]
            ends = ends + offset
            if ends.size:
                lengths = np.diff(np.concatenate(([start], ends + 1))) - 1
                too_long = np.flatnonzero(lengths > limit)
                if too_long.size:
                    raise ScanError(line_too_long(limits, records + int(too_long[0]) + 1))
                if sample_end is None:
                    within = ends[ends < budget]
                    if within.size:
                        last_end_within_budget = int(within[-1]) + 1
                    if records + ends.size >= sample_rows:
                        sample_end = int(ends[sample_rows - records - 1]) + 1
                        if sample_end > budget:
                            sample_end = last_end_within_budget
                    elif within.size < ends.size:
                        sample_end = last_end_within_budget
                records += int(ends.size)
                start = int(ends[-1]) + 1
            offset += len(chunk)
            if offset - start > limit:
                raise ScanError(line_too_long(limits, records + 1))
            if stop_after_sample and sample_end is not None:
                if counted is not None:
                    counted["records"] = records
                return min(sample_end, offset), start
    if counted is not None:
        counted["records"] = records + (1 if offset > start else 0)  # a last line without newline
    if sample_end is None:
        sample_end = offset if offset <= budget else last_end_within_budget
    return min(sample_end, offset), None


# --- Header detection (mamori.scan.headers) -------------------------------------------------


def _unique_names(names: Sequence[str | None]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, cell in enumerate(names):
        name = str(cell).strip() if cell not in (None, "") else f"列{i + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name}_{seen[name]}"
        else:
            seen[name] = 0
        out.append(name)
    return out


# --- CSV --------------------------------------------------------------------------------------


class _CsvOptions(TypedDict):
    """What pl.read_csv (the sample) and pl.scan_csv (the whole file) are both given."""

    separator: str
    infer_schema: bool
    quote_char: str
    truncate_ragged_lines: bool
    encoding: Literal["utf8"]


def open_csv(path: Path, display: str, opened: Opened, limits: Limits | None = None) -> None:
    limits = limits or Limits()
    encoding = detect_encoding(path)
    opened.encoding = {"utf-8-sig": "utf-8-sig", "utf-8": "utf-8"}.get(encoding, encoding)
    source = path
    if encoding not in ("utf-8", "utf-8-sig"):
        check_lines(path, limits, quote=None)  # before writing a transcoded copy
        source = to_utf8(path, encoding)
        opened.cleanup.append(source)
    # No record longer than the limit anywhere; the sample is read from the first lines only.
    counted: dict = {}
    sample_end = check_lines(source, limits, quote=ord('"'), sample_rows=SAMPLE_ROWS + 1, counted=counted)
    with source.open("rb") as handle:
        sample_bytes = handle.read(sample_end)
    head = sample_bytes[: 64 * 1024].decode("utf-8-sig", errors="ignore")
    first_lines = head.splitlines()[:20]
    tabs = sum(line.count("\t") for line in first_lines)
    commas = sum(line.count(",") for line in first_lines)
    separator = "\t" if path.suffix.lower() == ".tsv" or tabs > commas else ","
    options = _CsvOptions(
        separator=separator, infer_schema=False, quote_char='"', truncate_ragged_lines=True, encoding="utf8"
    )
    # The header is searched in the first ~30 records, against the widest of them: real exports put
    # a title line (顧客一覧 2026年4月1日出力), a blank line or notes above the header, and a
    # table's width is that of its widest rows, not of its first line.
    try:
        first = list(csv.reader(io.StringIO(head, newline=""), delimiter=separator))[:30] if head else []
    except csv.Error:  # a stray carriage return or NUL: cells split plainly (polars decides later)
        first = [line.split(separator) for line in head.splitlines()[:30]]
    width = max((len(r) for r in first), default=0)
    header_index = choose_header(first, width) if first else None
    if header_index is None:
        # No header: the data starts at the first line that fills half the width (titles skipped).
        skip = next(
            (i for i, r in enumerate(first) if sum(1 for c in r if c.strip()) >= max(1, (width + 1) // 2)), 0
        )
    else:
        skip = header_index
    try:
        raw = pl.read_csv(
            io.BytesIO(sample_bytes), has_header=False, n_rows=SAMPLE_ROWS + 1, skip_rows=skip, **options
        )
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError) as exc:
        if isinstance(exc, pl.exceptions.NoDataError):
            raise ScanError("空のファイルです") from exc
        raise ScanError("CSVとして読めません（区切り文字や引用符の崩れ）") from exc
    rows = [list(r) for r in raw.head(1).iter_rows()]
    if header_index is not None and rows:
        names = _unique_names([c.lstrip("\ufeff") if isinstance(c, str) else c for c in rows[0]])
    else:
        header_index = None
        names = [f"列{i + 1}" for i in range(raw.width)]
    # The header line is sliced off rather than skipped, so that polars sees the same first line
    # (and the same number of columns) as in the sample, even when nothing follows the header.
    frame = pl.scan_csv(source, has_header=False, new_columns=names, skip_rows=skip, **options)
    if header_index is not None:
        frame = frame.slice(1)
    sample = raw.slice(1 if header_index is not None else 0, SAMPLE_ROWS)
    sample.columns = names
    opened.tables.append(
        Table(
            name=display,
            columns=names,
            frame=frame,
            sample=sample,
            header_row=None if header_index is None else header_index + 1,
            records_hint=max(0, counted.get("records", 0) - skip - (1 if header_index is not None else 0)),
        )
    )


# --- Excel ------------------------------------------------------------------------------------


def _cell(value) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def open_xlsx(path: Path, display: str, opened: Opened) -> None:
    from python_calamine import CalamineWorkbook

    from mamori.scan.xlsx_guard import SheetTooLarge, check_xlsx

    try:
        check_xlsx(path)
    except SheetTooLarge as exc:
        raise ScanError(str(exc)) from exc
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types
        raise ScanError(
            "Excelファイルを開けません（暗号化されているか、壊れている可能性があります）"
        ) from exc
    for sheet_name in workbook.sheet_names:
        try:
            values = workbook.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
        except Exception as exc:
            raise ScanError(f"シート「{sheet_name}」を読めません") from exc
        rows = [[_cell(v) for v in row] for row in values]
        if not any(any(c is not None for c in r) for r in rows):
            continue
        width = max(len(r) for r in rows)
        rows = [r + [None] * (width - len(r)) for r in rows]
        used = [j for j in range(width) if any(r[j] is not None for r in rows)]
        rows = [[r[j] for j in used] for r in rows]
        width = len(used)
        header_index = choose_header(rows, width)
        if header_index is None:
            names, data = [f"列{i + 1}" for i in range(width)], rows
        else:
            names, data = _unique_names(rows[header_index]), rows[header_index + 1 :]
        data = [r for r in data if any(c is not None for c in r)]
        frame = pl.DataFrame(data, schema={n: pl.String for n in names}, orient="row")
        opened.tables.append(
            Table(
                name=f"{sheet_name}",
                columns=names,
                frame=frame.lazy(),
                sample=frame.head(SAMPLE_ROWS),
                header_row=None if header_index is None else header_index + 1,
            )
        )


# --- JSON -------------------------------------------------------------------------------------

# Keys that look like data (an e-mail, a name, a phone number as a key) never become column names:
# such an object is read as rows of (列1 = key, 列2 = value), the keys scanned as values.
KEY, VALUE = "列1", "列2"


def _keys(value, out: set[str]) -> None:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            out.update(str(k) for k in item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _labelled(value: dict, labels: dict[str, bool]) -> bool:
    return all(labels.get(str(k), True) for k in value)


def _flatten_dict(value: dict, prefix: str, row: dict, subtables: dict[str, list], labels) -> None:
    pairs = []
    for key, inner in value.items():
        if labels.get(str(key), True):
            _flatten(inner, f"{prefix}.{key}" if prefix else str(key), row, subtables, labels)
        else:
            pairs.append({KEY: key, VALUE: inner})
    if pairs:  # keys that are data: rows of (key, value) in a table of their own
        _flatten(pairs, prefix or "value", row, subtables, labels)


def _flatten(value, prefix: str, row: dict, subtables: dict[str, list], labels: dict[str, bool]) -> None:
    if isinstance(value, dict):
        _flatten_dict(value, prefix, row, subtables, labels)
    elif isinstance(value, list):
        path = f"{prefix}[]"
        for item in value:
            if isinstance(item, dict | list):
                sub: dict = {}
                _flatten(item, path, sub, subtables, labels)
                subtables.setdefault(path, []).append(sub)
            elif item is not None:
                subtables.setdefault(path, []).append({path: _cell(item)})
    elif value is not None:
        row[prefix] = _cell(value)


def _records(data, labels: dict[str, bool]) -> tuple[str, list, dict]:
    """The records of a JSON document: a list, or the first list of objects inside an object. The
    rest of that object (an order's buyer and shipping address next to its line items) is returned
    too and read as a table of its own: an object that holds a list also holds data."""
    if isinstance(data, list):
        return "", data, {}
    if isinstance(data, dict) and _labelled(data, labels):
        for key, value in data.items():
            if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
                return f"{key}[]", value, {k: v for k, v in data.items() if k != key}
    return "", [data], {}


def _tables_from_records(display: str, prefix: str, records: list, opened: Opened, labels) -> None:
    main: list[dict] = []
    subtables: dict[str, list] = {}
    for record in records:
        row: dict = {}
        if isinstance(record, dict):
            _flatten_dict(record, prefix, row, subtables, labels)
        elif isinstance(record, list) and not any(isinstance(v, dict | list) for v in record):
            # A row of cells ([["山田 太郎", "東京都…"], …]): columns by position, like a headerless CSV.
            for i, value in enumerate(record):
                if value is not None:
                    row[f"{prefix}.列{i + 1}" if prefix else f"列{i + 1}"] = _cell(value)
        else:
            _flatten(record, prefix or "value", row, subtables, labels)
        main.append(row)
    for name, rows in [(display, main), *[(f"{display}:{path}", rows) for path, rows in subtables.items()]]:
        columns = list(dict.fromkeys(k for r in rows for k in r))
        if not columns:
            continue
        frame = pl.DataFrame(
            [[r.get(c) for c in columns] for r in rows], schema={c: pl.String for c in columns}, orient="row"
        )
        opened.tables.append(
            Table(name=name, columns=columns, frame=frame.lazy(), sample=frame.head(SAMPLE_ROWS))
        )


def _json_lines(path: Path, encoding: str, limits: Limits) -> Iterator[tuple[int, str]]:
    """The lines of a JSON Lines file, decoded as they are read (no line over the limit)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    pending = ""
    number = 0
    with path.open("rb") as handle:
        while True:
            chunk = handle.read(MiB)
            text = pending + decoder.decode(chunk, final=not chunk)
            *lines, pending = text.split("\n")
            if not chunk:
                lines.append(pending)
            for line in lines:
                number += 1
                if over_limit(line, limits):
                    raise ScanError(line_too_long(limits, number))
                yield number, line
            if over_limit(pending, limits):
                raise ScanError(line_too_long(limits, number + 1))
            if not chunk:
                return


def open_json(path: Path, display: str, opened: Opened, lines: bool, limits: Limits | None = None) -> None:
    limits = limits or Limits()
    if path.stat().st_size > limits.json_max_bytes:
        raise ScanError(
            f"JSONファイルが大きすぎます（上限 {limits.json_max_bytes // MiB} MiB）。"
            "CSV か JSON Lines に分けてください"
        )
    encoding = detect_encoding(path)
    opened.encoding = encoding
    try:
        if lines:
            records = []
            for number, line in _json_lines(path, encoding, limits):
                if line.strip():
                    try:
                        records.append(json.loads(line))
                    except json.JSONDecodeError as exc:
                        raise ScanError(f"JSONとして読めません（{number}行目{exc.colno}文字目）") from exc
            prefix = ""
        else:
            data = json.loads(path.read_text(encoding=encoding))
            records = [data]
        keys: set[str] = set()
        _keys(records, keys)
        labels = label_keys(sorted(keys))
        rest: dict = {}
        if not lines:
            prefix, records, rest = _records(records[0], labels)
        _tables_from_records(display, prefix, records, opened, labels)
        if rest:
            _tables_from_records(f"{display}:(本体)", "", [rest], opened, labels)
    except json.JSONDecodeError as exc:
        raise ScanError(f"JSONとして読めません（{exc.lineno}行目{exc.colno}文字目）") from exc
    except UnicodeDecodeError as exc:
        raise ScanError(f"{encoding} として読めない文字があります。文字コードを確認してください") from exc
    except RecursionError as exc:
        raise ScanError("JSONの入れ子が深すぎます") from exc


# --- ZIP --------------------------------------------------------------------------------------


def zip_members(path: Path, limits: Limits, workdir: Path) -> Iterator[tuple[str, Path | None, str | None]]:
    """Yield (member name, extracted path or None, error or None), enforcing the limits."""
    try:
        archive = zipfile.ZipFile(path)
    except ZIP_ERRORS as exc:
        raise ScanError("ZIPファイルが壊れています") from exc
    with archive:
        infos = [i for i in archive.infolist() if not i.filename.endswith("/")]  # is_dir() fails on ""
        if len(infos) > limits.zip_max_members:
            raise ScanError(f"ZIP内のファイル数が上限（{limits.zip_max_members}件）を超えています")
        total = sum(i.file_size for i in infos)
        if total > limits.zip_max_total_bytes:
            raise ScanError(
                f"ZIPの展開後のサイズが上限（{limits.zip_max_total_bytes // MiB} MiB）を超えています"
            )
        for i, info in enumerate(infos):
            if info.file_size > limits.zip_max_member_bytes:
                yield (
                    info.filename,
                    None,
                    f"展開後のサイズが上限（{limits.zip_max_member_bytes // MiB} MiB）を超えるため展開しません",
                )
                continue
            if info.flag_bits & 0x1:
                yield info.filename, None, "暗号化（パスワード付き）されたファイルは読めません"
                continue
            if info.compress_size and info.file_size / info.compress_size > limits.zip_max_ratio:
                yield (
                    info.filename,
                    None,
                    f"圧縮率が異常に高いため展開しません（上限 {limits.zip_max_ratio} 倍）",
                )
                continue
            target = workdir / f"{i}{Path(info.filename).suffix.lower()[:10]}"
            written = 0
            try:  # streamed to disk, one MiB at a time: memory never holds a member
                with archive.open(info) as src, target.open("wb") as dst:
                    while chunk := src.read(MiB):
                        written += len(chunk)
                        if written > info.file_size or written > limits.zip_max_total_bytes:
                            break
                        dst.write(chunk)
            except ZIP_MEMBER_ERRORS as exc:
                target.unlink(missing_ok=True)
                reason = (
                    "圧縮方式に対応していないため展開できません"
                    if isinstance(exc, NotImplementedError)
                    else "壊れているため展開できません"
                )
                yield info.filename, None, reason
                continue
            if written > info.file_size:
                yield info.filename, None, "ZIP内のサイズ表示と実際のサイズが一致しません"
                continue
            yield info.filename, target, None
