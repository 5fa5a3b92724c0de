"""Excel / CSV imports: a downloadable template, a row-by-row error report in Japanese, and
all-or-nothing saving (one transaction; any error and nothing is kept)."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from mamori.platform.tenancy.objects import instance_data, save_form
from mamori.platform.trail.services import Actor
from mamori.platform.web import exports
from mamori.platform.web.files import size_error
from mamori.platform.web.forms import OrgModelForm
from mamori.scan.readers import ScanError, detect_encoding
from mamori.scan.xlsx_guard import SheetTooLarge, check_xlsx

TRUE_WORDS = {"○", "◯", "はい", "有", "あり", "true", "yes", "1", "済", "y"}


class ImportFailed(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("import failed")
        self.errors = errors


@dataclass
class Col:
    header: str
    field: str
    convert: Callable[[str, object], object] | None = None  # (cell text, context) -> form value
    required: bool = False
    note: str = ""


@dataclass
class ImportSpec:
    name: str
    label: str
    form_class: type[OrgModelForm]
    columns: list[Col]
    example: list[str] = field(default_factory=list)
    finish: Callable[[dict, object], dict] | None = None  # resolves references across columns
    context: Callable[[object], object] | None = None  # (request) -> what converters and finish get

    def template(self, fmt: str) -> bytes:
        headers = [c.header + ("（必須）" if c.required else "") for c in self.columns]
        rows = [self.example] if self.example else []
        return exports.table_bytes(rows, headers, fmt, self.label)


def read_rows(upload) -> list[list[str]]:
    """Rows of strings from an uploaded .xlsx or .csv (UTF-8, with or without BOM, or CP932)."""
    name = upload.name.lower()
    if error := size_error(upload):
        raise ImportFailed([error])
    content = upload.read()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            check_xlsx(io.BytesIO(content))
        except SheetTooLarge as exc:
            raise ImportFailed([str(exc)]) from exc

        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:
            raise ImportFailed([_("The Excel file cannot be opened. Save it again as .xlsx.")]) from exc
        sheet = workbook.worksheets[0]
        return [
            [exports.cell(v) if v is not None else "" for v in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    if name.endswith((".csv", ".txt")):
        with tempfile.NamedTemporaryFile(suffix=".csv") as tmp:
            tmp.write(content)
            tmp.flush()
            try:
                encoding = detect_encoding(Path(tmp.name))
            except ScanError as exc:
                raise ImportFailed([str(exc)]) from exc
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError as exc:
            raise ImportFailed([_("The file cannot be read as %(enc)s.") % {"enc": encoding}]) from exc
        return [row for row in csv.reader(io.StringIO(text))]
    raise ImportFailed([_("Upload an Excel (.xlsx) or CSV file.")])


def run(spec: ImportSpec, request, upload) -> int:
    """Import every row or none. Returns the number of rows saved; raises ImportFailed."""
    rows = [r for r in read_rows(upload) if any(str(c).strip() for c in r)]
    if not rows:
        raise ImportFailed([_("The file has no rows.")])
    headers = [str(h).replace("（必須）", "").strip() for h in rows[0]]
    known = {c.header for c in spec.columns}
    errors = []
    missing = [c.header for c in spec.columns if c.required and c.header not in headers]
    if missing:
        errors.append(_("Missing columns: %(cols)s. Start from the template.") % {"cols": "、".join(missing)})
    unknown = [h for h in headers if h and h not in known]
    if unknown:
        errors.append(_("Unknown columns: %(cols)s.") % {"cols": "、".join(unknown)})
    if errors:
        raise ImportFailed(errors)
    actor = Actor.from_request(request, via="import")
    saved = 0
    with transaction.atomic():
        context = spec.context(request) if spec.context else None
        for number, row in enumerate(rows[1:], start=2):
            cells = dict(zip(headers, [str(c).strip() for c in row], strict=False))
            data, row_errors = instance_data(spec.form_class, spec.form_class._meta.model()), []
            for col in spec.columns:
                raw = cells.get(col.header, "")
                if not raw and col.field in data and data[col.field] not in (None, ""):
                    continue  # an empty cell keeps the default
                try:
                    data[col.field] = col.convert(raw, context) if col.convert else raw
                except ValueError as exc:
                    row_errors.append(f"{col.header}: {exc}")
            if spec.finish and not row_errors:
                try:
                    data = spec.finish(data, context)
                except ValueError as exc:
                    row_errors.append(str(exc))
            form = spec.form_class(data=data, org=request.org)
            if not row_errors and not form.is_valid():
                labels = {c.field: c.header for c in spec.columns}
                for fname, messages in form.errors.items():
                    for message in messages:
                        row_errors.append(
                            f"{labels.get(fname, fname) if fname != '__all__' else ''}: {message}".lstrip(
                                ": "
                            )
                        )
            if row_errors:
                errors += [_("Row %(n)s: %(msg)s") % {"n": number, "msg": m} for m in row_errors]
                continue
            save_form(request, form, actor)
            saved += 1
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise ImportFailed(errors)
    return saved


# --- Converters -------------------------------------------------------------------------------


def to_bool(value: str, _ctx=None) -> bool:
    return value.strip().lower() in TRUE_WORDS


def choice(choices) -> Callable:
    by_label = {str(label): code for code, label in choices}
    codes = {code for code, _l in choices}

    def convert(value: str, _ctx=None):
        if not value:
            return ""
        if value in codes:
            return value
        if value in by_label:
            return by_label[value]
        raise ValueError(_("'%(v)s' is not one of: %(all)s") % {"v": value, "all": "、".join(by_label)})

    return convert


def labelled_list(labels: dict[str, str]) -> Callable:
    by_label = {v: k for k, v in labels.items()}

    def convert(value: str, _ctx=None):
        out = []
        for part in [
            p.strip() for p in value.replace(",", "、").replace("，", "、").split("、") if p.strip()
        ]:
            code = part if part in labels else by_label.get(part)
            if code is None:
                raise ValueError(
                    _("'%(v)s' is not a known item: %(all)s") % {"v": part, "all": "、".join(by_label)}
                )
            out.append(code)
        return out

    return convert


def date(value: str, _ctx=None):
    value = value.strip().replace("/", "-")
    if not value:
        return None
    return value[:10]
