"""A company's own Excel check sheet, taken as it is: which worksheet holds the questions, where
its header row is, which column is what, and the questions as they will be asked.

The input is a workbook's layout as plain data (:mod:`mamori.platform.sheet_reader`): per sheet the
cell text, hidden rows and columns, merged ranges and dropdown lists. Nothing here reads a file.

- The question sheet is the one whose header row names a question column (a cover sheet has none).
- The header row is looked for in the first :data:`HEADER_SCAN_ROWS` rows; columns are recognised
  by their usual Japanese names (:data:`SYNONYMS`); hidden columns are never chosen by themselves.
- Merged cells are filled (a 大項目 merged over several rows belongs to each of them), a section
  or subsection is carried down until the next one, hidden rows, empty rows, subtotal rows and
  notes are skipped, and reading stops at the totals of the footer.
- Answers offered as ○/△/×/－ (or はい/いいえ, Yes/No, 適/否 …) in a dropdown, in the header
  (「回答（○・△・×・－）」) or in a legend become scored choices: ○ はい 1, △ 一部 0.5, × いいえ 0,
  － 該当なし (not scored).
- 配点 is the weight (1 when empty); every question is required unless a 必須 column says otherwise.

Problems are codes with parameters (:class:`Issue`); the pages word them in the reader's language.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from mamori.core.checksheets.structure import TYPE_BY_LABEL, TYPES

HEADER_SCAN_ROWS = 30

FIELDS = (
    "section",
    "subsection",
    "number",
    "question",
    "answer",
    "type",
    "choices",
    "weight",
    "required",
    "critical",
    "guidance",
    "key",
    "condition",
)

# Normalised (NFKC, lower case, without spaces, brackets and their content, or "." ":")
SYNONYMS: dict[str, tuple[str, ...]] = {
    "section": ("大項目", "大分類", "分類", "カテゴリ", "カテゴリー", "区分", "セクション", "領域", "分野"),
    "subsection": ("中項目", "中分類", "小項目", "小分類", "サブカテゴリ"),
    "number": ("no", "番号", "項番", "#", "通番", "項目番号", "№"),
    "question": (
        "確認項目",
        "質問",
        "設問",
        "チェック項目",
        "質問事項",
        "質問内容",
        "設問内容",
        "確認事項",
        "確認内容",
        "点検項目",
        "評価項目",
        "要求事項",
        "管理項目",
        "項目",
    ),
    "answer": ("回答", "回答欄", "評価", "自己評価", "判定", "回答結果", "実施状況", "対応状況", "結果"),
    "type": ("回答形式", "回答方法", "回答種別"),
    "choices": ("選択肢",),
    "weight": ("配点", "点数", "重み", "ウェイト", "ウエイト"),
    "required": ("必須", "必須項目"),
    "critical": ("重要", "重要項目", "重点項目", "重要度"),
    "guidance": ("備考", "補足", "ガイダンス", "説明", "解説", "記入例", "注記", "補足説明", "留意事項"),
    "key": ("設問キー",),
    "condition": ("表示条件", "回答条件", "条件"),
}

# What an answer symbol means: yes, partial, no, or not applicable
MEANINGS: dict[str, str] = {
    **dict.fromkeys(
        ("○", "〇", "◯", "はい", "yes", "y", "適", "適合", "可", "実施", "実施済", "済", "有", "あり"), "yes"
    ),
    **dict.fromkeys(("△", "▲", "一部", "一部実施", "一部適合", "部分的", "partial", "一部はい"), "partial"),
    **dict.fromkeys(
        ("×", "✕", "✖", "x", "いいえ", "no", "n", "否", "不適", "不適合", "不可", "未実施", "無", "なし"),
        "no",
    ),
    **dict.fromkeys(
        ("－", "-", "―", "ー", "—", "‐", "−", "該当なし", "n/a", "na", "対象外", "非該当", "該当せず"), "na"
    ),
}
YNP_LABELS = {"yes": "はい", "partial": "一部", "no": "いいえ", "na": "該当なし"}
SCORES = {"yes": 1.0, "partial": 0.5, "no": 0.0}

TOTAL_WORDS = ("合計", "総合計", "総計", "総得点", "得点合計", "合計点", "総合評価", "以上")
SUBTOTAL_WORDS = ("小計", "計", "中計", "平均点", "得点率", "達成率", "得点", "評価点", "点数計")
NOTE_PREFIXES = ("※", "注)", "注:", "(注", "*")
YES_FLAGS = {"○", "〇", "◯", "●", "はい", "yes", "y", "1", "true", "必須", "要", "重要", "◎", "✓", "✔"}
NO_FLAGS = {"×", "✕", "x", "いいえ", "no", "n", "0", "false", "任意", "不要", "-", "－", "―", "ー"}

_BRACKETS = re.compile(r"[(\[【〔<「].*?[)\]】〕>」]")
_SYMBOL_SPLIT = re.compile(r"[・/,、|\s]+")
_LEGEND = re.compile(r"([○〇◯△▲×✕－\-―◎])\s*[:=]")


@dataclass(frozen=True)
class Issue:
    """A problem (``error``) or a skipped row (``skip``): ``code`` and what its words need."""

    code: str
    row: int | None = None  # 1-based, as Excel shows it
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class Preview:
    sheet: str
    sheets: list[dict[str, Any]]
    header_row: int | None  # 1-based
    columns: list[dict[str, Any]]  # letter, header, hidden
    mapping: dict[str, int]  # field -> 0-based column
    structure: dict[str, Any]
    errors: list[Issue]
    skipped: list[Issue]
    answer_symbols: list[str] = field(default_factory=list)  # what the answer column offers

    @property
    def question_count(self) -> int:
        return sum(len(s["questions"]) for s in self.structure.get("sections", []))

    def mapping_letters(self) -> dict[str, str]:
        return {f: column_letter(c) for f, c in self.mapping.items()}


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letter: str) -> int | None:
    letter = letter.strip().upper()
    if not re.fullmatch(r"[A-Z]{1,3}", letter):
        return None
    n = 0
    for ch in letter:
        n = n * 26 + ord(ch) - 64
    return n - 1


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", str(text)).strip().lower()
    return re.sub(r"\s+", "", text)


def _header_key(text: str) -> str:
    key = _BRACKETS.sub("", normalise(text))
    return key.replace(".", "").replace(":", "").replace("*", "").replace("※", "")


def match_header(text: str) -> tuple[str, int] | None:
    """(field, 2 exact / 1 prefix) for a header cell, or None."""
    key = _header_key(text)
    if not key:
        return None
    for name, words in SYNONYMS.items():
        if key in words:
            return name, 2
    best = None
    for name, words in SYNONYMS.items():
        for word in words:
            if len(word) >= 2 and key.startswith(word) and (best is None or len(word) > best[2]):
                best = (name, 1, len(word))
    return (best[0], best[1]) if best else None


def meaning(text: str) -> str | None:
    """yes / partial / no / na for an answer symbol or word, else None."""
    key = normalise(text)
    if key in MEANINGS:
        return MEANINGS[key]
    key = _BRACKETS.sub("", key)
    return MEANINGS.get(key)


def answer_alias(shown: str, labels, allow_na: bool = False) -> str:
    """The label among ``labels`` that ``shown`` means (○ → はい, × → いいえ, － → 該当なし),
    else ``shown`` unchanged: a vendor who types the company's symbols is understood."""
    if shown in labels:
        return shown
    sense = meaning(shown)
    if sense is None:
        return shown
    if sense == "na" and allow_na:
        return "該当なし"
    for label in labels:
        if meaning(label) == sense:
            return label
    return shown


