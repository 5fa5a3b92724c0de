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


def _any(cells: Sequence[str], exprs: list[pl.Expr]) -> list[bool]:
    """For each cell, whether any of the expressions over ``v`` holds."""
    if not cells:
        return []
    frame = pl.DataFrame({"v": list(cells)}, schema={"v": pl.String})
    return frame.select(pl.any_horizontal(exprs).fill_null(False)).to_series().to_list()


def _strong_exprs() -> list[pl.Expr]:
    v = pl.col("v")
    strong = [v.str.contains(P.RE[k]) for k in _STRONG]
    strong += [v.str.contains(_NUMBER), v.str.contains("@"), v.str.count_matches(r"\d").fill_null(0) >= 4]
    return strong + [v.str.contains(p) for p in _SPACED_NAME]


def _weak_exprs() -> list[pl.Expr]:
    """The weak value patterns other than the name dictionaries (small, cheap to compile)."""
    v = pl.col("v")
    return [
        v.str.contains(P.RE["address"]),
        v.str.contains(P.RE["prefecture"]),
        v.str.contains(P.RE["gender_word"]),
    ]


# The name dictionaries are large patterns (up to 29 KB, ~35 ms to compile, and polars keeps only
# 32 compiled patterns per thread): they run only on the cells whose kind depends on them.
_DICTIONARIES = ("name_dict", "kana_dict", "romaji_dict")


class _Cells:
    """The kinds of cells, worked out lazily: the cheap patterns run on every cell at once, the
    name dictionaries only on the cells (and rows) whose kind still depends on them."""

    def __init__(self, cells: Sequence[str]):
        self.folded = [_fold(c) for c in cells]
        v = pl.col("v")
        strong = pl.any_horizontal(_strong_exprs()).fill_null(False)
        romaji = v.str.contains(P.RE["romaji_generic"]).fill_null(False)
        weak = pl.any_horizontal(_weak_exprs()).fill_null(False)
        if self.folded:
            frame = pl.DataFrame({"v": self.folded}, schema={"v": pl.String}).select(
                strong.alias("strong"), romaji.alias("romaji"), weak.alias("weak")
            )
            self.strong = frame["strong"].to_list()
            self.romaji = frame["romaji"].to_list()
            self.weak = frame["weak"].to_list()
        else:
            self.strong, self.romaji, self.weak = [], [], []
        self.romaji_checked = [False] * len(self.folded)
        self.dict_checked = [False] * len(self.folded)
        self.kinds: list[str | None] = [None] * len(self.folded)
        self._coverage: dict[int, float] = {}

    def coverage(self, i: int) -> float:
        if i not in self._coverage:
            self._coverage[i] = _vocabulary_coverage(self.folded[i])
        return self._coverage[i]

    def _plain_value(self, i: int) -> bool:
        folded = self.folded[i]
        return not folded or len(folded) > MAX_LABEL_CHARS or any(c in folded for c in "\n\r\t")

    def surely_value(self, i: int) -> bool:
        """A value whatever the name dictionaries say (so a row holding it is data)."""
        if self.kinds[i] is not None:
            return self.kinds[i] == "value"
        if self.strong[i] or self._plain_value(i):
            return True
        return self.weak[i] and not self._label(i)

    def _label(self, i: int) -> bool:
        # Japanese column labels end in a nominal suffix (保険料, 支給額, 手当, 区分, 番号 …); a
        # name from the dictionary does not (健康保険料 starts like a surname, but is a label).
        return self.coverage(i) > 0.5 or re.search(LABEL_SUFFIX, self.folded[i]) is not None

    def _check_romaji(self, indices: Sequence[int]) -> None:
        """Strong also holds a romaji name from the dictionary (TARO YAMADA)."""
        todo = [i for i in indices if self.romaji[i] and not self.strong[i] and not self.romaji_checked[i]]
        names = P.name_patterns()
        for i, hit in zip(
            todo,
            _any([self.folded[i] for i in todo], [pl.col("v").str.contains(names["romaji_dict"])]),
            strict=True,
        ):
            self.strong[i] = hit
            self.romaji_checked[i] = True

    def _check_dictionaries(self, indices: Sequence[int]) -> None:
        """Weak also holds a name from the dictionaries; each dictionary only on the cells not yet
        found weak."""
        todo = [i for i in indices if not self.weak[i] and not self.dict_checked[i]]
        names = P.name_patterns()
        for key in _DICTIONARIES:
            pending = [i for i in todo if not self.weak[i]]
            if not pending:
                break
            if key == "romaji_dict":  # both romaji forms need a space or a comma between the words
                pending = [i for i in pending if " " in self.folded[i] or "," in self.folded[i]]
            hits = _any([self.folded[i] for i in pending], [pl.col("v").str.contains(names[key])])
            for i, hit in zip(pending, hits, strict=True):
                self.weak[i] = hit
        for i in todo:
            self.dict_checked[i] = True

    def kinds_of(self, indices: Sequence[int]) -> list[str]:
        """For each cell: "known" (header vocabulary), "label" (short text, no value) or "value"."""
        pending = [i for i in indices if self.kinds[i] is None]
        self._check_romaji([i for i in pending if not self._plain_value(i)])
        undecided = []
        for i in pending:
            if self.strong[i] or self._plain_value(i):
                self.kinds[i] = "value"
            elif not self.weak[i]:
                coverage = self.coverage(i)
                # Known whatever the dictionaries say: more than half header words, or header
                # words and a label suffix.
                if coverage > 0.5 or (coverage > 0 and re.search(LABEL_SUFFIX, self.folded[i])):
                    self.kinds[i] = "known"
                else:
                    undecided.append(i)
        self._check_dictionaries(undecided)
        for i in pending:
            if self.kinds[i] is not None:
                continue
            if self.weak[i]:
                self.kinds[i] = "known" if self._label(i) else "value"
            else:
                self.kinds[i] = "known" if self.coverage(i) > 0 else "label"
        return [self.kinds[i] or "value" for i in indices]


