"""The online question editor: a template's questions as rows of a form, and the form back into a
structure, saved as a new version (imported and built-in sheets alike; sent sheets keep theirs).

Rows keep their question keys (answers stay comparable year over year); new rows get new keys. The
order is the rows' order numbers; a row ticked for removal is left out of the new version only.
"""

from __future__ import annotations

import re

from mamori.core.checksheets.structure import (
    SCORED_TYPES,
    TYPES,
    StructureError,
    choices,
    questions,
    validate,
)

NEW_ROWS = 3
FIELDS = ("section", "order", "text", "type", "weight", "guidance", "choices", "show_if", "key")


def editor_rows(structure: dict) -> list[dict]:
    """One row per question (and NEW_ROWS empty ones to add), as the form shows them."""
    rows = []
    for n, (section, q) in enumerate(questions(structure), start=1):
        cond = q.get("show_if") or {}
        rows.append(
            {
                "key": q["key"],
                "section": section["title"],
                "order": n * 10,
                "text": q["text"],
                "type": q["type"],
                "weight": q.get("weight", 1),
                "required": bool(q.get("required")),
                "critical": bool(q.get("critical")),
                "guidance": q.get("guidance", ""),
                "choices": "|".join(f"{c['label']}={c.get('score', 0)}" for c in q.get("choices", []))
                if q["type"] in ("single", "multiple")
                else "",
                "show_if": f"{cond['question']}={cond['value']}" if cond else "",
            }
        )
    last = rows[-1]["section"] if rows else ""
    for i in range(NEW_ROWS):
        rows.append(
            {
                "key": "",
                "section": last,
                "order": (len(rows) + 1) * 10 + i,
                "text": "",
                "type": "ynp",
                "weight": 1,
                "required": True,
                "critical": False,
                "guidance": "",
                "choices": "",
                "show_if": "",
            }
        )
    return rows


def conditions(structure: dict) -> list[tuple[str, str]]:
    """What a question may be conditional on: each choice of each choice question."""
    out = []
    for _s, q in questions(structure):
        if q["type"] in SCORED_TYPES:
            for c in choices(q):
                out.append((f"{q['key']}={c['value']}", f"{q['text'][:30]}：{c['label']}"))
    return out


def _choices(text: str, before: list[dict]) -> list[dict]:
    labels = [p.strip() for p in re.split(r"[|｜、,]", text) if p.strip()]
    known = {c["label"]: c["value"] for c in before}
    out, used = [], set()
    for i, part in enumerate(labels):
        label, _eq, score = part.partition("=")
        label = label.strip()
        try:
            points = float(score) if score.strip() else round(1 - i / max(1, len(labels) - 1), 2)
        except ValueError as exc:
            raise StructureError([f"選択肢「{part}」の点数は0〜1の数値にしてください。"]) from exc
        value = known.get(label) or f"c{i}"
        while value in used:
            value += "_"
        used.add(value)
        out.append({"value": value, "label": label, "score": max(0.0, min(1.0, points))})
    return out


def structure_from_editor(post, current: dict) -> dict:
    """The edited structure from the posted form (``post``: a QueryDict), validated."""
    before = {q["key"]: q for _s, q in questions(current)}
    count = int(post.get("rows", "0") or 0)
    errors, rows = [], []
    taken = set(before)
    for i in range(count):

        def val(name, i=i):
            return (post.get(f"{name}_{i}") or "").strip()

        if post.get(f"delete_{i}") or not val("text"):
            continue
        key = val("key") if val("key") in before else ""
        if not key:
            n = len(taken) + 1
            while f"q{n}" in taken:
                n += 1
            key = f"q{n}"
            taken.add(key)
        qtype = val("type") if val("type") in TYPES else "ynp"
        try:
            weight = float(val("weight") or 1)
            order = float(val("order") or i)
        except ValueError:
            errors.append(f"「{val('text')[:20]}」: 重みと順番は数値にしてください。")
            continue
        q = {
            # an imported question keeps its 中項目 and No.
            **{k: before[key][k] for k in ("subsection", "number") if k in before.get(key, {})},
            "key": key,
            "text": val("text"),
            "type": qtype,
            "weight": weight if qtype in SCORED_TYPES else 0,
            "required": bool(post.get(f"required_{i}")),
            "critical": bool(post.get(f"critical_{i}")),
            "guidance": val("guidance"),
            "allow_na": qtype == "ynp",
        }
        if qtype in ("single", "multiple"):
            try:
                q["choices"] = _choices(val("choices"), before.get(key, {}).get("choices", []))
            except StructureError as exc:
                errors += exc.errors
                continue
        if val("show_if"):
            source, _eq, value = val("show_if").partition("=")
            q["show_if"] = {"question": source.strip(), "value": value.strip()}
        rows.append((order, i, val("section") or "（未分類）", q))
    if errors:
        raise StructureError(errors)
    rows.sort(key=lambda r: (r[0], r[1]))
    sections: dict[str, list] = {}
    for _o, _i, title, q in rows:
        sections.setdefault(title, []).append(q)
    old_keys = {s["title"]: s["key"] for s in current.get("sections", [])}
    structure = {
        "sections": [
            {"key": old_keys.get(title, f"s{n}"), "title": title, "questions": qs}
            for n, (title, qs) in enumerate(sections.items(), start=1)
        ]
    }
    if current.get("answer_symbols"):  # the company's own ○/△/×/－, kept through the edit
        structure["answer_symbols"] = current["answer_symbols"]
    seen = set()
    for section in structure["sections"]:  # a new section must not take an old section's key
        while section["key"] in seen:
            section["key"] += "_"
        seen.add(section["key"])
    validate(structure)
    return structure
