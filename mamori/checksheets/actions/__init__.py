"""Check-sheet actions, one module per concern:

- :mod:`.templates` — the built-in templates, new versions of a structure;
- :mod:`.sending` — sending, answer links, the mails (delivered by the worker) and the reminders;
- :mod:`.answering` — the portal: answers, evidence, the score, submission;
- :mod:`.review` — approving or returning a submitted sheet;
- :mod:`.excel` — a template's questions and a vendor's answers as Excel, and back (an upload
  changes only what was filled in or changed, and returns conflicts for the vendor to choose);
- :mod:`.editor` — the online question editor (a new version of a template).

Pages, the portal, the API and the worker call these (``from mamori.checksheets import actions``
keeps working: the names are gathered here; the worker's queued tasks name them here too). Every
change is trailed by the saves themselves (mamori.platform.trail.capture), in the same transaction;
an action that is given an actor (or a recipient, for the portal) makes its changes as that actor.
The vendor's rating is not updated here: submitting and reviewing emit the events of
:mod:`mamori.checksheets.events`, which :mod:`mamori.risk` listens to.
"""

from mamori.checksheets.actions.answering import (
    ALLOWED_EVIDENCE,
    LINK_CLOSED,
    add_evidence,
    answers_dict,
    can_answer,
    confirm_prefilled,
    content_matches,
    forward,
    notify_requester,
    portal_actor,
    rescore,
    save_answer,
    submit,
    withdraw_evidence,
)
from mamori.checksheets.actions.errors import ChecksheetError
from mamori.checksheets.actions.excel import (
    ANSWER_HEADERS,
    EXCEL_HEADERS,
    answers_workbook,
    import_answers,
    structure_from_rows,
    structure_rows,
)
from mamori.checksheets.actions.review import review
from mamori.checksheets.actions.sending import (
    SUBJECTS,
    add_recipient,
    chain,
    deliver_mail,
    extend_due,
    first_reminder,
    open_elsewhere,
    process_due_reminders,
    regenerate_link,
    remind_overdue,
    reopen,
    resend,
    revoke_link,
    send,
    send_due_reminders,
    settings_for,
)
from mamori.checksheets.actions.templates import add_version, ensure_builtin

__all__ = [
    "ALLOWED_EVIDENCE",
    "ANSWER_HEADERS",
    "EXCEL_HEADERS",
    "LINK_CLOSED",
    "SUBJECTS",
    "ChecksheetError",
    "add_evidence",
    "add_recipient",
    "add_version",
    "answers_dict",
    "answers_workbook",
    "can_answer",
    "chain",
    "confirm_prefilled",
    "content_matches",
    "deliver_mail",
    "ensure_builtin",
    "extend_due",
    "first_reminder",
    "forward",
    "import_answers",
    "notify_requester",
    "open_elsewhere",
    "portal_actor",
    "process_due_reminders",
    "regenerate_link",
    "remind_overdue",
    "reopen",
    "rescore",
    "resend",
    "review",
    "revoke_link",
    "save_answer",
    "send",
    "send_due_reminders",
    "settings_for",
    "structure_from_rows",
    "structure_rows",
    "submit",
    "withdraw_evidence",
]
