"""The answer library's work: seeding it, answering a principal's sheet from it, exporting that
sheet with the answers in its own answer column."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from mamori.answerlib.models import LibraryAnswer, Source
from mamori.audits.models import SelfAssessment
from mamori.core.checksheets import answer_match, builtin, sheet_import
from mamori.platform.isolation import run_isolated
from mamori.platform.sheet_writer import WriteError, write_cells

WORDS = {"yes": "はい", "partial": "一部", "no": "いいえ", "na": "該当なし"}


def active(org):
    return LibraryAnswer.objects.for_org(org).filter(ended_on__isnull=True)


def seed(org) -> int:
    """Add the canonical questions the library does not have yet, answered from the latest
    self-assessment; an answer already in the library is never changed. The number added."""
    sa = SelfAssessment.objects.for_org(org).order_by("-year").first()
    have = set(LibraryAnswer.objects.for_org(org).values_list("key", flat=True))
    added = 0
    with transaction.atomic():
        for e in answer_match.canonical(builtin.STANDARD, builtin.SELF, sa.answers if sa else None):
            if e["key"] in have:
                continue
            LibraryAnswer.objects.create(
                organization=org,
                key=e["key"],
                section=e["section"],
                question=e["question"],
                also=e["also"],
                value=e["value"],
                remark=e["remark"],
                source=Source.SELF if e["value"] else Source.BUILTIN,
            )
            added += 1
    return added


def entries(org) -> list[answer_match.Entry]:
    return [answer_match.Entry(a.key, a.question, tuple(a.also)) for a in active(org)]


def propose_rows(org, questions: list[dict], labels=None) -> list[dict]:
    """Each question of a principal's sheet (``{"row", "text"}``) with the library's proposal."""
    library = {a.key: a for a in active(org)}
    proposals = answer_match.propose(
        [q["text"] for q in questions],
        [answer_match.Entry(a.key, a.question, tuple(a.also)) for a in library.values()],
        labels,
    )
    today = timezone.localdate()
    rows = []
    for q, p in zip(questions, proposals, strict=True):
        entry = library.get(p.key) if p.key else None
        rows.append(
            {
                "row": q["row"],
                "text": q["text"],
                "key": p.key,
                "score": p.score,
                "confidence": p.confidence,
                "value": entry.value if entry else "",
                "remark": entry.remark if entry else "",
                "expired": bool(entry and entry.expired(today)),
                "confirmed": False,
            }
        )
    return rows


def questions_of(p: sheet_import.Preview) -> list[dict]:
    return [
        {"row": q["row"], "text": q["text"]}
        for s in p.structure.get("sections", [])
        for q in s["questions"]
        if q.get("row")
    ]


def symbol_for(value: str, symbols: list[str]) -> str:
    """How the principal's sheet says ``value``: its own symbol (○, 適合 …) when its dropdown or
    legend offers one, else はい／一部／いいえ／該当なし."""
    for s in symbols:
        if sheet_import.meaning(s) == value:
            return s
    return WORDS.get(value, "")


def cells(sheet) -> list[tuple[int, int, str, bool]]:
    out = []
    for r in sheet.rows:
        if r.get("value"):
            out.append((r["row"], sheet.answer_column, symbol_for(r["value"], sheet.symbols), False))
        if r.get("remark") and sheet.remark_column is not None:
            out.append((r["row"], sheet.remark_column, r["remark"], True))  # the sender's notes stay
    return out


def export(sheet) -> bytes:
    """The sender's workbook with our answers in its answer column (and remarks in its 備考)."""
    return run_isolated(
        write_cells,
        sheet.file.path,
        sheet.sheet,
        cells(sheet),
        seconds=settings.MAMORI_IMPORT_SECONDS,
        expected=(WriteError,),
    )