# --- The sheet as a grid ----------------------------------------------------------------------


class Grid:
    """One worksheet's cells with merged ranges filled; 0-based rows and columns."""

    def __init__(self, sheet: dict[str, Any]):
        self.title: str = sheet.get("title", "")
        self.state: str = sheet.get("state", "visible")
        self.raw: list[list[str]] = [[str(c or "") for c in r] for r in sheet.get("rows", [])]
        self.width = max((len(r) for r in self.raw), default=0)
        self.hidden_rows = set(sheet.get("hidden_rows", []))
        self.hidden_cols = set(sheet.get("hidden_cols", []))
        self.merge_of: dict[tuple[int, int], tuple[int, int, int, int]] = {}
        self.cells = [r + [""] * (self.width - len(r)) for r in self.raw]
        for r1, c1, r2, c2 in sheet.get("merged", []):
            r2, c2 = min(r2, len(self.cells) - 1), min(c2, self.width - 1)
            if r1 >= len(self.cells) or c1 >= self.width:
                continue
            value = self.cells[r1][c1]
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    self.merge_of[(r, c)] = (r1, c1, r2, c2)
                    self.cells[r][c] = value
        self.validations: list[tuple[list[list[int]], list[str]]] = [
            (v["ranges"], list(v["values"])) for v in sheet.get("validations", [])
        ]

    @property
    def height(self) -> int:
        return len(self.cells)

    def text(self, r: int, c: int | None) -> str:
        if c is None or r >= self.height or c >= self.width:
            return ""
        return self.cells[r][c].strip()

    def list_at(self, r: int, c: int) -> list[str] | None:
        for ranges, values in self.validations:
            for r1, c1, r2, c2 in ranges:
                if r1 <= r <= r2 and c1 <= c <= c2:
                    return values
        return None

    def column_list(self, c: int, rows: range) -> list[str] | None:
        """The dropdown most cells of column ``c`` in ``rows`` offer."""
        seen: Counter[tuple[str, ...]] = Counter()
        for r in rows:
            values = self.list_at(r, c)
            if values:
                seen[tuple(values)] += 1
        return list(seen.most_common(1)[0][0]) if seen else None


