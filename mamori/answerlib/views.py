"""Pages of the answer library: the library, one answer with its evidence, a principal's sheet
answered from the library and exported in its own layout."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.contrib import messages
from django.core.files.base import ContentFile
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mamori.answerlib import actions
from mamori.answerlib.models import EvidenceFile, IncomingSheet, LibraryAnswer, Source, Value
from mamori.checksheets.template_import import issue_text, read_book
from mamori.core.checksheets import sheet_import
from mamori.platform.isolation import ChildFailed
from mamori.platform.sheet_writer import WriteError
from mamori.platform.tenancy.models import Perm
from mamori.platform.tenancy.scoping import get_scoped, org_view, scoped
from mamori.platform.trail import services as trail
from mamori.platform.trail.models import Action
from mamori.platform.web.files import sha256_of, size_error
from mamori.platform.web.imports import ImportFailed

COLUMNS = 26  # the answer and remark columns offered (A–Z)

# Evidence: what the file's name says it is, checked by its first bytes.
EVIDENCE_TYPES = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".xlsx": (b"PK\x03\x04",),
    ".docx": (b"PK\x03\x04",),
    ".txt": (),
}


def evidence_error(upload) -> str | None:
    if upload is None:
        return _("Choose a file.")
    if error := size_error(upload):
        return error
    suffix = Path(upload.name).suffix.lower()
    if suffix not in EVIDENCE_TYPES:
        return _("Upload a PDF, image (PNG, JPEG), Excel, Word or text file.")
    head = upload.read(8)
    upload.seek(0)
    magic = EVIDENCE_TYPES[suffix]
    if magic and not head.startswith(magic):
        return _("The file's content does not match its name.")
    if not magic and b"\x00" in head:
        return _("The file's content does not match its name.")
    return None


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


@org_view(Perm.VIEW)
def library_view(request):
    today = timezone.localdate()
    answers = list(actions.active(request.org).prefetch_related("evidence"))
    return render(
        request,
        "answerlib/library.html",
        {
            "answers": answers,
            "expired": [a for a in answers if a.expired(today)],
            "unanswered": sum(1 for a in answers if not a.value),
            "sheets": scoped(request, IncomingSheet)[:20],
            "today": today,
        },
    )


@org_view(Perm.EDIT)
@require_POST
def seed_view(request):
    added = actions.seed(request.org)
    messages.success(request, _("%(n)s questions added to the library.") % {"n": added})
    return redirect("answerlib:library")


@org_view(Perm.EDIT)
@require_POST
def add_view(request):
    """A question principals ask that the library does not have yet, added by us."""
    question = (request.POST.get("question") or "").strip()[:1000]
    if not question:
        messages.error(request, _("Enter the question."))
        return redirect("answerlib:library")
    n = LibraryAnswer.objects.for_org(request.org).filter(source=Source.OWN).count() + 1
    while LibraryAnswer.objects.for_org(request.org).filter(key=f"own{n}").exists():
        n += 1
    answer = LibraryAnswer.objects.create(
        organization=request.org,
        key=f"own{n}",
        section=(request.POST.get("section") or "").strip()[:200],
        question=question,
        source=Source.OWN,
    )
    return redirect("answerlib:answer", answer.uuid)


@org_view(Perm.EDIT)
@require_POST
def end_view(request, uuid):
    """The question is no longer kept in the library (ended, not deleted: its history stays)."""
    answer = get_scoped(request, LibraryAnswer, uuid=uuid, ended_on__isnull=True)
    answer.ended_on = timezone.localdate()
    answer.save()
    messages.success(request, _("Saved."))
    return redirect("answerlib:library")


@org_view(Perm.VIEW)
def answer_view(request, uuid):
    answer = get_scoped(request, LibraryAnswer, uuid=uuid, ended_on__isnull=True)
    errors = {}
    if request.method == "POST":
        request_perm = request.membership.allows(Perm.EDIT)
        if not request_perm:
            return HttpResponse(status=403)
        value = request.POST.get("value", "")
        valid_until = request.POST.get("valid_until", "")
        if value not in Value.values and value != "":
            errors["value"] = _("Choose an answer.")
        if valid_until and _date(valid_until) is None:
            errors["valid_until"] = _("Enter a date (YYYY-MM-DD).")
        if not errors:
            answer.value = value
            answer.remark = request.POST.get("remark", "")[:2000]
            answer.valid_until = _date(valid_until)
            answer.confirmed_on = timezone.localdate()
            answer.save()
            messages.success(request, _("Saved."))
            return redirect("answerlib:answer", answer.uuid)
    return render(
        request,
        "answerlib/answer.html",
        {
            "answer": answer,
            "values": Value.choices,
            "errors": errors,
            "posted": request.POST if errors else None,
            "evidence": answer.evidence.filter(ended_on__isnull=True),
            "today": timezone.localdate(),
        },
    )


@org_view(Perm.EDIT)
@require_POST
def evidence_upload_view(request, uuid):
    answer = get_scoped(request, LibraryAnswer, uuid=uuid, ended_on__isnull=True)
    upload = request.FILES.get("file")
    if error := evidence_error(upload):
        messages.error(request, error)
    else:
        f = EvidenceFile(
            organization=request.org,
            answer=answer,
            name=upload.name[:255],
            sha256=sha256_of(upload),
            valid_until=_date(request.POST.get("valid_until", "")),
        )
        f.file.save(upload.name, upload, save=False)
        f.save()
        messages.success(request, _("Saved."))
    return redirect("answerlib:answer", answer.uuid)


@org_view(Perm.VIEW)
def evidence_file_view(request, uuid):
    f = get_scoped(request, EvidenceFile, uuid=uuid)
    trail.record(org=request.org, actor=trail.Actor.from_request(request), action=Action.DOWNLOAD, obj=f)
    return FileResponse(f.file.open("rb"), as_attachment=True, filename=f.name)


@org_view(Perm.EDIT)
@require_POST
def evidence_end_view(request, uuid):
    f = get_scoped(request, EvidenceFile, uuid=uuid)
    f.ended_on = timezone.localdate()
    f.save()
    return redirect("answerlib:answer", f.answer.uuid)


@org_view(Perm.EDIT)
@require_POST
def sheet_upload_view(request):
    upload = request.FILES.get("file")
    name = (request.POST.get("name") or "").strip()[:200]
    try:
        if upload is not None and not upload.name.lower().endswith(".xlsx"):
            raise ImportFailed(
                [_("Upload the sheet as an Excel (.xlsx) file: the answers are written back into it.")]
            )
        book = read_book(upload)
    except ImportFailed as exc:
        for m in exc.errors:
            messages.error(request, m)
        return redirect("answerlib:library")
    p = sheet_import.preview(book)
    problems = [issue_text(i) for i in p.errors]
    if "answer" not in p.mapping and not problems:
        problems.append(_("No answer column (回答, 評価, 判定 …) was found in the header row."))
    questions = actions.questions_of(p)
    if not questions and not problems:
        problems.append(_("No questions were found under the header row."))
    if problems:
        for m in problems:
            messages.error(request, m)
        return redirect("answerlib:library")
    sheet = IncomingSheet(
        organization=request.org,
        name=name or upload.name[:200],
        file_name=upload.name[:255],
        sha256=sha256_of(upload),
        sheet=p.sheet,
        header_row=p.header_row,
        answer_column=p.mapping["answer"],
        remark_column=p.mapping.get("guidance"),
        symbols=list(p.answer_symbols or []),
        rows=actions.propose_rows(request.org, questions),
    )
    sheet.file.save(upload.name, upload, save=False)
    sheet.save()
    return redirect("answerlib:sheet", sheet.uuid)


@org_view(Perm.VIEW)
def sheet_view(request, uuid):
    sheet = get_scoped(request, IncomingSheet, uuid=uuid)
    library = {a.key: a for a in actions.active(request.org)}
    if request.method == "POST":
        if not request.membership.allows(Perm.EDIT):
            return HttpResponse(status=403)
        if "answer_column" in request.POST:  # the user corrects where the answers go
            answer_col = sheet_import.column_index(request.POST.get("answer_column", ""))
            remark_letter = request.POST.get("remark_column", "")
            remark_col = sheet_import.column_index(remark_letter) if remark_letter else None
            if answer_col is None or answer_col >= COLUMNS or (remark_letter and remark_col is None):
                messages.error(request, _("Choose a column."))
            elif remark_col == answer_col:
                messages.error(request, _("The answers and the remarks need different columns."))
            else:
                sheet.answer_column, sheet.remark_column = answer_col, remark_col
                sheet.save()
                messages.success(request, _("Saved."))
            return redirect("answerlib:sheet", sheet.uuid)
        rows = []
        for i, r in enumerate(sheet.rows):
            value = request.POST.get(f"v_{i}", r.get("value", ""))
            rows.append(
                {
                    **r,
                    "value": value if value in Value.values else "",
                    "remark": request.POST.get(f"r_{i}", r.get("remark", ""))[:2000],
                    "confirmed": True,
                }
            )
        sheet.rows = rows
        sheet.save()
        messages.success(request, _("Saved."))
        return redirect("answerlib:sheet", sheet.uuid)
    rows = [(i, r, library.get(r.get("key") or "")) for i, r in enumerate(sheet.rows)]
    proposed = sum(1 for r in sheet.rows if r.get("value"))
    return render(
        request,
        "answerlib/sheet.html",
        {
            "sheet": sheet,
            "rows": rows,
            "values": Value.choices,
            "proposed": proposed,
            "answer_letter": sheet_import.column_letter(sheet.answer_column),
            "remark_letter": sheet_import.column_letter(sheet.remark_column)
            if sheet.remark_column is not None
            else "",
            "letters": [sheet_import.column_letter(c) for c in range(COLUMNS)],
        },
    )


@org_view(Perm.VIEW)
def sheet_export_view(request, uuid):
    sheet = get_scoped(request, IncomingSheet, uuid=uuid)
    try:
        content = actions.export(sheet)
    except (WriteError, ChildFailed):
        messages.error(request, _("The workbook could not be written. Upload it again."))
        return redirect("answerlib:sheet", sheet.uuid)
    sheet.exported_at = timezone.now()
    sheet.save()
    stem = Path(sheet.file_name).stem or "sheet"
    return FileResponse(
        ContentFile(content).open("rb"),
        as_attachment=True,
        filename=f"{stem}_回答.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
