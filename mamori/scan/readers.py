"""Reading files into tables of strings: CSV/TSV (any Japanese encoding), Excel, JSON, JSON Lines,
plain text and ZIP archives. Nothing here keeps or prints a cell value."""

from __future__ import annotations

import codecs
import datetime as dt
import json
import os
import re
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TypedDict

import polars as pl

from mamori.scan import patterns

SAMPLE_ROWS = 2000
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


@dataclass
class TextDoc:
    name: str
    path: Path
    encoding: str


@dataclass
class Limits:
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
        except zipfile.BadZipFile as exc:
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


# --- Header detection -------------------------------------------------------------------------

_VALUE_SIGNS = [
    re.compile(p) for p in (patterns.RE["email"], r"^\d[\d\-/.: ]{5,}$", patterns.RE["date_wareki"], r"^\d+$")
]


def looks_like_data(cell: str) -> bool:
    cell = cell.strip()
    return any(p.search(cell) for p in _VALUE_SIGNS)


def header_score(row: Sequence[str | None]) -> tuple[int, int, int]:
    cells = [str(c).strip() for c in row if c is not None and str(c).strip()]
    hints = sum(
        1
        for c in cells
        if patterns.header_hints(c) or patterns.is_id_header(c) or patterns.is_free_text_header(c)
    )
    data = sum(1 for c in cells if looks_like_data(c))
    return hints, data, len(cells)


def choose_header(rows: Sequence[Sequence[str | None]], width: int) -> int | None:
    """Index of the header row among the first rows (title rows above it allowed), or None."""
    best: int | None = None
    best_key: tuple[int, int] | None = None
    for i, row in enumerate(rows[:30]):
        hints, data, filled = header_score(row)
        if data > 0 or filled < max(1, (width + 1) // 2):
            continue
        key = (hints, filled)
        if best_key is None or key > best_key:
            best, best_key = i, key
    if best is None or best_key is None:
        return None
    if best_key[0] > 0:
        return best
    # No header hint at all: a header only if the row below it looks like data.
    if best + 1 < len(rows) and header_score(rows[best + 1])[1] > 0:
        return best
    return None


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


def open_csv(path: Path, display: str, opened: Opened) -> None:
    encoding = detect_encoding(path)
    opened.encoding = {"utf-8-sig": "utf-8-sig", "utf-8": "utf-8"}.get(encoding, encoding)
    source = path
    if encoding not in ("utf-8", "utf-8-sig"):
        source = to_utf8(path, encoding)
        opened.cleanup.append(source)
    with source.open("rb") as handle:
        head = handle.read(64 * 1024).decode("utf-8-sig", errors="ignore")
    first_lines = head.splitlines()[:20]
    tabs = sum(line.count("\t") for line in first_lines)
    commas = sum(line.count(",") for line in first_lines)
    separator = "\t" if path.suffix.lower() == ".tsv" or tabs > commas else ","
    options = _CsvOptions(
        separator=separator, infer_schema=False, quote_char='"', truncate_ragged_lines=True, encoding="utf8"
    )
    try:
        raw = pl.read_csv(source, has_header=False, n_rows=SAMPLE_ROWS + 1, **options)
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError) as exc:
        if isinstance(exc, pl.exceptions.NoDataError):
            raise ScanError("空のファイルです") from exc
        raise ScanError("CSVとして読めません（区切り文字や引用符の崩れ）") from exc
    rows = [list(r) for r in raw.head(30).iter_rows()]
    header_index = choose_header(rows[:2], raw.width) if rows else None
    if header_index == 0:
        names = _unique_names([c.lstrip("\ufeff") if isinstance(c, str) else c for c in rows[0]])
    else:
        header_index = None
        names = [f"列{i + 1}" for i in range(raw.width)]
    frame = pl.scan_csv(
        source, has_header=False, skip_rows=1 if header_index == 0 else 0, new_columns=names, **options
    )
    sample = raw.slice(1 if header_index == 0 else 0, SAMPLE_ROWS)
    sample.columns = names
    opened.tables.append(
        Table(
            name=display,
            columns=names,
            frame=frame,
            sample=sample,
            header_row=1 if header_index == 0 else None,
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


def _flatten(value, prefix: str, row: dict, subtables: dict[str, list]) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _flatten(inner, f"{prefix}.{key}" if prefix else str(key), row, subtables)
    elif isinstance(value, list):
        path = f"{prefix}[]"
        for item in value:
            if isinstance(item, dict | list):
                sub: dict = {}
                _flatten(item, path, sub, subtables)
                subtables.setdefault(path, []).append(sub)
            elif item is not None:
                subtables.setdefault(path, []).append({path: _cell(item)})
    elif value is not None:
        row[prefix] = _cell(value)


def _records(data) -> tuple[str, list]:
    if isinstance(data, list):
        return "", data
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
                return f"{key}[]", value
        return "", [data]
    return "", [data]


def _tables_from_records(display: str, prefix: str, records: list, opened: Opened) -> None:
    main: list[dict] = []
    subtables: dict[str, list] = {}
    for record in records:
        row: dict = {}
        if isinstance(record, dict):
            for key, value in record.items():
                _flatten(value, f"{prefix}.{key}" if prefix else str(key), row, subtables)
        else:
            _flatten(record, prefix or "value", row, subtables)
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


def open_json(path: Path, display: str, opened: Opened, lines: bool) -> None:
    encoding = detect_encoding(path)
    opened.encoding = encoding
    text = path.read_text(encoding=encoding)
    try:
        if lines:
            records = [json.loads(line) for line in text.splitlines() if line.strip()]
            prefix = ""
        else:
            prefix, records = _records(json.loads(text))
    except json.JSONDecodeError as exc:
        raise ScanError(f"JSONとして読めません（{exc.lineno}行目{exc.colno}文字目）") from exc
    _tables_from_records(display, prefix, records, opened)


# --- ZIP --------------------------------------------------------------------------------------


def zip_members(path: Path, limits: Limits, workdir: Path) -> Iterator[tuple[str, Path | None, str | None]]:
    """Yield (member name, extracted path or None, error or None), enforcing the limits."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise ScanError("ZIPファイルが壊れています") from exc
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
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
            target = workdir / f"{i}{Path(info.filename).suffix.lower()}"
            written = 0
            with archive.open(info) as src, target.open("wb") as dst:
                while chunk := src.read(MiB):
                    written += len(chunk)
                    if written > info.file_size or written > limits.zip_max_total_bytes:
                        break
                    dst.write(chunk)
            if written > info.file_size:
                yield info.filename, None, "ZIP内のサイズ表示と実際のサイズが一致しません"
                continue
            yield info.filename, target, None