def value_flags(cells: Sequence[str]) -> list[tuple[bool, bool]]:
    """For each cell: (strong value, weak value). Strong: contact data, dates, numbers, addresses,
    a spaced personal name; weak: a name from the name dataset, a city, a gender word (a known
    header word such as 氏名 may match those too)."""
    kinds = _Cells(cells)
    everything = range(len(kinds.folded))
    kinds._check_romaji(everything)
    kinds._check_dictionaries(everything)
    return list(zip(kinds.strong, kinds.weak, strict=True))


def classify_cells(cells: Sequence[str]) -> list[str]:
    """For each cell: "known" (header vocabulary), "label" (short text, no value) or "value"."""
    return _Cells(cells).kinds_of(range(len(cells)))


def choose_header(rows: Sequence[Sequence[str | None]], width: int, first_only: bool = False) -> int | None:
    """Index of the header row among the first rows (title rows above it allowed), or None.

    A header row fills at least half the width, comes before any such row holding a value, has
    every filled cell a label, and either holds a known header word or sits above a row of values.
    Cells are classified only as far as the decision needs (rows after the first row of data are
    never looked at closely)."""
    rows = list(rows[:30])
    filled_cells = [[str(c) for c in row if c is not None and str(c).strip()] for row in rows]
    cells = _Cells([c for row in filled_cells for c in row])
    starts = [0]
    for row in filled_cells:
        starts.append(starts[-1] + len(row))

    def has_value(i: int) -> bool:
        indices = range(starts[i], starts[i + 1])
        return any(cells.surely_value(j) for j in indices) or "value" in cells.kinds_of(indices)

    best: int | None = None
    best_key: tuple[int, int] | None = None
    for i, row in enumerate(filled_cells):
        if first_only and i > 0:
            break
        filled = len(row)
        if filled < max(1, (width + 1) // 2):
            continue  # a title or a note above the table (作成日 2026-04-01)
        if has_value(i):
            break  # a row of data: the table has started, no header below it
        row_kinds = cells.kinds_of(range(starts[i], starts[i + 1]))
        key = (row_kinds.count("known"), filled)
        if best_key is None or key > best_key:
            best, best_key = i, key
    if best is None or best_key is None:
        return None
    if best_key[0] > 0:
        return best
    # No header word at all: a header only if the row below it holds values.
    if best + 1 < len(rows) and has_value(best + 1):
        return best
    return None


def label_keys(keys: Sequence[str]) -> dict[str, bool]:
    """JSON object keys: which ones are labels (the others are data, kept out of column names)."""
    distinct = list(dict.fromkeys(keys))
    return {k: kind != "value" for k, kind in zip(distinct, classify_cells(distinct), strict=True)}
