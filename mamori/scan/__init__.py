"""The scanner: find personal data in files and count it, never keeping a raw value.

Pure library (no Django). ``scan_paths(paths)`` returns the JSON contract of ``mamori scan``::

    {"files": [{"path", "format", "encoding", "error", "tables": [...], "summary": {...}}], "summary": {...}}
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import polars as pl

from mamori.core import vocabulary
from mamori.scan import patterns as P
from mamori.scan.engine import scan_table
from mamori.scan.readers import (
    Limits,
    Opened,
    ScanError,
    detect_encoding,
    detect_format,
    open_csv,
    open_json,
    open_xlsx,
    zip_members,
)
from mamori.scan.text import scan_text

log = logging.getLogger(__name__)

__all__ = ["Limits", "ScanError", "scan_file", "scan_paths", "summarise"]

ProgressFactory = Callable[[str, int], Callable[[int], None] | None]
# Called with the fraction (0.0–1.0) of the file read so far; never changes the result.
OnProgress = Callable[[float], None]
# Tables with fewer records are read in one go (a progress bar would only slow them down).
PROGRESS_MIN_RECORDS = 400_000


def _people(counted: list[dict]) -> dict:
    """The people of several tables or files: their sum, exact only when every part is exact; the
    range adds up the parts' ranges (an exact part counts as [n, n])."""
    if not counted:
        return {
            "individuals_exact": False,
            "individuals_range": None,
            "individuals_basis": "人を特定できる列（ID・メールアドレス・氏名など）が見つかりませんでした",
        }
    exact = all(t.get("individuals_exact", False) for t in counted)
    if exact:
        people_range = None
    else:
        lows = [(t.get("individuals_range") or [t["individuals"]] * 2)[0] for t in counted]
        highs = [(t.get("individuals_range") or [t["individuals"]] * 2)[1] for t in counted]
        people_range = [sum(lows), sum(highs)]
    bases = [t.get("individuals_basis", "") for t in counted if t.get("individuals_basis")]
    if len(counted) == 1 and bases:
        basis = bases[0]
    else:
        basis = f"{len(counted)}つの表のそれぞれのキーで数えた人数の合計です" + (
            "（すべてIDなどで数えた正確な人数）"
            if exact
            else "（推定を含みます。表をまたいだ同じ人は重複して数えます）"
        )
    return {"individuals_exact": exact, "individuals_range": people_range, "individuals_basis": basis}


def summarise(tables: list[dict]) -> dict:
    rows = sum(t["rows"] for t in tables)
    counted = [t for t in tables if t.get("individuals") is not None]
    types: dict[str, int] = {}
    non_personal: dict[str, int] = {}
    for t in tables:
        for kind, n in t.get("type_counts", {}).items():
            target = non_personal if kind in P.NON_PERSONAL_TYPES else types
            target[kind] = target.get(kind, 0) + n
    special = sorted({c for t in tables for c in t.get("special_care", [])})
    unconfirmed = sorted({c for t in tables for c in t.get("special_care_unconfirmed", [])} - set(special))
    found = [k for k, n in types.items() if n]
    return {
        "rows": rows,
        "individuals": sum(t["individuals"] for t in counted) if counted else None,
        "individuals_key": [k for t in counted for k in t["individuals_key"]],
        **_people(counted),
        "types": dict(sorted(types.items())),
        "special_care": special,
        "special_care_unconfirmed": unconfirmed,
        "financial": vocabulary.is_financial(found),
        "financial_conditional": [i.code for i in vocabulary.financial_unresolved(found)],
        "my_number": vocabulary.has_my_number(found),
        "personal_data": bool(types),
        "non_personal": non_personal,
    }


PEOPLE_KEYS = (
    "individuals",
    "individuals_key",
    "individuals_exact",
    "individuals_range",
    "individuals_basis",
)


def _public(table: dict) -> dict:
    hidden = ("type_counts", "special_care", "special_care_unconfirmed", *PEOPLE_KEYS)
    return {k: v for k, v in table.items() if k not in hidden} | {
        "individuals": table["individuals"],
        "individuals_key": table["individuals_key"],
        "individuals_exact": table.get("individuals_exact", False),
        "individuals_range": table.get("individuals_range"),
        "individuals_basis": table.get("individuals_basis", ""),
    }