# --- Detection --------------------------------------------------------------------------------


def detect_header(grid: Grid) -> tuple[int | None, dict[str, int]]:
    """The header row (0-based) and the mapping found there: the row naming a question column and
    the most other known columns within the first rows."""
    best: tuple[int, int, dict[str, int]] | None = None
    for r in range(min(HEADER_SCAN_ROWS, grid.height)):
        mapping = auto_mapping(grid, r)
        if "question" not in mapping:
            continue
        score = len(mapping)
        if score >= 2 and (best is None or score > best[0]):
            best = (score, r, mapping)
    if best is None:
        return None, {}
    return best[1], best[2]


def auto_mapping(grid: Grid, header_row: int) -> dict[str, int]:
    found: dict[str, tuple[int, int]] = {}
    for c in range(grid.width):
        if c in grid.hidden_cols:
            continue
        merge = grid.merge_of.get((header_row, c))
        if merge and merge[1] != c:  # the rest of a header merged across columns
            continue
        match = match_header(grid.text(header_row, c))
        if match is None:
            continue
        name, quality = match
        if name not in found or quality > found[name][1]:
            found[name] = (c, quality)
    return {name: c for name, (c, _q) in found.items()}


def _sheet_score(grid: Grid) -> tuple[int, int | None, dict[str, int]]:
    header, mapping = detect_header(grid)
    if header is None:
        return -1, None, {}
    q = mapping["question"]
    rows = sum(1 for r in range(header + 1, grid.height) if grid.text(r, q))
    score = 100 * len(mapping) + rows
    if grid.state != "visible":
        score -= 10_000
    return score, header, mapping


def propose_sheet(sheets: list[Grid]) -> int | None:
    scored = [(s[0], i) for i, g in enumerate(sheets) if (s := _sheet_score(g))[0] >= 0]
    return max(scored)[1] if scored else None


# --- Answer types -----------------------------------------------------------------------------


def symbols_in(text: str) -> list[str]:
    """The answer symbols a header (「回答（○・△・×・－）」) or legend line lists, in order."""
    text = unicodedata.normalize("NFKC", text)
    found: list[str] = []
    for inside in re.findall(r"[(\[【](.*?)[)\]】]", text):
        parts = [p for p in _SYMBOL_SPLIT.split(inside) if p]
        if parts and all(meaning(p) for p in parts):
            found = parts
            break
    if not found:
        found = _LEGEND.findall(text)
    return [p for p in found if meaning(p)]


