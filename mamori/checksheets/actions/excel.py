"""Excel round trips: a template's questions as rows (and back), a vendor's answers as a
workbook (and back, for vendors who prefer Excel)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from mamori.checksheets.actions.answering import answers_dict, save_answer
from mamori.checksheets.actions.errors import ChecksheetError
from mamori.checksheets.models import Assessment, Recipient
from mamori.core.checksheets import scoring
from mamori.core.checksheets.sheet_import import answer_alias, condition_text, parse_condition
from mamori.core.checksheets.structure import (
    TYPE_BY_LABEL,
    TYPES,
    StructureError,
    question_map,
    questions,
    validate,
)
from mamori.platform.tables import append_row

EXCEL_HEADERS = [
    "セクション",
    "設問",
    "回答形式",
    "重み",
    "必須",
    "重要",
    "選択肢",
    "ガイダンス",
    "設問キー",
    "表示条件",  # ask this question only when an earlier one has this answer: "q1=はい"
]


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
    earlier: list[dict] = []
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
        if cell("表示条件"):
            condition = parse_condition(cell("表示条件"), earlier)
            if condition is None:
                errors.append(
                    f"行{n}: 表示条件「{cell('表示条件')}」は、前の設問の設問キーと回答で書いてください（例：q1=はい）。"
                )
                continue
            q["show_if"] = condition
        earlier.append(q)
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
    qmap = question_map(structure)
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
                condition_text(q, qmap),
            ]
        )
    return rows


ANSWER_HEADERS = ["設問キー", "セクション", "設問", "回答形式", "選択肢", "回答", "該当なしの理由", "備考"]
#: A hidden sheet of the answer workbook: when it was downloaded and what it held then, so that an
#: upload changes only what was changed in Excel, and sees what was typed in the browser since.
SNAPSHOT_SHEET = "mamori"


def _shown(q: dict, ans: dict) -> str:
    labels = {
        c["value"]: c["label"]
        for c in (scoring.choices(q) if q["type"] in ("ynp", "single", "multiple") else [])
    }
    value = ans.get("value")
    if value == scoring.NA:
        return "該当なし"
    if isinstance(value, list):
        return "|".join(labels.get(v, v) for v in value)
    return str(labels.get(value, value)) if value is not None else ""


def question_cell(q: dict, qmap: dict | None = None) -> str:
    """The question as the vendor's Excel shows it: its 中項目 and No. (an imported sheet's) before
    the text, and when it is asked only after an answer to an earlier question, which."""
    text = f"No.{q['number']}　{q['text']}" if q.get("number") else q["text"]
    if q.get("subsection"):
        text = f"【{q['subsection']}】\n{text}"
    if (cond := q.get("show_if")) and qmap is not None:
        source = qmap.get(cond.get("question"), {})
        ref = f"No.{source['number']}" if source.get("number") else f"設問キー {cond.get('question')}"
        labels = {c["value"]: c["label"] for c in scoring.choices(source)} if source else {}
        text += f"\n（{ref} が「{labels.get(cond.get('value'), cond.get('value'))}」の場合のみ回答）"
    return text


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
    snapshot = wb.create_sheet(SNAPSHOT_SHEET)
    snapshot.sheet_state = "hidden"
    snapshot.append(["downloaded_at", timezone.now().isoformat()])
    qmap = question_map(a.version.structure)
    for section, q in questions(a.version.structure):
        ans = answers.get(q["key"], {})
        labels = {
            c["value"]: c["label"]
            for c in (scoring.choices(q) if q["type"] in ("ynp", "single", "multiple") else [])
        }
        shown = _shown(q, ans)
        append_row(snapshot, [q["key"], shown, ans.get("na_reason", ""), ans.get("remark", "")])
        choice_text = "|".join(labels.values()) + ("|該当なし" if q.get("allow_na") else "")
        append_row(  # a question or answer beginning with "=" stays text, never a formula
            ws,
            [
                q["key"],
                section["title"],
                question_cell(q, qmap),
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


@dataclass
class Conflict:
    """An answer changed both in Excel and in the browser after the download: the vendor chooses."""

    key: str
    text: str
    browser: str
    excel: str
    value: object
    remark: str
    na_reason: str

    @property
    def payload(self) -> str:
        import json

        return json.dumps(
            {"value": self.value, "remark": self.remark, "na_reason": self.na_reason}, ensure_ascii=False
        )


@dataclass
class Imported:
    changed: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    #: Answers to conditional questions whose condition is not met (not asked, so not read).
    ignored: list[str] = field(default_factory=list)


def _snapshot(wb) -> tuple[dt.datetime | None, dict[str, tuple[str, str, str]]]:
    if SNAPSHOT_SHEET not in wb.sheetnames:
        return None, {}
    rows = list(wb[SNAPSHOT_SHEET].iter_rows(values_only=True))
    try:
        at = dt.datetime.fromisoformat(str(rows[0][1]))
    except (IndexError, ValueError, TypeError):
        return None, {}
    return (
        at,
        {
            str(r[0]): tuple(str(c or "") for c in ([*list(r[1:4]), "", "", ""])[:3])  # type: ignore[misc]
            for r in rows[1:]
            if r and r[0]
        },
    )


def import_answers(recipient: Recipient, content: bytes) -> Imported:
    """Read a filled answer workbook into the assessment (drafts; the vendor submits after).

    Only what was filled in or changed in Excel changes an answer: an empty cell keeps the answer
    given in the browser, and an answer changed in the browser after the download and differently
    in Excel is not overwritten but returned as a conflict for the vendor to choose."""
    from openpyxl import load_workbook

    from mamori.scan.xlsx_guard import SheetTooLarge, check_xlsx

    a = recipient.assessment
    try:
        check_xlsx(io.BytesIO(content))
    except SheetTooLarge as exc:
        raise ChecksheetError(str(exc)) from exc
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        ws = wb.worksheets[0]
    except Exception as exc:
        raise ChecksheetError(
            "Excelファイルを開けません。ダウンロードした回答用ファイルを使ってください。"
        ) from exc
    rows = list(ws.iter_rows(values_only=True))
    if not rows or [str(h or "") for h in rows[0][: len(ANSWER_HEADERS)]] != ANSWER_HEADERS:
        raise ChecksheetError(
            "回答用ファイルの形式ではありません。ダウンロードした回答用ファイルを使ってください。"
        )
    downloaded_at, before = _snapshot(wb)
    qmap = question_map(a.version.structure)
    current = answers_dict(a)
    updated = dict(a.answers.values_list("question", "updated_at"))
    errors, parsed = [], []
    result = Imported()
    for n, row in enumerate(rows[1:], start=2):
        row = list(row) + [None] * (8 - len(row))
        key = str(row[0] or "").strip()
        if key not in qmap:
            continue
        q = qmap[key]
        shown = str(row[5] or "").strip()
        na_reason, remark = str(row[6] or "").strip(), str(row[7] or "").strip()
        then = before.get(key)
        if then is not None and (shown, na_reason, remark) == tuple(c.strip() for c in then):
            continue  # not touched in Excel: whatever the browser holds stays
        now_ans = current.get(key, {})
        if not shown:
            if not (na_reason or remark):
                continue  # an empty row changes nothing
            value = now_ans.get("value")  # only the filled cells (reason, remark) change
        else:
            value, error = _value_of(q, shown)
            if error:
                errors.append(f"行{n}: {error}")
                continue
        na_reason = na_reason or now_ans.get("na_reason", "")
        remark = remark or now_ans.get("remark", "")
        same = (value, na_reason, remark) == (
            now_ans.get("value"),
            now_ans.get("na_reason", ""),
            now_ans.get("remark", ""),
        )
        if same:
            continue
        touched_since = downloaded_at is None or (key in updated and updated[key] > downloaded_at)
        if key in updated and touched_since and now_ans.get("value") not in (None, "", []):
            result.conflicts.append(
                Conflict(
                    key=key,
                    text=q["text"],
                    browser=_shown(q, now_ans)
                    + (f"（{now_ans.get('remark')}）" if now_ans.get("remark") else ""),
                    excel=_shown(q, {"value": value}) + (f"（{remark}）" if remark else ""),
                    value=value,
                    remark=remark,
                    na_reason=na_reason,
                )
            )
            continue
        parsed.append((key, value, remark, na_reason))
    if errors:
        raise ChecksheetError(" ".join(errors))
    parsed = _asked_only(qmap, current, parsed, result)
    with transaction.atomic():
        for key, value, remark, na_reason in parsed:
            save_answer(recipient, key, value=value, remark=remark, na_reason=na_reason)
    result.changed = len(parsed)
    return result


def _asked_only(qmap: dict, current: dict, parsed: list[tuple], result: Imported) -> list[tuple]:
    """Drop the answers to questions that are not asked: a conditional question (``show_if``) whose
    condition is not met by the answers as they will be after this upload."""
    while True:
        after = {k: dict(v) for k, v in current.items()}
        for key, value, _remark, _na in parsed:
            after.setdefault(key, {})["value"] = value
        hidden = {key for key, *_rest in parsed if not scoring.visible(qmap[key], after)}
        if not hidden:
            return parsed
        result.ignored += sorted(hidden)
        parsed = [p for p in parsed if p[0] not in hidden]
        result.conflicts = [c for c in result.conflicts if c.key not in hidden]


def _value_of(q: dict, shown: str) -> tuple[object, str]:
    labels = {
        c["label"]: c["value"]
        for c in (scoring.choices(q) if q["type"] in ("ynp", "single", "multiple") else [])
    }
    # The company's own symbols too: ○ → はい, △ → 一部, × → いいえ, － → 該当なし.
    shown = answer_alias(shown, labels, bool(q.get("allow_na")))
    if shown == "該当なし" and q.get("allow_na"):
        return scoring.NA, ""
    if q["type"] in ("ynp", "single"):
        if shown not in labels:
            return None, f"「{shown}」は選択肢にありません（{'、'.join(labels)}）。"
        return labels[shown], ""
    if q["type"] == "multiple":
        parts = [p.strip() for p in shown.split("|") if p.strip()]
        unknown = [p for p in parts if p not in labels]
        if unknown:
            return None, f"「{'、'.join(unknown)}」は選択肢にありません。"
        return [labels[p] for p in parts], ""
    return shown, ""
