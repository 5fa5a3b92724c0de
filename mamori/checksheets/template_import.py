"""Importing a company's own Excel check sheet as it is: upload, preview and mapping, confirm.

The upload is capped in bytes, checked by its content and read in the isolated child
(:mod:`mamori.platform.sheet_reader`); what was read (cell text and layout, never the file) waits
in an owner-only file of ``MAMORI_PENDING_DIR`` named in the user's session until it is confirmed.
The questions are found by :mod:`mamori.core.checksheets.sheet_import`; the user may choose
another worksheet, header row or column for each field, and sees the questions as they will be
asked. Confirming saves the template and its version in one transaction, or nothing.
The API (``/api/v1/checksheets/templates/preview`` and ``/import``) uses the same functions.
"""

from __future__ import annotations

import json
import os
import secrets
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mamori.checksheets import actions
from mamori.checksheets.models import Template, TemplateVersion
from mamori.core.checksheets import sheet_import
from mamori.core.checksheets.structure import TYPES, StructureError, choices, validate
from mamori.platform.isolation import ChildFailed, run_isolated
from mamori.platform.sheet_reader import read_workbook
from mamori.platform.table_reader import ReadError
from mamori.platform.tenancy.models import Perm
from mamori.platform.tenancy.scoping import get_scoped, org_view
from mamori.platform.trail import services as trail
from mamori.platform.web.files import save_pending, size_error
from mamori.platform.web.imports import ImportFailed
from mamori.platform.web.imports import _message as read_error_message

SESSION_KEY = "checksheet_sheet_import"
PENDING_HOURS = 24
FIELD_LABELS = {
    "section": gettext_lazy("Section (大項目)"),
    "subsection": gettext_lazy("Subsection (中項目)"),
    "number": gettext_lazy("No."),
    "question": gettext_lazy("Question"),
    "answer": gettext_lazy("Answer (its dropdown or legend gives the choices)"),
    "type": gettext_lazy("Answer type"),
    "choices": gettext_lazy("Choices"),
    "weight": gettext_lazy("Weight (配点)"),
    "required": gettext_lazy("Required"),
    "critical": gettext_lazy("Critical"),
    "guidance": gettext_lazy("Guidance (備考)"),
    "key": gettext_lazy("Question key"),
    "condition": gettext_lazy("Condition (表示条件: ask only when an earlier answer is …)"),
}


# --- Reading the upload -----------------------------------------------------------------------


def _content_error(upload) -> str | None:
    """The file is what its name says: an .xlsx is a zip archive, a CSV is text."""
    head = upload.read(8192)
    upload.seek(0)
    name = upload.name.lower()
    if name.endswith(".xlsx") and not head.startswith(b"PK\x03\x04"):
        return _("The file is not an Excel (.xlsx) file. Save it again as .xlsx.")
    if name.endswith((".csv", ".txt")) and b"\x00" in head:
        return _("The file is not a CSV file. Save it again as CSV.")
    return None


