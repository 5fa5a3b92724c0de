"""Incident rules: what people may write in the timeline (the other kinds of entry are Mamori's own).

The actions (:mod:`mamori.incidents.actions`) check them, so the page and the API refuse the same
input in the same words (:class:`~mamori.platform.rules.RuleError`, messages per field).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamori.platform.rules import Refusals

#: The kinds of timeline entry a person adds; assessments, tasks, scans, documents and state changes
#: are written by Mamori itself.
NOTE_KINDS = {
    "note": gettext_lazy("Note"),
    "decision": gettext_lazy("Decision"),
    "action": gettext_lazy("Action taken"),
    "correction": gettext_lazy("Correction"),
}


def check_note(kind: str, text: str, occurred_at=None) -> None:
    from django.utils import timezone

    refusals = Refusals()
    if occurred_at is not None and occurred_at > timezone.now():
        refusals.add("occurred_at", _("When it happened cannot be in the future."))
    if kind not in NOTE_KINDS:
        refusals.add("kind", _("The kind is one of note, decision, action or correction."))
    if not (text or "").strip():
        refusals.add("text", _("Write what happened."))
    refusals.raise_any()
