"""Excel / CSV imports: a downloadable template, a row-by-row error report in Japanese, and
all-or-nothing saving (every row checked first, then one short transaction; any error and nothing
is kept). The file is capped in bytes and rows and read in a child process with resource limits."""

from __future__ import annotations

import contextlib
import gc
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _

from mamori.platform.isolation import ChildFailed, run_isolated
from mamori.platform.table_reader import ReadError, read_table
from mamori.platform.tables import strip_title_rows
from mamori.platform.tenancy.objects import bulk_save, instance_data, save_form, saves_plainly
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
    # Re-imports: (converted cells, context) -> the existing record the row updates, or None.
    match: Callable[[dict, object], object] | None = None
    # A row's key (from its cleaned data) that must be unique within the file, or None.
    key: Callable[[dict], str | None] | None = None
    form_kwargs: Callable[[object], dict] | None = None  # (context) -> extra form arguments
    # Columns that are not fields of the form: converted into ``extras`` for ``children``.
    extra_columns: list[Col] = field(default_factory=list)
    # (valid form, existing record or None, context) -> unsaved records to create under the
    # row's record (set as their ``child_link``); raises ValueError for a row error.
    children: Callable[[object, object, object], list] | None = None
    child_link: str = ""

    def template(self, fmt: str) -> bytes:
        headers = [c.header + ("（必須）" if c.required else "") for c in self.columns + self.extra_columns]
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
    if exc.code == "unclosed_quote":
        return _(
            'Line %(line)s of the CSV file opens a quotation mark (") that is never closed. Close it, or'
            " save the file again from Excel as CSV."
        ) % {"line": exc.params["line"]}
    if exc.code == "csv_line":
        return _(
            'Line %(line)s of the CSV file has a misplaced quotation mark ("). Save it again as CSV.'
        ) % {"line": exc.params["line"]}
    if exc.code == "csv":
        return _("The CSV file cannot be read. Save it again as CSV.")
    return _("Upload an Excel (.xlsx) or CSV file.")


def read_rows(upload, keep: bool = False):
    """:func:`read_path` of the upload (kept in the pending folder when ``keep``: then returns
    ``(rows, path)`` for a confirmation step to read it again)."""
    rows_path = _read_upload(upload, keep)
    return rows_path if keep else rows_path[0]


def read_path(path, name: str) -> list[list[str]]:
    """Rows of a file saved in the pending folder (a preview being confirmed)."""
    try:
        return run_isolated(
            read_table,
            str(path),
            name,
            settings.MAMORI_MAX_IMPORT_ROWS,
            seconds=settings.MAMORI_IMPORT_SECONDS,
            expected=(ReadError,),
        )
    except ReadError as exc:
        raise ImportFailed([_message(exc)]) from None
    except ChildFailed as exc:
        raise ImportFailed([exc.message]) from None


def _read_upload(upload, keep: bool):
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
        rows = read_path(path, upload.name)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    if not keep:
        path.unlink(missing_ok=True)
    return rows, path


@dataclass
class Row:
    """One checked row: its number in the file, its form (``None`` while a reference to a row of
    the same file is pending), what it changes on an existing record, and its extra records."""

    number: int
    cells: dict
    form: Any = None
    existing: Any = None
    changes: dict = field(default_factory=dict)
    extras: dict = field(default_factory=dict)
    children: list = field(default_factory=list)

    @property
    def added(self) -> list[str]:
        """The records added under this row's record, as 'kind: name' (for the preview)."""
        return [f"{child._meta.verbose_name}: {child}" for child in self.children]


@dataclass
class Plan:
    """What an import will do, before anything is written: the preview."""

    spec: ImportSpec
    new: list[Row] = field(default_factory=list)
    changed: list[Row] = field(default_factory=list)
    unchanged: list[Row] = field(default_factory=list)
    deferred: list[Row] = field(default_factory=list)
    context: object = None

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.changed)


def _label(spec: ImportSpec, name: str) -> str:
    return next((c.header for c in spec.columns if c.field == name), name)