def scan_file(
    path: Path,
    display: str | None = None,
    *,
    limits: Limits | None = None,
    progress: ProgressFactory | None = None,
    on_progress: OnProgress | None = None,
    depth: int = 0,
    strict: bool = False,
) -> list[dict]:
    """Scan one file; a ZIP yields one entry per member. Errors are reported, never raised
    (``strict``: an error other than ScanError is raised, for the fuzz tests). ``on_progress`` is
    told the fraction of the file read: within a large counted table (CSV) as its records are
    read, otherwise table by table; a ZIP's members are not followed inside."""
    limits = limits or Limits()
    display = display or str(path)
    entry: dict[str, Any] = {
        "path": display,
        "format": None,
        "encoding": None,
        "error": None,
        "tables": [],
        "summary": summarise([]),
    }
    opened = Opened(format="")
    try:
        if not path.is_file():
            raise ScanError("ファイルが見つかりません")
        fmt = detect_format(path)
        entry["format"] = fmt
        if fmt == "zip":
            if depth >= limits.zip_max_depth:
                raise ScanError("入れ子が深すぎるZIPは展開しません")
            members = _scan_zip(path, display, limits, progress, depth, strict)
            return [entry | {"summary": _merge([m["summary"] for m in members])}, *members]
        tables: list[dict] = []
        if fmt == "text":
            encoding = detect_encoding(path)
            entry["encoding"] = encoding
            tables.append(scan_text(path, encoding, limits) | {"name": Path(display).name})
        else:
            if fmt == "csv":
                open_csv(path, Path(display).name, opened, limits)
            elif fmt == "xlsx":
                open_xlsx(path, Path(display).name, opened)
            else:
                open_json(path, Path(display).name, opened, lines=fmt == "jsonl", limits=limits)
            entry["encoding"] = opened.encoding
            size = path.stat().st_size
            n = len(opened.tables)
            for index, table in enumerate(opened.tables):
                callback = progress(f"{display} {table.name}", size) if progress else None
                if on_progress is not None:
                    on_progress(index / n)
                    if callback is None and (table.records_hint or 0) >= PROGRESS_MIN_RECORDS:
                        callback = _fraction(on_progress, index, n, table.records_hint or 1)
                try:
                    tables.append(asdict(scan_table(table, callback)))
                except pl.exceptions.PolarsError as exc:  # read lazily: a fault further in the file
                    raise ScanError(
                        "ファイルの途中に読めない箇所があります（区切り文字や引用符の崩れ、列数の不一致）"
                    ) from exc
        entry["tables"] = [_public(t) for t in tables]
        entry["summary"] = summarise(tables)
        if on_progress is not None:
            on_progress(1.0)
    except ScanError as exc:
        entry["error"] = str(exc)
    except Exception as exc:  # an unreadable file must not stop the others; no content in the message
        if strict:
            raise
        log.debug("scan failed for %s: %s", display, type(exc).__name__)
        entry["error"] = "読み取れませんでした。ファイルが壊れていないか確認してください"
    finally:
        for tmp in opened.cleanup:
            tmp.unlink(missing_ok=True)
    return [entry]


def _fraction(on_progress: OnProgress, index: int, n: int, records: int) -> Callable[[int], None]:
    """Rows read of table ``index`` of ``n`` (``records`` in it) → the fraction of the file."""
    done = 0

    def update(rows: int) -> None:
        nonlocal done
        done += rows
        on_progress((index + min(done / records, 1.0)) / n)

    return update


def _scan_zip(path: Path, display: str, limits: Limits, progress, depth: int, strict: bool) -> list[dict]:
    entries: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="mamori-zip-") as workdir:
        for member, extracted, error in zip_members(path, limits, Path(workdir)):
            name = f"{display}!{member}"
            if extracted is None:  # not extracted: the error says why
                entries.append(
                    {
                        "path": name,
                        "format": None,
                        "encoding": None,
                        "error": error,
                        "tables": [],
                        "summary": summarise([]),
                    }
                )
                continue
            entries += scan_file(
                extracted, name, limits=limits, progress=progress, depth=depth + 1, strict=strict
            )
            extracted.unlink(missing_ok=True)
    return entries


def scan_paths(
    paths: Iterable[str | Path],
    *,
    limits: Limits | None = None,
    progress: ProgressFactory | None = None,
    on_progress: OnProgress | None = None,
) -> dict:
    """``on_progress`` is told the fraction of all the files read so far (each file an equal part)."""
    files: list[dict] = []
    paths = list(paths)
    for i, p in enumerate(paths):
        share = None
        if on_progress is not None:
            share = _share(on_progress, i, len(paths))
        files += scan_file(Path(p), str(p), limits=limits, progress=progress, on_progress=share)
    # A ZIP's own entry repeats its members' totals: count the members only.
    overall = _merge([f["summary"] for f in files if f["format"] != "zip"])
    return {"files": files, "summary": overall}


def _share(on_progress: OnProgress, index: int, n: int) -> OnProgress:
    def update(fraction: float) -> None:
        on_progress((index + fraction) / n)

    return update


def _merge(summaries: list[dict]) -> dict:
    types: dict[str, int] = {}
    non_personal: dict[str, int] = {}
    for s in summaries:
        for k, v in s["types"].items():
            types[k] = types.get(k, 0) + v
        for k, v in s["non_personal"].items():
            non_personal[k] = non_personal.get(k, 0) + v
    counted = [s for s in summaries if s["individuals"] is not None]
    found = [k for k, n in types.items() if n]
    special = sorted({c for s in summaries for c in s["special_care"]})
    return {
        "rows": sum(s["rows"] for s in summaries),
        "individuals": sum(s["individuals"] for s in counted) if counted else None,
        "individuals_key": [k for s in summaries for k in s["individuals_key"]],
        **_people(counted),
        "types": dict(sorted(types.items())),
        "special_care": special,
        "special_care_unconfirmed": sorted(
            {c for s in summaries for c in s.get("special_care_unconfirmed", [])} - set(special)
        ),
        "financial": vocabulary.is_financial(found),
        "financial_conditional": [i.code for i in vocabulary.financial_unresolved(found)],
        "my_number": vocabulary.has_my_number(found),
        "personal_data": any(s["personal_data"] for s in summaries),
        "non_personal": non_personal,
    }