def question_type(values: list[str]) -> dict[str, Any]:
    """The question's type and choices for the answers a dropdown or a legend offers."""
    values = [v for i, v in enumerate(values) if v and v not in values[:i]]
    senses = [meaning(v) for v in values]
    allow_na = "na" in senses
    scored = [(v, s) for v, s in zip(values, senses, strict=True) if s != "na"]
    if not scored:
        return {"type": "ynp", "allow_na": True}
    if all(s for _v, s in scored):
        kinds = {s for _v, s in scored}
        if "partial" in kinds or (allow_na and kinds == {"yes", "no"}):
            return {"type": "ynp", "allow_na": allow_na}
        if len({s for _v, s in scored}) == len(scored):
            return {
                "type": "single",
                "allow_na": False,
                "choices": [
                    {"value": f"c{i}", "label": v, "score": SCORES[s or "no"]}
                    for i, (v, s) in enumerate(scored)
                ],
            }
    n = len(scored)
    return {
        "type": "single",
        "allow_na": allow_na,
        "choices": [
            {"value": f"c{i}", "label": v, "score": round(1 - i / max(1, n - 1), 2)}
            for i, (v, _s) in enumerate(scored)
        ],
    }


def _legend_symbols(grid: Grid, header: int, answer_col: int | None) -> list[str]:
    if answer_col is not None:
        found = symbols_in(grid.text(header, answer_col))
        if found:
            return found
    for r in [*range(0, header), *range(header + 1, grid.height)]:
        for c in range(grid.width):
            text = grid.text(r, c)
            if len(text) < 200 and _LEGEND.search(unicodedata.normalize("NFKC", text)):
                found = symbols_in(text)
                if len(found) >= 2:
                    return found
    return []


# --- Rows -------------------------------------------------------------------------------------


def _marker(text: str) -> str | None:
    key = _header_key(text)
    if not key or len(key) > 12:
        return None
    for words, kind in ((TOTAL_WORDS, "footer"), (SUBTOTAL_WORDS, "subtotal")):
        for word in words:
            # 「合計」「合計点」「小計（組織的）」「計：」, never a sentence that begins with the word
            if key == word or (len(word) >= 2 and key.startswith(word) and len(key) - len(word) <= 3):
                return kind
    return None


def _weight(text: str) -> float | None:
    text = unicodedata.normalize("NFKC", text).strip().rstrip("点").strip()
    if not text:
        return 1.0
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value >= 0 else None


def _flag(text: str) -> bool | None:
    key = normalise(text)
    if not key:
        return None
    if key in YES_FLAGS:
        return True
    if key in NO_FLAGS:
        return False
    return None


