"""Is a cell a column label or a value? Decides header rows and JSON keys conservatively.

A file without a header row must not turn its first person's name, address or phone number into
column names (they would flow into data sets, incident timelines and the trail). A cell is a label
only when it looks like one: known header vocabulary, or short text that no detector classifies as
a value (e-mail, phone, postal code, date, digits, an address, a personal name from the name
dataset). Everything else makes the row data, and the columns are named 列1, 列2…
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import polars as pl

from mamori.scan import patterns as P

MAX_LABEL_CHARS = 40

# Generic column labels that are not personal data but that the name dictionaries happen to match
# (所属, 金額, タイトル …); matched like the header hints, on the normalised cell.
COMMON_LABELS = (
    r"所属|金額|価格|単価|数量|合計|小計|税額|日付|日時|区分|種別|種類|状態|状況|ステータス|タイトル|件名|"
    r"名称|商品|品名|品番|部署|部門|役職|職業|年齢|国籍|都市|地域|店舗|支店|会社|企業|団体|取引先|担当|"
    r"登録|更新|作成|削除|開始|終了|期限|期間|予定|実績|結果|評価|点数|ランク|ポイント|備考|"
    r"firstname|lastname|givenname|familyname|surname|middlename|username|nickname|title|status|date|type"
)

LABEL_SUFFIX = r"(?:料|額|費|数|率|手当|税|金|区分|番号|コード|名称|日付|年月日|時刻)$"

# A value whatever else it looks like: contact data, dates, codes, numbers.
_STRONG = (
    "email",
    "phone",
    "phone_digits",
    "postal",
    "date_western",
    "date_wareki",
    "ipv4",
    "card_shape",
    "my_number_shape",
    "corporate_shape",
    "passport",
    "address_full",
    "street",
)
_NUMBER = r"^[-+¥$€£]?[\d,.\s]+[%円]?$"
_SPACED_NAME = (
    r"^[\p{Han}々〆ヶ]{1,5}[ \u3000]+" + P.NAME_TAIL + "$",
    r"^[\p{Katakana}ー]{1,10}[ \u3000]+[\p{Katakana}ー]{1,10}$",
    r"^[\p{Hiragana}ー]{1,10}[ \u3000]+[\p{Hiragana}ー]{1,10}$",
)


def _vocabulary_coverage(cell: str) -> float:
    """Share of the normalised cell covered by known header words (0 when none)."""
    text = P.normalise_header(cell)
    if not text:
        return 0.0
    patterns = [p for _, p in P.HINTS] + [P.ID_HINTS, P.FREE_TEXT_HINTS, COMMON_LABELS]
    covered = [False] * len(text)
    for pattern in patterns:
        for m in re.finditer(pattern, text):
            for i in range(m.start(), m.end()):
                covered[i] = True
    return sum(covered) / len(text)


def _fold(cell: str) -> str:
    return unicodedata.normalize("NFKC", cell).strip()


def value_flags(cells: Sequence[str]) -> list[tuple[bool, bool]]:
    """For each cell: (strong value, weak value). Strong: contact data, dates, numbers, addresses,
    a spaced personal name; weak: a name from the name dataset, a city, a gender word (a known
    header word such as 氏名 may match those too)."""
    if not cells:
        return []
    folded = [_fold(c) for c in cells]
    names = P.name_patterns()
    v = pl.col("v")
    strong = [v.str.contains(P.RE[k]) for k in _STRONG]
    strong += [v.str.contains(_NUMBER), v.str.contains("@"), v.str.count_matches(r"\d").fill_null(0) >= 4]
    strong += [v.str.contains(p) for p in _SPACED_NAME]
    strong += [v.str.contains(P.RE["romaji_generic"]) & v.str.contains(names["romaji_dict"])]
    weak = [
        v.str.contains(names["name_dict"]),
        v.str.contains(names["kana_dict"]),
        v.str.contains(names["romaji_dict"]),
        v.str.contains(P.RE["address"]),
        v.str.contains(P.RE["prefecture"]),
        v.str.contains(P.RE["gender_word"]),
    ]
    frame = pl.DataFrame({"v": folded}, schema={"v": pl.String}).select(
        pl.any_horizontal(strong).fill_null(False).alias("strong"),
        pl.any_horizontal(weak).fill_null(False).alias("weak"),
    )
    return list(zip(frame["strong"].to_list(), frame["weak"].to_list(), strict=True))


def classify_cells(cells: Sequence[str]) -> list[str]:
    """For each cell: "known" (header vocabulary), "label" (short text, no value) or "value"."""
    out = []
    for cell, (strong, weak) in zip(cells, value_flags(cells), strict=True):
        folded = _fold(cell)
        if strong or not folded or len(folded) > MAX_LABEL_CHARS or any(c in folded for c in "\n\r\t"):
            out.append("value")
            continue
        coverage = _vocabulary_coverage(folded)
        if weak:
            # Japanese column labels end in a nominal suffix (保険料, 支給額, 手当, 区分, 番号 …); a
            # name from the dictionary does not (健康保険料 starts like a surname, but is a label).
            label = coverage > 0.5 or re.search(LABEL_SUFFIX, folded) is not None
            out.append("known" if label else "value")
        else:
            out.append("known" if coverage > 0 else "label")
    return out


def choose_header(rows: Sequence[Sequence[str | None]], width: int, first_only: bool = False) -> int | None:
    """Index of the header row among the first rows (title rows above it allowed), or None.

    A header row fills at least half the width, comes before any such row holding a value, has
    every filled cell a label, and either holds a known header word or sits above a row of values."""
    rows = list(rows[:30])
    cells = [str(c) for row in rows for c in row if c is not None and str(c).strip()]
    kinds = iter(classify_cells(cells))
    per_row: list[list[str]] = []
    for row in rows:
        per_row.append([next(kinds) for c in row if c is not None and str(c).strip()])
    best: int | None = None
    best_key: tuple[int, int] | None = None
    for i, row_kinds in enumerate(per_row):
        if first_only and i > 0:
            break
        filled = len(row_kinds)
        if filled < max(1, (width + 1) // 2):
            continue  # a title or a note above the table (作成日 2026-04-01)
        if "value" in row_kinds:
            break  # a row of data: the table has started, no header below it
        key = (row_kinds.count("known"), filled)
        if best_key is None or key > best_key:
            best, best_key = i, key
    if best is None or best_key is None:
        return None
    if best_key[0] > 0:
        return best
    # No header word at all: a header only if the row below it holds values.
    if best + 1 < len(per_row) and "value" in per_row[best + 1]:
        return best
    return None


def label_keys(keys: Sequence[str]) -> dict[str, bool]:
    """JSON object keys: which ones are labels (the others are data, kept out of column names)."""
    distinct = list(dict.fromkeys(keys))
    return {k: kind != "value" for k, kind in zip(distinct, classify_cells(distinct), strict=True)}
