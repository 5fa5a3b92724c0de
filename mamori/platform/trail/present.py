"""The trail as people read it: Japanese labels, readable values, Japan time, names instead of codes.

The trail stores developer facts (``ledger.dataasset``, ``web:a@example.jp``, field names, item codes,
uuids). This module turns a page of entries into rows for the trail page and its CSV export;
nothing here changes what is stored or hashed.
"""

from __future__ import annotations

import re
import uuid as uuid_module
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import dateformat
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import Promise
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from mamori.core.contracts import CLAUSE_LABELS
from mamori.platform import messages
from mamori.platform.fields import ITEM_NAMES, SPECIAL_CARE_NAMES
from mamori.platform.trail.models import Action, TrailEntry

TOKYO = ZoneInfo("Asia/Tokyo")

# How someone acted (the prefix of the stored actor label).
DOORS = {
    "web": gettext_lazy("Screen"),
    "api": "API",
    "cli": "CLI",
    "worker": gettext_lazy("Automatic processing"),
    "system": gettext_lazy("Automatic processing"),
    "import": gettext_lazy("Import"),
    "portal": gettext_lazy("Vendor portal"),
    "demo": gettext_lazy("Sample data"),
}

# Kinds of object whose model has no translated name, or that are not models at all.
KIND_LABELS = {
    "accounts.apitoken": gettext_lazy("API token"),
    "audits.report": gettext_lazy("audit report"),
    "audits.selfassessment": gettext_lazy("self-assessment"),
    "audits.auditplan": gettext_lazy("audit plan"),
    "audits.auditfile": gettext_lazy("audit file"),
    "checksheets.templateversion": gettext_lazy("check-sheet version"),
    "checksheets.recipient": gettext_lazy("answer link"),
    "checksheets.answer": gettext_lazy("check-sheet answer"),
    "checksheets.evidence": gettext_lazy("evidence file"),
    "checksheets.comment": gettext_lazy("review comment"),
    "checksheets.settings": gettext_lazy("check-sheet settings"),
    "incidents.task": gettext_lazy("response task"),
    "incidents.timelineentry": gettext_lazy("timeline entry"),
    "incidents.documenttemplate": gettext_lazy("document template"),
}

# Field names without a translated verbose_name, and keys that are not fields (recorded by hand).
FIELD_LABELS = {
    "accepted_at": gettext_lazy("accepted at"),
    "answers": gettext_lazy("answers"),
    "assessment": gettext_lazy("assessment"),
    "closed_at": gettext_lazy("closed at"),
    "comments": gettext_lazy("comments"),
    "completed_at": gettext_lazy("completed at"),
    "created_at": gettext_lazy("created at"),
    "critical_failed": gettext_lazy("critical questions failed"),
    "data_asset": gettext_lazy("data set"),
    "document_name": gettext_lazy("document file"),
    "done_at": gettext_lazy("done at"),
    "due_on": gettext_lazy("due date"),
    "excel": gettext_lazy("Excel file"),
    "expires_at": gettext_lazy("expires at"),
    "final_due": gettext_lazy("final report due"),
    "invited_by": gettext_lazy("invited by"),
    "is_active": gettext_lazy("active"),
    "link": gettext_lazy("answer link"),
    "preliminary_due": gettext_lazy("preliminary report due"),
    "rating": gettext_lazy("rating"),
    "reviewed_at": gettext_lazy("reviewed at"),
    "revoked_at": gettext_lazy("revoked at"),
    "round": gettext_lazy("round"),
    "score": gettext_lazy("score"),
    "section_scores": gettext_lazy("section scores"),
    "sent_at": gettext_lazy("sent at"),
    "state": gettext_lazy("state"),
    "submitted_at": gettext_lazy("submitted at"),
    "suggested_clauses": gettext_lazy("clauses suggested"),
    "updated_at": gettext_lazy("updated at"),
    "user": gettext_lazy("user"),
    "vendor": gettext_lazy("vendor"),
    "vendors": gettext_lazy("vendors"),
    "version": gettext_lazy("version"),
}

# Codes stored in lists and dicts, by the name of the field or key that holds them.
VOCABULARIES = {
    "items": ITEM_NAMES,
    "special_care": SPECIAL_CARE_NAMES,
    "clauses": CLAUSE_LABELS,
    "suggested_clauses": CLAUSE_LABELS,
}

