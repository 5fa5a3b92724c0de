"""Excel round trips: a template's questions as rows (and back), a vendor's answers as a
workbook (and back, for vendors who prefer Excel)."""

from __future__ import annotations

import io

from django.db import transaction

from mamori.checksheets.actions.answering import answers_dict, save_answer
from mamori.checksheets.actions.errors import ChecksheetError
from mamori.checksheets.models import Assessment, Recipient
from mamori.core.checksheets import scoring
from mamori.core.checksheets.sheet_import import answer_alias
from mamori.core.checksheets.structure import (
    TYPE_BY_LABEL,
    TYPES,
    StructureError,
    question_map,
    questions,
    validate,
)
from mamori.platform.tables import append_row

EXCEL_HEADERS = ["セクション", "設問", "回答形式", "重み", "必須", "重要", "選択肢", "ガイダンス", "設問キー"]


def structure_from_rows(rows: list[list[str]]) -> dict:
    """One question per row: section, question, type, weight, required, critical, choices, guidance, key."""
    if not rows:
        raise StructureError(["行がありません。"])
    header = [str(h).replace("（必須）", "").strip() for h in rows[0]]
    missing = [h for h in ("セクション", "設問") if h not in header]
    if missing:
        raise StructureError([f"列が足りません：{'、'.join(missing)}。テンプレートから作成してください。"])
    idx = {h: header.index(h) for h in EXCEL_HEADERS if h in header}
    errors, sections, order = [], {}, []
    for n, row in enumerate(rows[1:], start=2):

        def cell(name, row=row):
            i = idx.get(name)
            return str(row[i]).strip() if i is not None and i < len(row) and row[i] is not None else ""

        if not any(str(c).strip() for c in row if c is not None):
            continue
        section, text = cell("セクション"), cell("設問")
        if not section or not text:
            errors.append(f"行{n}: セクションと設問は必須です。")
            continue
        type_text = cell("回答形式") or "ynp"
        qtype = type_text if type_text in TYPES else TYPE_BY_LABEL.get(type_text)
        if qtype is None:
            errors.append(f"行{n}: 回答形式「{type_text}」は使えません（{'、'.join(TYPES.values())}）。")
            continue
        try:
            weight = float(cell("重み") or 1)
            if weight < 0:
                raise ValueError
        except ValueError:
            errors.append(f"行{n}: 重み「{cell('重み')}」は0以上の数値にしてください。")
            continue
        q = {
            "key": cell("設問キー") or f"q{n}",
            "text": text,
            "type": qtype,
            "weight": weight if qtype in ("ynp", "single", "multiple") else 0,
            "required": cell("必須") not in ("", "いいえ", "no", "0", "×"),
            "critical": cell("重要") in ("○", "はい", "yes", "1", "◯"),
            "guidance": cell("ガイダンス"),
            "allow_na": qtype == "ynp",
        }
        if qtype in ("single", "multiple"):
            labels = [
                c.strip() for c in cell("選択肢").replace("、", "|").replace(",", "|").split("|") if c.strip()
            ]
            if not labels:
                errors.append(
                    f"行{n}: 選択肢を「|」区切りで記入してください（例：毎年|2年ごと|していない）。"
                )
                continue
            q["choices"] = [
                {"value": f"c{i}", "label": label, "score": round(1 - i / max(1, len(labels) - 1), 2)}
                for i, label in enumerate(labels)
            ]
        if section not in sections:
            sections[section] = []
            order.append(section)
        sections[section].append(q)
    if errors:
        raise StructureError(errors)
    structure = {
        "sections": [{"key": f"s{i}", "title": t, "questions": sections[t]} for i, t in enumerate(order, 1)]
    }
    validate(structure)
    return structure


def structure_rows(structure: dict) -> list[list]:
    rows = []
    for section, q in questions(structure):
        rows.append(
            [
                section["title"],
                q["text"],
                TYPES[q["type"]],
                q.get("weight", 0),
                "○" if q.get("required") else "",
                "○" if q.get("critical") else "",
                "|".join(c["label"] for c in q.get("choices", [])),
                q.get("guidance", ""),
                q["key"],
            ]
        )
    return rows