def build(grid: Grid, header: int, mapping: dict[str, int]) -> tuple[dict, list[Issue], list[Issue]]:
    """The structure from the rows under ``header``; the errors and the skipped rows."""
    errors: list[Issue] = []
    skipped: list[Issue] = []
    qcol = mapping.get("question")
    if qcol is None:
        return {"sections": []}, [Issue("no_question_column")], skipped
    body = range(header + 1, grid.height)
    acol = mapping.get("answer")
    column_list = grid.column_list(acol, body) if acol is not None else None
    legend = _legend_symbols(grid, header, acol)
    default_type = question_type(column_list or legend) if (column_list or legend) else None
    rcol = mapping.get("required")
    required_blank = True
    if rcol is not None:
        flags = [_flag(grid.text(r, rcol)) for r in body if r not in grid.hidden_rows]
        if any(f is True for f in flags) and not any(f is False for f in flags):
            required_blank = False  # only the required ones are marked
    sections: dict[str, list[dict]] = {}
    order: list[str] = []
    section = subsection = ""
    n = 0
    for r in body:
        row = r + 1
        cells = [grid.text(r, c) for c in range(grid.width) if c not in grid.hidden_cols]
        if not any(cells):
            continue
        if r in grid.hidden_rows:
            skipped.append(Issue("hidden", row))
            continue
        marks = {_marker(t) for t in cells if t} - {None}
        if "footer" in marks:
            skipped.append(Issue("footer", row))
            break
        if "subtotal" in marks:
            skipped.append(Issue("subtotal", row))
            continue
        text = grid.text(r, qcol)
        merge = grid.merge_of.get((r, qcol))
        banner = (
            merge is not None
            and merge[3] > merge[1]
            and all(grid.merge_of.get((r, c)) == merge for c in range(grid.width) if grid.text(r, c))
        )
        if banner:  # a title merged across the row starts a section
            section, subsection = text, ""
            continue
        value = grid.text(r, mapping["section"]) if "section" in mapping else ""
        if value and value != section:
            section, subsection = value, ""
        if "subsection" in mapping:
            subsection = grid.text(r, mapping["subsection"]) or subsection
        if not text:
            continue
        if merge is not None and merge[0] != r:  # the rest of a question merged over rows
            continue
        if text.startswith(NOTE_PREFIXES):
            skipped.append(Issue("note", row))
            continue
        n += 1
        q: dict[str, Any] = {"key": f"q{n}", "text": text}
        if "key" in mapping and grid.text(r, mapping["key"]):
            q["key"] = grid.text(r, mapping["key"])
        kind: dict[str, Any] | None = None
        if "type" in mapping and grid.text(r, mapping["type"]):
            type_text = grid.text(r, mapping["type"])
            qtype = type_text if type_text in TYPES else TYPE_BY_LABEL.get(type_text)
            if qtype is None:
                errors.append(Issue("unknown_type", row, {"value": type_text}))
                continue
            kind = {"type": qtype, "allow_na": qtype == "ynp"}
            if qtype in ("single", "multiple"):
                raw = grid.text(r, mapping["choices"]) if "choices" in mapping else ""
                labels = [c.strip() for c in re.split(r"[|、,]", raw) if c.strip()]
                if not labels:
                    errors.append(Issue("no_choices", row))
                    continue
                kind["choices"] = question_type(labels).get("choices") or [
                    {"value": f"c{i}", "label": label, "score": round(1 - i / max(1, len(labels) - 1), 2)}
                    for i, label in enumerate(labels)
                ]
                if qtype == "multiple":
                    kind["allow_na"] = False
        elif acol is not None and (cell_list := grid.list_at(r, acol)):
            kind = question_type(cell_list)
        kind = kind or default_type or {"type": "ynp", "allow_na": True}
        weight = _weight(grid.text(r, mapping["weight"])) if "weight" in mapping else 1.0
        if weight is None:
            errors.append(Issue("bad_weight", row, {"value": grid.text(r, mapping["weight"])}))
            continue
        required = required_blank
        if rcol is not None:
            flag = _flag(grid.text(r, rcol))
            required = required_blank if flag is None else flag
        critical = bool(_flag(grid.text(r, mapping["critical"]))) if "critical" in mapping else False
        q.update(kind)
        q["weight"] = weight if q["type"] in ("ynp", "single", "multiple") else 0
        q["required"] = required
        q["critical"] = critical
        q["guidance"] = grid.text(r, mapping["guidance"]) if "guidance" in mapping else ""
        if "number" in mapping and grid.text(r, mapping["number"]):
            q["number"] = grid.text(r, mapping["number"])
        if subsection:
            q["subsection"] = subsection
        if "condition" in mapping and grid.text(r, mapping["condition"]):
            condition = parse_condition(
                grid.text(r, mapping["condition"]), [x for qs in sections.values() for x in qs]
            )
            if condition is None:
                errors.append(Issue("bad_condition", row, {"value": grid.text(r, mapping["condition"])}))
                continue
            q["show_if"] = condition
        q["row"] = row
        title = section or grid.title or "チェックシート"
        if title not in sections:
            sections[title] = []
            order.append(title)
        sections[title].append(q)
    keys = Counter(q["key"] for qs in sections.values() for q in qs)
    for key, count in keys.items():
        if count > 1:
            errors.append(Issue("duplicate_key", None, {"value": key}))
    if not errors and not order:
        errors.append(Issue("no_questions"))
    structure = {
        "sections": [{"key": f"s{i}", "title": t, "questions": sections[t]} for i, t in enumerate(order, 1)]
    }
    return structure, errors, skipped


_CONDITION = re.compile(
    r"^\s*(?:設問\s*(?:キー)?\s*)?(?:no\.?\s*)?(.+?)\s*(?:=|＝|:|：|が|は)\s*(.+?)\s*(?:の場合(?:のみ)?)?\s*$",
    re.I,
)


def condition_text(q: dict[str, Any], qmap: dict[str, dict[str, Any]]) -> str:
    """A question's condition as the template's 表示条件 column writes it: "q1=はい" (the key of
    the earlier question, "=", the label of its answer)."""
    cond = q.get("show_if")
    if not cond:
        return ""
    source = qmap.get(cond.get("question"), {})
    labels = {c["value"]: c["label"] for c in _choices_of(source)}
    return f"{cond.get('question')}={labels.get(cond.get('value'), cond.get('value'))}"


