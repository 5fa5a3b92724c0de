"""Excel / CSV imports: a downloadable template, a row-by-row error report in Japanese, and
all-or-nothing saving (every row checked first, then one short transaction; any error and nothing
is kept). The file is capped in bytes and rows and read in a child process with resource limits."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from mamori.platform.isolation import ChildFailed, run_isolated
from mamori.platform.table_reader import ReadError, read_table
from mamori.platform.tables import strip_title_rows
from mamori.platform.tenancy.objects import instance_data, save_form
from mamori.platform.trail.services import Actor
from mamori.platform.web import exports
from mamori.platform.web.files import save_pending, size_error
from mamori.platform.web.forms import OrgModelForm

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


def _message(exc: ReadError) -> str:
    if exc.code == "text":
        return exc.params["text"]
    if exc.code == "too_many_rows":
        return _(
            "The file has more than %(max)s rows, the limit for one import. Split it into smaller files."
        ) % {"max": f"{exc.params['max']:,}"}
    if exc.code == "xlsx":
        return _("The Excel file cannot be opened. Save it again as .xlsx.")
    if exc.code == "encoding":
        return _("The file cannot be read as %(enc)s.") % {"enc": exc.params["enc"]}
    if exc.code == "csv":
        return _("The CSV file cannot be read. Save it again as CSV.")
    return _("Upload an Excel (.xlsx) or CSV file.")


def read_rows(upload) -> list[list[str]]:
    """Rows of strings from an uploaded .xlsx or .csv (UTF-8, with or without BOM, or CP932).

    The file is refused above ``MAMORI_MAX_IMPORT_MB`` before it is read, and read in a child
    process with memory and time limits (:mod:`mamori.platform.isolation`), which stops at
    ``MAMORI_MAX_IMPORT_ROWS`` rows."""
    if error := size_error(upload):
        raise ImportFailed([error])
    limit = settings.MAMORI_MAX_IMPORT_BYTES
    if upload.size > limit:
        raise ImportFailed(
            [_("The file is larger than %(mb)s MB, the limit for one import.") % {"mb": limit // 2**20}]
        )
    if not upload.name.lower().endswith((".xlsx", ".csv", ".txt")):
        raise ImportFailed([_("Upload an Excel (.xlsx) or CSV file.")])
    path = save_pending(upload)
    try:
        return run_isolated(
            read_table,
            str(path),
            upload.name,
            settings.MAMORI_MAX_IMPORT_ROWS,
            seconds=settings.MAMORI_IMPORT_SECONDS,
            expected=(ReadError,),
        )
    except ReadError as exc:
        raise ImportFailed([_message(exc)]) from None
    except ChildFailed as exc:
        raise ImportFailed([exc.message]) from None
    finally:
        path.unlink(missing_ok=True)


def _validate(spec: ImportSpec, cells: dict, context, org, *, finish: bool = True):
    """The row's form and its errors; ``deferred`` when only the cross-row references
    (``spec.finish``) failed, which may point at rows of the same file not saved yet."""
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
            if not finish:
                return None, [], True
            row_errors.append(str(exc))
    form = spec.form_class(data=data, org=org)
    if not row_errors and not form.is_valid():
        labels = {c.field: c.header for c in spec.columns}
        for fname, messages in form.errors.items():
            for message in messages:
                row_errors.append(
                    f"{labels.get(fname, fname) if fname != '__all__' else ''}: {message}".lstrip(": ")
                )
    return form, row_errors, False


def run(spec: ImportSpec, request, upload) -> int:
    """Import every row or none. Returns the number of rows saved; raises ImportFailed.

    Every row is checked before anything is written; the rows are then saved in one short
    transaction (SQLite's write lock is held only for the writes). A row whose reference points at
    another row of the same file (a re-subcontract's parent) is checked again there."""
    rows = strip_title_rows([r for r in read_rows(upload) if any(str(c).strip() for c in r)])
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
    context = spec.context(request) if spec.context else None
    checked = []
    for number, row in enumerate(rows[1:], start=2):
        cells = dict(zip(headers, [str(c).strip() for c in row], strict=False))
        form, row_errors, _deferred = _validate(spec, cells, context, request.org, finish=False)
        errors += [_("Row %(n)s: %(msg)s") % {"n": number, "msg": m} for m in row_errors]
        checked.append((number, cells, form))
    if errors:
        raise ImportFailed(errors)
    saved = 0
    with transaction.atomic():
        for number, cells, form in checked:
            if form is None:  # its reference is resolved now that the rows before it are saved
                form, row_errors, _deferred = _validate(spec, cells, context, request.org)
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
