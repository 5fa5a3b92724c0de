"""The wording of what the incident workspace records by code (timeline and trail entries).

Each entry stores a code and plain parameters (see :mod:`mamori.platform.messages`); this catalogue
turns them into a sentence in the reader's language. Codes are stable: reword freely, never rename.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import get_language, pgettext, pgettext_lazy

from mamori.core.vocabulary import BY_CODE
from mamori.incidents.models import DocumentKind
from mamori.platform.messages import Message, join, plain


def document_label(kind: Any) -> str:
    return str(DocumentKind(kind).label) if kind in DocumentKind.values else plain(kind)


def item_label(code: Any) -> str:
    item = BY_CODE.get(code)
    if item is None:
        return plain(code)
    return item.en if (get_language() or "").startswith("en") else item.ja


def _assessment(params: Mapping[str, Any]) -> str:
    if params.get("verdict") == "pending":
        verdict = pgettext("timeline", "verdict on hold until the missing facts are known")
    elif params.get("verdict") == "vendor_notified":
        verdict = pgettext("timeline", "principal notified (the duty to report is the principal's)")
    elif params.get("reportable"):
        verdict = pgettext("timeline", "a reportable situation")
    else:
        verdict = pgettext("timeline", "not a reportable situation")
    if params.get("final_due"):
        verdict = pgettext(
            "timeline",
            "%(verdict)s (preliminary report around %(from)s to %(to)s, final report due %(due)s)",
        ) % {
            "verdict": verdict,
            "from": plain(params.get("preliminary_from")),
            "to": plain(params.get("preliminary_to")),
            "due": plain(params.get("final_due")),
        }
    if params.get("my_number"):
        verdict = pgettext("timeline", "%(verdict)s; My Number Act: %(mn)s") % {
            "verdict": verdict,
            "mn": {
                "required": pgettext("timeline", "report required"),
                "pending": pgettext("timeline", "on hold"),
            }.get(params["my_number"], pgettext("timeline", "no report required")),
        }
    if params.get("reassessed"):
        return pgettext("timeline", "Reassessment: %(verdict)s") % {"verdict": verdict}
    return pgettext("timeline", "Assessment: %(verdict)s") % {"verdict": verdict}


def _closed(params: Mapping[str, Any]) -> str:
    if params.get("open_tasks"):
        return pgettext("timeline", "Incident closed (%(open_tasks)s tasks not done)") % {
            "open_tasks": plain(params["open_tasks"])
        }
    return pgettext("timeline", "Incident closed")


def _individuals(value: Any) -> str:
    return str(value) if value else pgettext("timeline", "unknown")


TEXTS = {
    # --- the timeline -------------------------------------------------------------------------
    "incidents.assessed": _assessment,
    "incidents.closed": _closed,
    "incidents.scanned": Message(
        pgettext_lazy(
            "timeline",
            "Scanned the file %(file)s: %(rows)s rows, %(individuals)s individuals, items %(items)s"
            " (the file was not kept)",
        ),
        {"individuals": _individuals, "items": lambda codes: join(item_label(c) for c in codes or [])},
    ),
    "incidents.task_added": Message(pgettext_lazy("timeline", "Task added: %(title)s")),
    "incidents.task_done": Message(pgettext_lazy("timeline", "Done: %(title)s")),
    "incidents.task_reopened": Message(pgettext_lazy("timeline", "Back to not done: %(title)s")),
    "incidents.document_created": Message(
        pgettext_lazy("timeline", "Document created: %(document)s (%(format)s)"), {"document": document_label}
    ),
    # --- the trail (``object`` is the incident's name as recorded) --------------------------------
    "incidents.document_exported": Message("%(object)s: %(document)s", {"document": document_label}),
}