ANSWER_HEADERS = ["設問キー", "セクション", "設問", "回答形式", "選択肢", "回答", "該当なしの理由", "備考"]


def answers_workbook(a: Assessment) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    answers = answers_dict(a)
    wb = Workbook()
    ws = wb.active
    ws.title = "回答"
    ws.append(ANSWER_HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for section, q in questions(a.version.structure):
        ans = answers.get(q["key"], {})
        labels = {
            c["value"]: c["label"]
            for c in (scoring.choices(q) if q["type"] in ("ynp", "single", "multiple") else [])
        }
        value = ans.get("value")
        if value == scoring.NA:
            shown = "該当なし"
        elif isinstance(value, list):
            shown = "|".join(labels.get(v, v) for v in value)
        else:
            shown = labels.get(value, value) if value is not None else ""
        choice_text = "|".join(labels.values()) + ("|該当なし" if q.get("allow_na") else "")
        append_row(  # a question or answer beginning with "=" stays text, never a formula
            ws,
            [
                q["key"],
                section["title"],
                q["text"],
                TYPES[q["type"]],
                choice_text,
                shown,
                ans.get("na_reason", ""),
                ans.get("remark", ""),
            ],
        )
    for col, width in zip("ABCDEFGH", (10, 24, 60, 14, 24, 18, 24, 40), strict=True):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def import_answers(recipient: Recipient, content: bytes) -> int:
    """Read a filled answer workbook into the assessment (drafts; the vendor submits after)."""
    from openpyxl import load_workbook

    from mamori.scan.xlsx_guard import SheetTooLarge, check_xlsx

    a = recipient.assessment
    try:
        check_xlsx(io.BytesIO(content))
    except SheetTooLarge as exc:
        raise ChecksheetError(str(exc)) from exc
    try:
        ws = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
    except Exception as exc:
        raise ChecksheetError(
            "Excelファイルを開けません。ダウンロードした回答用ファイルを使ってください。"
        ) from exc
    rows = list(ws.iter_rows(values_only=True))
    if not rows or [str(h or "") for h in rows[0][: len(ANSWER_HEADERS)]] != ANSWER_HEADERS:
        raise ChecksheetError(
            "回答用ファイルの形式ではありません。ダウンロードした回答用ファイルを使ってください。"
        )
    qmap = question_map(a.version.structure)
    errors, parsed = [], []
    for n, row in enumerate(rows[1:], start=2):
        key = str(row[0] or "").strip()
        if key not in qmap:
            continue
        q = qmap[key]
        shown = str(row[5] or "").strip()
        na_reason, remark = str(row[6] or "").strip(), str(row[7] or "").strip()
        labels = {
            c["label"]: c["value"]
            for c in (scoring.choices(q) if q["type"] in ("ynp", "single", "multiple") else [])
        }
        # The company's own symbols too: ○ → はい, △ → 一部, × → いいえ, － → 該当なし.
        shown = answer_alias(shown, labels, bool(q.get("allow_na")))
        if not shown:
            value = None
        elif shown == "該当なし" and q.get("allow_na"):
            value = scoring.NA
        elif q["type"] in ("ynp", "single"):
            if shown not in labels:
                errors.append(f"行{n}: 「{shown}」は選択肢にありません（{'、'.join(labels)}）。")
                continue
            value = labels[shown]
        elif q["type"] == "multiple":
            parts = [p.strip() for p in shown.split("|") if p.strip()]
            unknown = [p for p in parts if p not in labels]
            if unknown:
                errors.append(f"行{n}: 「{'、'.join(unknown)}」は選択肢にありません。")
                continue
            value = [labels[p] for p in parts]
        else:
            value = shown
        parsed.append((key, value, remark, na_reason))
    if errors:
        raise ChecksheetError(" ".join(errors))
    with transaction.atomic():
        for key, value, remark, na_reason in parsed:
            save_answer(recipient, key, value=value, remark=remark, na_reason=na_reason)
    return len(parsed)