# Keys recorded by hand whose value is a list of references (not a [before, after] pair).
REFERENCE_LISTS = {"vendors": "vendors.vendor"}

# Identifiers the page already shows as the object itself.
HIDDEN_KEYS = {"uuid", "id"}

ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TEXT_LIMIT = 300


def none_text() -> str:
    return _("(none)")


def format_datetime(value, seconds: bool = False) -> str:
    """A moment in Japan time, e.g. 2026年11月25日 14:03."""
    local = value.astimezone(TOKYO) if value.tzinfo else value.replace(tzinfo=TOKYO)
    # Translators: Django date format (https://docs.djangoproject.com/en/stable/ref/templates/builtins/#date)
    pattern = _("N j, Y, H:i:s") if seconds else _("N j, Y, H:i")
    return dateformat.format(local, pattern)


def format_date(value) -> str:
    # Translators: Django date format for a day.
    return dateformat.format(value, _("N j, Y"))


def model_for(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def kind_label(object_type: str) -> str:
    """The object's kind as its model's translated name (the stored label if nothing better is known)."""
    if object_type in KIND_LABELS:
        return capfirst(str(KIND_LABELS[object_type]))
    model = model_for(object_type)
    if model is not None and isinstance(model._meta.verbose_name, Promise):
        return capfirst(str(model._meta.verbose_name))
    app_label = object_type.partition(".")[0]
    try:
        # The app's name as the menu shows it ("Ledger" → 台帳), when the kind itself is unknown.
        return _(str(apps.get_app_config(app_label).verbose_name))
    except LookupError:
        return object_type or "—"


def kind_name(object_type: str) -> str:
    """The object's kind in a sentence ("vendor"), the stored label if nothing better is known."""
    if object_type in KIND_LABELS:
        return str(KIND_LABELS[object_type])
    model = model_for(object_type)
    if model is not None and isinstance(model._meta.verbose_name, Promise):
        return str(model._meta.verbose_name)
    return object_type


# The trail's own worded events (registered in TrailConfig.ready); ``object`` is the entry's object.
TEXTS = {
    "trail.deleted_with": messages.Message(
        pgettext_lazy("trail", "%(object)s (deleted along with the %(kind)s “%(name)s”)"),
        {"kind": kind_name},
    ),
}


def field_for(model: type[models.Model] | None, name: str) -> models.Field | None:
    if model is None:
        return None
    try:
        found = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return found if isinstance(found, models.Field) and found.concrete else None


def field_label(model: type[models.Model] | None, name: str) -> str:
    found = field_for(model, name)
    if found is not None and isinstance(found.verbose_name, Promise):
        return capfirst(str(found.verbose_name))
    if name in FIELD_LABELS:
        return capfirst(str(FIELD_LABELS[name]))
    return capfirst(name.replace("_", " "))


def split_actor_label(label: str) -> tuple[str, str]:
    """'web:a@b.jp' → ('web', 'a@b.jp'); 'portal:x@v.jp:-' → ('portal', 'x@v.jp'); unknown → ('', label)."""
    via, sep, rest = (label or "").partition(":")
    if not sep or via not in DOORS:
        return "", label or ""
    parts = [p for p in rest.split(":") if p and p != "-"]
    return via, ":".join(parts)


def door_label(via: str) -> str:
    return str(DOORS[via]) if via in DOORS else via


def actor_text(label: str) -> str:
    """A stored actor label as a person reads it: 'web:a@b.jp' → 'a@b.jp（画面）'."""
    via, rest = split_actor_label(label)
    who = rest or (str(_("System")) if via in ("system", "worker", "") else "—")
    return f"{who}（{door_label(via)}）" if via else who


def user_name(user) -> str:
    return (getattr(user, "name", "") or "").strip() or getattr(user, "email", "") or str(user)


@dataclass(frozen=True)
class Change:
    label: str
    before: str | None  # None: not shown (a creation, or a value recorded without a before)
    after: str | None  # None: not shown (a deletion)

    def text(self) -> str:
        if self.before is None:
            return f"{self.label}: {self.after}"
        if self.after is None:
            return f"{self.label}: {self.before}"
        return f"{self.label}: {self.before} → {self.after}"


@dataclass(frozen=True)
class Row:
    entry: TrailEntry
    at: str
    actor: str
    door: str
    action: str
    kind: str
    object: str
    changes: list[Change] = field(default_factory=list)

    def changes_text(self) -> str:
        return "\n".join(c.text() for c in self.changes)

    def changes_html(self) -> SafeString:
        """The page's "Changes" cell, built here rather than by a template loop over every change
        (that loop was most of the trail page's cost): every value escaped by format_html."""
        return format_html_join(
            "",
            "<div><strong>{}</strong>: {}{}{}</div>",
            (
                (
                    c.label,
                    "" if c.before is None else c.before,
                    " → " if c.before is not None and c.after is not None else "",
                    "" if c.after is None else c.after,
                )
                for c in self.changes
            ),
        )


class _References:
    """Names of the objects that foreign keys point to, looked up once per model for a whole page."""

    def __init__(self, org):
        self.org = org
        self.wanted: dict[type[models.Model], set[str]] = defaultdict(set)
        self.names: dict[tuple[type[models.Model], str], str] = {}
        self.resolved: set[type[models.Model]] = set()

    def want(self, model: type[models.Model], value) -> None:
        if isinstance(value, list):
            for v in value:
                self.want(model, v)
        elif isinstance(value, str | int) and not isinstance(value, bool) and value != "":
            self.wanted[model].add(str(value))

    def resolve(self) -> None:
        user_model = get_user_model()
        for model, values in self.wanted.items():
            if model is user_model:
                keys = [int(v) for v in values if v.isdigit()]
                qs = model.objects.filter(pk__in=keys, memberships__organization=self.org)
                for user in qs:
                    self.names[(model, str(user.pk))] = user_name(user)
                self.resolved.add(model)
                continue
            uuid_field = field_for(model, "uuid")
            if field_for(model, "organization") is None or uuid_field is None:
                continue
            uuids: list[uuid_module.UUID] = []
            for v in values:
                try:
                    uuids.append(uuid_module.UUID(v))
                except ValueError:
                    continue
            # The names (``str``) of most records mention what they point to (an entrustment names its
            # vendor and data set): those come in the same query, not one more per model.
            related = [
                f.name
                for f in model._meta.concrete_fields
                if f.many_to_one and f.name != "organization" and f.related_model is not user_model
            ]
            objects = model._default_manager.filter(organization=self.org, uuid__in=uuids)
            for obj in objects.select_related(*related):
                self.names[(model, str(uuid_field.value_from_object(obj)))] = str(obj)
            self.resolved.add(model)

    def name(self, model: type[models.Model], value) -> str:
        key = str(value)
        if (model, key) in self.names:
            return self.names[(model, key)]
        if model not in self.resolved:
            return key
        # Deleted since (or never in this organization): say so, with enough of the id to tell apart.
        return _("deleted (%(id)s)") % {"id": key[:8]}


def _reference_model(model, key: str) -> type[models.Model] | None:
    found = field_for(model, key)
    if isinstance(found, models.ForeignKey):
        return found.related_model
    if key in REFERENCE_LISTS and found is None:
        return model_for(REFERENCE_LISTS[key])
    return None


def _field_order(model, key: str) -> tuple[int, str]:
    """Changes in the order of the model's fields (the form's order), unknown keys last."""
    names = [f.name for f in model._meta.concrete_fields] if model is not None else []
    return (names.index(key) if key in names else len(names), key)


def _is_empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _shorten(text: str, limit: int | None) -> str:
    if limit and len(text) > limit:
        return text[: limit - 1] + "…"
    return text


def value_text(
    value, found: models.Field | None = None, key: str = "", refs=None, target=None, model=None
) -> str:
    """One stored value as a person reads it."""
    if _is_empty(value):
        return none_text()
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if target is not None and refs is not None:
        if isinstance(value, list):
            return "、".join(refs.name(target, v) for v in value)
        return refs.name(target, value)
    vocabulary = VOCABULARIES.get(key, {})
    owner = found.model if found is not None else model
    trail_labels = getattr(owner, "trail_labels", {})
    if key in trail_labels:
        vocabulary = trail_labels[key]  # codes of a field without choices, or of a recorded key
    if isinstance(value, list):
        return "、".join(value_text(vocabulary.get(v, v) if isinstance(v, str) else v) for v in value)
    if isinstance(value, dict):
        return "、".join(f"{vocabulary.get(k, k)}: {value_text(v)}" for k, v in value.items())
    if isinstance(found, models.FileField) and isinstance(value, str):
        return value.rsplit("/", 1)[-1]  # the file's name, not where it is stored
    if found is not None and found.choices:
        choices = {str(k): v for k, v in found.flatchoices}
        if str(value) in choices:
            return str(choices[str(value)])
    if isinstance(value, str):
        if ISO_DATETIME.match(value):
            parsed = parse_datetime(value)
            if parsed is not None:
                return format_datetime(parsed)
        if ISO_DATE.match(value):
            day = parse_date(value)
            if day is not None:
                return format_date(day)
        return str(vocabulary.get(value, value))
    return str(value)


def _pair(key: str, value) -> tuple[object, object, bool]:
    """(before, after, has_before): diffs are [before, after]; hand-recorded keys may be plain values."""
    if isinstance(value, list) and len(value) == 2 and key not in REFERENCE_LISTS:
        return value[0], value[1], True
    return None, value, False


def _worded(changes: dict) -> dict:
    """A row that words itself by code (an incident's timeline entry): its text as the reader reads
    it, rendered from the code and parameters, instead of the code, the parameters and the stored copy."""
    code = changes.get("code")
    if not (
        isinstance(code, list)
        and len(code) == 2
        and any(isinstance(c, str) and messages.knows(c) for c in code)
    ):
        return changes
    params = changes.get("params")
    if not isinstance(params, list):
        params = [None, None]
    texts = changes.get("text")
    if not isinstance(texts, list):
        texts = [None, None]
    worded = [
        messages.render(c, p if isinstance(p, dict) else {})
        if isinstance(c, str) and messages.knows(c)
        else t
        for c, p, t in zip(code, params, texts, strict=False)
    ]
    out = {k: v for k, v in changes.items() if k not in ("code", "params")}
    out["text"] = worded
    return out


def object_text(entry: TrailEntry) -> str:
    """What the entry is about: its worded event in the reader's language, else the stored name."""
    if entry.code:
        return messages.render(entry.code, {"object": entry.object_repr, **(entry.params or {})})
    return entry.object_repr


def rows(entries, org, limit: int | None = TEXT_LIMIT) -> list[Row]:
    """Readable rows for trail entries of one organization (``limit`` shortens long texts; None: full)."""
    entries = list(entries)
    refs = _References(org)
    parsed = []
    for e in entries:
        model = model_for(e.object_type)
        changes = _worded(e.changes) if isinstance(e.changes, dict) else {"": e.changes}
        items = []
        for key, value in sorted(changes.items(), key=lambda kv: _field_order(model, kv[0])):
            if key in HIDDEN_KEYS:
                continue
            before, after, has_before = _pair(key, value)
            target = _reference_model(model, key)
            if target is not None:
                refs.want(target, before)
                refs.want(target, after)
            items.append((key, before, after, has_before, target))
        parsed.append((e, model, items))
    refs.resolve()

    action_labels = {value: str(label) for value, label in Action.choices}  # once, not per row
    labels: dict[tuple, str] = {}
    result = []
    for e, model, items in parsed:
        row_changes: list[Change] = []
        for key, before, after, has_before, target in items:
            if e.action == Action.CREATE and _is_empty(after):
                continue
            if e.action == Action.DELETE and _is_empty(before):
                continue
            found = field_for(model, key)

            def show(value, found=found, key=key, target=target, model=model):
                return _shorten(value_text(value, found, key, refs, target, model), limit)

            if key:
                if (model, key) not in labels:
                    labels[(model, key)] = field_label(model, key)
                label = labels[(model, key)]
            else:
                label = _("Details")
            if not has_before or e.action == Action.CREATE:
                row_changes.append(Change(label, None, show(after)))
            elif e.action == Action.DELETE:
                row_changes.append(Change(label, show(before), None))
            else:
                row_changes.append(Change(label, show(before), show(after)))
        via, rest = split_actor_label(e.actor_label)
        if e.actor_id and e.actor is not None:
            actor = user_name(e.actor)
        else:
            actor = rest or (_("System") if via in ("system", "worker", "") else "—")
        result.append(
            Row(
                entry=e,
                at=format_datetime(e.at, seconds=True),
                actor=actor,
                door=door_label(via),
                action=action_labels.get(e.action, e.action),
                kind=kind_label(e.object_type),
                object=object_text(e),
                changes=row_changes,
            )
        )
    return result