def read_book(upload) -> dict:
    """Every worksheet's cells and layout; raises :class:`ImportFailed` with Japanese messages."""
    if upload is None:
        raise ImportFailed([_("Choose a file.")])
    if error := size_error(upload):
        raise ImportFailed([error])
    limit = settings.MAMORI_MAX_IMPORT_BYTES
    if upload.size > limit:
        raise ImportFailed(
            [_("The file is larger than %(mb)s MB, the limit for one import.") % {"mb": limit // 2**20}]
        )
    if not upload.name.lower().endswith((".xlsx", ".csv", ".txt")):
        raise ImportFailed([_("Upload an Excel (.xlsx) or CSV file.")])
    if error := _content_error(upload):
        raise ImportFailed([error])
    path = save_pending(upload)
    try:
        return run_isolated(
            read_workbook,
            str(path),
            upload.name,
            settings.MAMORI_MAX_IMPORT_ROWS,
            seconds=settings.MAMORI_IMPORT_SECONDS,
            expected=(ReadError,),
        )
    except ReadError as exc:
        raise ImportFailed([read_error_message(exc)]) from None
    except ChildFailed as exc:
        raise ImportFailed([exc.message]) from None
    finally:
        path.unlink(missing_ok=True)


# --- Words ------------------------------------------------------------------------------------


def issue_text(issue: sheet_import.Issue) -> str:
    words = {
        "no_question_sheet": _(
            "No worksheet has a header row with a question column (確認項目, 質問, 設問 or チェック項目) "
            "in its first 30 rows."
        ),
        "no_header": _("No header row was found on this worksheet: choose the header row."),
        "no_question_column": _("Choose the column that holds the questions."),
        "no_questions": _("No questions were found under the header row."),
        "unknown_type": _("Unknown answer type “%(value)s” (use one of: %(types)s).")
        % {"value": issue.params.get("value", ""), "types": "、".join(TYPES.values())},
        "no_choices": _("Write the choices separated by “|”."),
        "bad_weight": _("The weight “%(value)s” is not a number of 0 or more.")
        % {"value": issue.params.get("value", "")},
        "duplicate_key": _("The question key %(value)s appears more than once.")
        % {"value": issue.params.get("value", "")},
        "bad_condition": _(
            "The condition “%(value)s” names no earlier question and answer: write it as “q1=はい” "
            "(the key or No. of an earlier question, then its answer)."
        )
        % {"value": issue.params.get("value", "")},
        "hidden": _("hidden row"),
        "subtotal": _("subtotal"),
        "footer": _("footer (totals): the rows below it are not read"),
        "note": _("note"),
    }
    text = words.get(issue.code, issue.code)
    if issue.row:
        return _("Row %(n)s: %(msg)s") % {"n": issue.row, "msg": text}
    return text


# --- The preview as data ----------------------------------------------------------------------


def preview_data(p: sheet_import.Preview) -> dict:
    """The preview as the API answers it and the page shows it."""
    return {
        "sheet": p.sheet,
        "sheets": p.sheets,
        "header_row": p.header_row,
        "columns": p.columns,
        "mapping": {f: sheet_import.column_letter(c) for f, c in p.mapping.items()},
        "question_count": p.question_count,
        "answer_symbols": p.answer_symbols,
        "sections": [
            {
                "title": s["title"],
                "questions": [
                    {
                        "key": q["key"],
                        "row": q.get("row"),
                        "number": q.get("number", ""),
                        "subsection": q.get("subsection", ""),
                        "text": q["text"],
                        "type": q["type"],
                        "type_label": TYPES[q["type"]],
                        "choices": [{"label": c["label"], "score": c.get("score")} for c in choices(q)]
                        + ([{"label": "該当なし", "score": None}] if q.get("allow_na") else []),
                        "weight": q.get("weight", 0),
                        "required": bool(q.get("required")),
                        "critical": bool(q.get("critical")),
                        "guidance": q.get("guidance", ""),
                    }
                    for q in s["questions"]
                ],
            }
            for s in p.structure.get("sections", [])
        ],
        "errors": [issue_text(i) for i in p.errors],
        "skipped": [issue_text(i) for i in p.skipped],
    }


def parse_mapping(raw: dict[str, str]) -> dict[str, int] | None:
    """A mapping from field -> column letter ("" for none); None when nothing is given."""
    if not raw:
        return None
    out: dict[str, int] = {}
    for field, letter in raw.items():
        if field not in sheet_import.FIELDS:
            raise ImportFailed([_("Unknown field “%(f)s” in the mapping.") % {"f": field}])
        if not letter:
            continue
        index = sheet_import.column_index(str(letter))
        if index is None:
            raise ImportFailed(
                [_("“%(c)s” is not a column: give a letter such as D.") % {"c": str(letter)[:10]}]
            )
        out[field] = index
    return out


def save(org, actor: trail.Actor, p: sheet_import.Preview, name: str, template=None) -> TemplateVersion:
    """The previewed questions as a new template (or a new version of ``template``), all or nothing."""
    if p.errors:
        raise ImportFailed([issue_text(i) for i in p.errors])
    structure = sheet_import.saved_structure(p.structure, p.answer_symbols)
    try:
        validate(structure)
    except StructureError as exc:
        raise ImportFailed(exc.errors) from None
    with transaction.atomic(), trail.acting_as(actor):
        if template is None:
            template = Template.objects.create(
                organization=org, name=(name or p.sheet or "チェックシート")[:200]
            )
        return actions.add_version(template, structure, actor)


# --- Waiting between the upload and the confirmation -------------------------------------------


def _pending_dir() -> Path:
    folder = Path(settings.MAMORI_PENDING_DIR)
    for part in (folder.parent, folder):
        part.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _keep(request, book: dict, name: str, template: Template | None) -> None:
    folder = _pending_dir()
    cutoff = time.time() - PENDING_HOURS * 3600
    for old in folder.glob("sheet-*.json"):  # previews never confirmed
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink(missing_ok=True)
        except OSError:
            pass
    _drop(request)
    token = secrets.token_hex(16)
    path = folder / f"sheet-{token}.json"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(book, out, ensure_ascii=False)
    request.session[SESSION_KEY] = {
        "token": token,
        "name": name,
        "org": request.org.pk,
        "template": str(template.uuid) if template else "",
    }


def _kept(request) -> tuple[dict, dict] | None:
    info = request.session.get(SESSION_KEY)
    if not info or info.get("org") != request.org.pk:
        return None
    path = Path(settings.MAMORI_PENDING_DIR) / f"sheet-{info['token']}.json"
    try:
        with open(path, encoding="utf-8") as handle:
            return info, json.load(handle)
    except (OSError, ValueError):
        return None


def _drop(request) -> None:
    info = request.session.pop(SESSION_KEY, None)
    if info and info.get("token"):
        (Path(settings.MAMORI_PENDING_DIR) / f"sheet-{info['token']}.json").unlink(missing_ok=True)


# --- Pages ------------------------------------------------------------------------------------


class UploadForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name of the check sheet"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Leave empty to use the file's name."),
    )
    file = forms.FileField(label=gettext_lazy("Your check sheet (Excel .xlsx or CSV)"))


