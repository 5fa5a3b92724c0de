"""The structure of a check sheet (a template version), as stored JSON and validated here.

{"sections": [{"key": "s1", "title": "...", "questions": [
    {"key": "q1", "text": "...", "type": "ynp", "weight": 2, "required": true, "critical": false,
     "guidance": "...", "choices": [{"value": "a", "label": "...", "score": 1.0}], "allow_na": true}]}]}
"""

from __future__ import annotations

TYPES = {
    "ynp": "はい／いいえ／一部／該当なし",
    "single": "単一選択",
    "multiple": "複数選択",
    "text": "自由記述",
    "number": "数値",
    "date": "日付",
    "file": "証跡ファイル",
}
TYPE_BY_LABEL = {v: k for k, v in TYPES.items()} | {
    "はい/いいえ": "ynp",
    "はい／いいえ": "ynp",
    "選択": "single",
    "記述": "text",
    "ファイル": "file",
    "証跡": "file",
}
YNP_CHOICES = [
    {"value": "yes", "label": "はい", "score": 1.0},
    {"value": "partial", "label": "一部", "score": 0.5},
    {"value": "no", "label": "いいえ", "score": 0.0},
]
SCORED_TYPES = ("ynp", "single", "multiple")


class StructureError(ValueError):
    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def questions(structure: dict):
    for section in structure.get("sections", []):
        for q in section.get("questions", []):
            yield section, q


def question_map(structure: dict) -> dict[str, dict]:
    return {q["key"]: q for _s, q in questions(structure)}


def choices(q: dict) -> list[dict]:
    return YNP_CHOICES if q["type"] == "ynp" else q.get("choices", [])


def validate(structure: dict) -> None:
    errors, keys = [], set()
    sections = structure.get("sections")
    if not sections:
        raise StructureError(["セクションがありません。"])
    for section in sections:
        if not section.get("title"):
            errors.append("セクション名が空です。")
        for q in section.get("questions", []):
            where = f"{section.get('title', '')}／{q.get('text', '')[:20]}"
            if q.get("key") in keys:
                errors.append(f"{where}: 設問キー {q.get('key')} が重複しています。")
            keys.add(q.get("key"))
            if q.get("type") not in TYPES:
                errors.append(
                    f"{where}: 回答形式 {q.get('type')!r} は使えません（{'、'.join(TYPES.values())}）。"
                )
            if q.get("type") in ("single", "multiple") and not q.get("choices"):
                errors.append(f"{where}: 選択肢がありません。")
            if not isinstance(q.get("weight", 1), int | float) or q.get("weight", 1) < 0:
                errors.append(f"{where}: 重みは0以上の数値にしてください。")
    qmap = question_map(structure)
    order = [q.get("key") for _s, q in questions(structure)]
    for _s, q in questions(structure):
        cond = q.get("show_if")
        if not cond:
            continue
        source = qmap.get(cond.get("question"))
        where = q.get("text", "")[:20]
        if source is None or order.index(source["key"]) >= order.index(q["key"]):
            errors.append(f"{where}: 表示条件の設問は、この設問より前の設問にしてください。")
        elif source["type"] not in SCORED_TYPES or cond.get("value") not in [
            c["value"] for c in choices(source)
        ]:
            errors.append(
                f"{where}: 表示条件の回答「{cond.get('value')}」は、条件の設問の選択肢にありません。"
            )
    if not keys:
        errors.append("設問がありません。")
    if errors:
        raise StructureError(errors)