def _choices_of(q: dict[str, Any]) -> list[dict[str, Any]]:
    if q.get("type") == "ynp":
        return [{"value": v, "label": label} for v, label in YNP_LABELS.items() if v != "na"]
    return list(q.get("choices", []))


def parse_condition(text: str, earlier: list[dict[str, Any]]) -> dict[str, str] | None:
    """Read a 表示条件 cell ("q1=はい", "No.3 が ○", "設問3=はい の場合のみ") against the questions
    before it: {"question": key, "value": choice value}, or None when it names no earlier question
    or no answer of it."""
    found = _CONDITION.match(unicodedata.normalize("NFKC", text).strip())
    if not found:
        return None
    ref, wanted = found.group(1).strip(), found.group(2).strip().strip("「」\"'")
    source = next((q for q in earlier if q["key"] == ref), None) or next(
        (q for q in earlier if str(q.get("number", "")).strip() == ref), None
    )
    if source is None or source.get("type") not in ("ynp", "single", "multiple"):
        return None
    options = _choices_of(source)
    by_label = {unicodedata.normalize("NFKC", c["label"]): c["value"] for c in options}
    value = by_label.get(wanted)
    if value is None and source.get("type") == "ynp":
        meant = meaning(wanted)
        value = meant if meant in ("yes", "partial", "no") else None
    if value is None and wanted in {c["value"] for c in options}:
        value = wanted
    return {"question": source["key"], "value": value} if value is not None else None


def preview(
    book: dict[str, Any],
    *,
    sheet: str | None = None,
    header_row: int | None = None,
    mapping: dict[str, int] | None = None,
) -> Preview:
    """What would be imported from ``book``, with the user's choices (a sheet by name, a 1-based
    header row, a mapping field -> 0-based column) where given and what was detected elsewhere."""
    grids = [Grid(s) for s in book.get("sheets", [])]
    proposed = propose_sheet(grids)
    chosen = next((i for i, g in enumerate(grids) if g.title == sheet), None) if sheet else None
    index = chosen if chosen is not None else proposed
    sheets = [
        {"name": g.title, "hidden": g.state != "visible", "proposed": i == proposed}
        for i, g in enumerate(grids)
    ]
    if index is None:
        return Preview("", sheets, None, [], {}, {"sections": []}, [Issue("no_question_sheet")], [])
    grid = grids[index]
    detected_header, detected = detect_header(grid)
    header = header_row - 1 if header_row and 0 < header_row <= grid.height else detected_header
    columns = []
    if header is not None:
        columns = [
            {
                "index": c,
                "letter": column_letter(c),
                "header": grid.text(header, c),
                "hidden": c in grid.hidden_cols,
            }
            for c in range(grid.width)
        ]
    if header is None:
        return Preview(grid.title, sheets, None, columns, {}, {"sections": []}, [Issue("no_header")], [])
    if mapping is not None:
        used = {f: c for f, c in mapping.items() if f in FIELDS and c is not None and 0 <= c < grid.width}
    elif header == detected_header:
        used = detected
    else:
        used = auto_mapping(grid, header)
    structure, errors, skipped = build(grid, header, used)
    acol = used.get("answer")
    symbols = (grid.column_list(acol, range(header + 1, grid.height)) if acol is not None else None) or (
        _legend_symbols(grid, header, acol)
    )
    return Preview(grid.title, sheets, header + 1, columns, used, structure, errors, skipped, symbols)


def saved_structure(structure: dict[str, Any], answer_symbols: list[str] | None = None) -> dict[str, Any]:
    """The structure as stored: without the spreadsheet's row numbers; with the company's own
    answer symbols (○/△/×/－ of the answer column), by what they mean, where they differ from the
    words the portal asks with: {"yes": "○", "partial": "△", "no": "×", "na": "－"}."""
    out: dict[str, Any] = {
        "sections": [
            {**s, "questions": [{k: v for k, v in q.items() if k != "row"} for q in s["questions"]]}
            for s in structure.get("sections", [])
        ]
    }
    symbols: dict[str, str] = {}
    for symbol in answer_symbols or []:
        meant = meaning(symbol)
        if meant in YNP_LABELS and symbol != YNP_LABELS[meant]:
            symbols.setdefault(meant, symbol)
    if symbols:
        out["answer_symbols"] = symbols
    return out