@org_view(Perm.EDIT)
def upload_view(request):
    template = None
    if request.GET.get("template"):
        template = get_scoped(request, Template, uuid=request.GET["template"])
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            book = read_book(upload)
        except ImportFailed as exc:
            for error in exc.errors:
                form.add_error("file", error)
        else:
            name = form.cleaned_data.get("name") or upload.name.rsplit(".", 1)[0]
            _keep(request, book, name[:200], template)
            return redirect("checksheets:template_import_preview")
    return render(request, "checksheets/template_import_upload.html", {"form": form, "template": template})


def _choices_from(params) -> tuple[str | None, int | None, dict[str, int] | None]:
    """The user's sheet, header row and mapping; a mapping made for another sheet or header row is
    dropped (detected again), and so is the header row of another sheet."""
    sheet = params.get("sheet") or None
    try:
        header = int(params.get("header_row") or 0) or None
    except ValueError:
        header = None
    if sheet != (params.get("mapped_sheet") or None):
        return sheet, None, None
    mapping = None
    if params.get("mapped_header") and str(header) == params.get("mapped_header"):
        mapping = {}
        for field in sheet_import.FIELDS:
            value = params.get(f"col_{field}", "")
            if value.isdigit():
                mapping[field] = int(value)
    return sheet, header, mapping


@org_view(Perm.EDIT)
def preview_view(request):
    kept = _kept(request)
    if kept is None:
        messages.info(request, _("Upload the check sheet again: the preview is no longer available."))
        return redirect("checksheets:template_import")
    info, book = kept
    params = request.POST if request.method == "POST" else request.GET
    sheet, header, mapping = _choices_from(params)
    p = sheet_import.preview(book, sheet=sheet, header_row=header, mapping=mapping)
    name = (params.get("name") or info["name"]).strip()[:200]
    errors: list[str] = []
    if request.method == "POST" and params.get("confirm"):
        template = get_scoped(request, Template, uuid=info["template"]) if info.get("template") else None
        try:
            version = save(request.org, trail.Actor.from_request(request), p, name, template)
        except ImportFailed as exc:
            errors = exc.errors
        else:
            _drop(request)
            messages.success(
                request,
                _("Imported %(n)s questions as version %(v)s.")
                % {"n": version.question_count, "v": version.number},
            )
            return redirect("checksheets:template", version.template.uuid)
    data = preview_data(p)
    return render(
        request,
        "checksheets/template_import_preview.html",
        {
            "p": data,
            "name": name,
            "errors": errors + data["errors"],
            "fields": [(f, FIELD_LABELS[f], p.mapping.get(f)) for f in sheet_import.FIELDS],
            "header_rows": range(1, sheet_import.HEADER_SCAN_ROWS + 1),
            "new_version_of": info.get("template"),
        },
    )


@org_view(Perm.EDIT)
@require_POST
def cancel_view(request):
    _drop(request)
    return redirect("checksheets:templates")