def _validate(spec: ImportSpec, row: Row, context, org, *, finish: bool = True) -> tuple[list[str], bool]:
    """Check one row: sets ``row.form`` (``None`` when only the cross-row references,
    ``spec.finish``, failed and ``finish`` is False: they may point at rows not saved yet),
    ``row.existing`` and ``row.changes`` when it updates a record; returns its errors."""
    cells, row_errors = row.cells, []
    model = spec.form_class._meta.model
    data = instance_data(spec.form_class, model())
    converted = {}
    for col in spec.columns:
        raw = cells.get(col.header, "")
        if not raw:
            continue  # an empty cell keeps the default (or, on an update, the stored value)
        try:
            converted[col.field] = col.convert(raw, context) if col.convert else raw
        except ValueError as exc:
            row_errors.append(f"{col.header}: {exc}")
    for col in spec.extra_columns:
        raw = cells.get(col.header, "")
        try:
            row.extras[col.field] = (col.convert(raw, context) if col.convert else raw) if raw else None
        except ValueError as exc:
            row_errors.append(f"{col.header}: {exc}")
    if row_errors:
        return row_errors, False
    existing = spec.match(converted, context) if spec.match else None
    before: dict = {}
    if existing is not None:
        data = instance_data(spec.form_class, existing)
        before = dict(data)
    data.update(converted)
    if spec.finish:
        try:
            data = spec.finish(data, context)
        except ValueError as exc:
            if not finish:
                row.form = None
                return [], True
            return [str(exc)], False
    kwargs = spec.form_kwargs(context) if spec.form_kwargs else {}
    form = spec.form_class(data=data, org=org, instance=existing, **kwargs)
    if not form.is_valid():
        for fname, messages in form.errors.items():
            for message in messages:
                row_errors.append(
                    f"{_label(spec, fname) if fname != '__all__' else ''}: {message}".lstrip(": ")
                )
        return row_errors, False
    if spec.children:
        try:
            row.children = spec.children(form, existing, context)
        except ValueError as exc:
            return [str(exc)], False
    row.form, row.existing = form, existing
    if existing is not None:
        stored = {f.name for f in model._meta.concrete_fields}
        row.changes = {
            _label(spec, name): (before.get(name), value)
            for name, value in _form_values(form).items()
            if name in converted and name in stored and _plain(before.get(name)) != _plain(value)
        }
    return [], False


def _form_values(form) -> dict:
    return {name: form.cleaned_data.get(name) for name in form.fields if name in form.cleaned_data}


def _plain(value):
    if value is None:
        return ""
    if hasattr(value, "uuid"):
        return str(value.uuid)
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return str(value)


def _row_errors(number: int, messages: list[str]) -> list[str]:
    return [_("Row %(n)s: %(msg)s") % {"n": number, "msg": m} for m in messages]


def parse(spec: ImportSpec, request, table: list[list[str]]) -> Plan:
    """Check every row of ``table`` (header first) without writing anything; raises ImportFailed
    with every error, else returns what the import will do."""
    rows = strip_title_rows([r for r in table if any(str(c).strip() for c in r)])
    if not rows:
        raise ImportFailed([_("The file has no rows.")])
    headers = [str(h).replace("（必須）", "").strip() for h in rows[0]]
    known = {c.header for c in spec.columns} | {c.header for c in spec.extra_columns}
    errors = []
    missing = [c.header for c in spec.columns if c.required and c.header not in headers]
    if missing:
        errors.append(_("Missing columns: %(cols)s. Start from the template.") % {"cols": "、".join(missing)})
    unknown = [h for h in headers if h and h not in known]
    if unknown:
        errors.append(_("Unknown columns: %(cols)s.") % {"cols": "、".join(unknown)})
    if errors:
        raise ImportFailed(errors)
    context = spec.context(request) if spec.context else None
    plan = Plan(spec)
    seen: dict = {}  # the key of each row (a corporate number …) → its row number
    targets: dict = {}  # an existing record updated → the row number that updates it
    for number, raw in enumerate(rows[1:], start=2):
        row = Row(number, dict(zip(headers, [str(c).strip() for c in raw], strict=False)))
        row_errors, deferred = _validate(spec, row, context, request.org, finish=False)
        if not row_errors and row.form is not None:
            key = spec.key(row.form.cleaned_data) if spec.key else None
            if key and key in seen:
                row_errors.append(
                    _("%(key)s is also on row %(n)s: one row per record.") % {"key": key, "n": seen[key]}
                )
            elif key:
                seen[key] = number
            if row.existing is not None:
                if row.existing.pk in targets:
                    row_errors.append(
                        _("this row and row %(n)s both update %(obj)s.")
                        % {"n": targets[row.existing.pk], "obj": row.existing}
                    )
                targets[row.existing.pk] = number
        errors += _row_errors(number, row_errors)
        if deferred:
            plan.deferred.append(row)
        elif row.existing is None:
            plan.new.append(row)
        elif row.changes or row.children:
            plan.changed.append(row)
        else:
            plan.unchanged.append(row)
    if errors:
        raise ImportFailed(errors)
    plan.context = context
    return plan


def _save(spec: ImportSpec, request, rows: list[Row], actor) -> int:
    """Write checked rows: in bulk when the model's ``save()`` adds nothing (one entry per record
    still reaches the trail, the after-change hooks run batched), else row by row."""
    if not rows:
        return 0
    model = spec.form_class._meta.model
    plain = saves_plainly(model) and not any(
        f.many_to_many for f in model._meta.get_fields() if f.name in spec.form_class.base_fields
    )
    if plain:
        new = [r.form.save(commit=False) for r in rows if r.existing is None]
        changed = [r.form.save(commit=False) for r in rows if r.existing is not None and r.changes]
        fields = sorted(
            {n for r in rows if r.existing is not None for n in r.form.changed_data}
            & {f.name for f in model._meta.concrete_fields}
        )
        bulk_save(request, new, changed, fields, actor)
    else:
        for r in rows:
            if r.existing is None or r.changes:
                save_form(request, r.form, actor)
    children = []
    for r in rows:
        for child in r.children:
            setattr(child, spec.child_link, r.form.instance)
            children.append(child)
    by_model: dict = {}
    for child in children:
        by_model.setdefault(type(child), []).append(child)
    for group in by_model.values():
        bulk_save(request, group, [], [], actor)
    return len(rows)


def apply(spec: ImportSpec, request, plan: Plan) -> int:
    """Write the plan in one short transaction (everything was checked before): all or nothing.
    Rows whose reference points at a row of the same file are checked again once the rows
    before them are written; any error there and nothing is kept."""
    actor = Actor.from_request(request, via="import")
    errors: list[str] = []
    saved = 0
    with transaction.atomic(), _sqlite_cache():
        saved += _save(spec, request, plan.new + plan.changed, actor)
        pending = plan.deferred
        while pending:
            ready: list[Row] = []
            waiting: list[Row] = []
            for row in pending:
                row_errors, deferred = _validate(spec, row, plan.context, request.org, finish=False)
                (waiting if deferred else ready).append(row)
                errors += _row_errors(row.number, row_errors)
            if errors:
                break
            if not ready:  # nothing resolves any more: say why
                for row in waiting:
                    row_errors, _d = _validate(spec, row, plan.context, request.org)
                    errors += _row_errors(row.number, row_errors)
                break
            saved += _save(spec, request, ready, actor)
            pending = waiting
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise ImportFailed(sorted(errors, key=_row_number))
    return saved


@contextlib.contextmanager
def _sqlite_cache(kib: int = 262_144):
    """On SQLite, a page cache large enough for one import's writes (default 2 MB: a large
    transaction spills to disk and writes its index pages at random), for this transaction only."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        before = cursor.execute("PRAGMA cache_size").fetchone()[0]
        cursor.execute(f"PRAGMA cache_size=-{int(kib)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size={int(before)}")


def _row_number(message: str) -> int:
    digits = "".join(c for c in message.split(":")[0] if c.isdigit())
    return int(digits) if digits else 0


@contextlib.contextmanager
def without_gc():
    """The cyclic garbage collector paused while an import holds tens of thousands of checked
    rows: each of its passes walks every live object, which made a 50,000-row import quadratic.
    Reference counting still frees what is dropped; the collector runs again at the end."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def plan_file(spec: ImportSpec, request, upload) -> Plan:
    return parse(spec, request, read_rows(upload))


def run(spec: ImportSpec, request, upload) -> int:
    """Import every row or none (no preview). Returns the number of rows written or unchanged;
    raises ImportFailed."""
    with without_gc():
        plan = plan_file(spec, request, upload)
        return apply(spec, request, plan) + len(plan.unchanged)


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


def _halfwidth(value: str) -> str:
    """Full-width digits, signs and separators (「１２，０００」) as ASCII."""
    return unicodedata.normalize("NFKC", value).strip()


def _excel_exponent(value: str) -> bool:
    return bool(EXPONENT.fullmatch(value))


EXPONENT = re.compile(r"[0-9](\.[0-9]+)?[eE]\+?[0-9]+")


def _excel_mangled(value: str) -> ValueError:
    return ValueError(
        _(
            "'%(v)s' is a number Excel shortened to its exponent form, which has lost digits. Format the"
            " column as text (書式設定 → 文字列), type the number again and save."
        )
        % {"v": value}
    )


def number(value: str, _ctx=None):
    """A whole number as Excel or a person writes it: 「12,000」, full-width digits, 「12000.0」."""
    text = _halfwidth(value).replace(",", "").replace(" ", "")
    if not text:
        return None
    if _excel_exponent(text):
        raise _excel_mangled(value)
    if text.endswith(".0"):
        text = text[:-2]
    if not text.lstrip("-").isdigit():
        raise ValueError(_("'%(v)s' is not a whole number.") % {"v": value})
    return int(text)


def digits(value: str, _ctx=None) -> str:
    """An identifier of digits (法人番号): full-width digits and hyphens accepted, a number Excel
    turned into 「7.01101E+12」 refused with how to fix it."""
    text = _halfwidth(value).replace("-", "").replace(" ", "")
    if _excel_exponent(text):
        raise _excel_mangled(value)
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]  # a number cell read back as a float
    return text


def date(value: str, _ctx=None):
    value = _halfwidth(value).replace("/", "-")
    if not value:
        return None
    return value[:10]
