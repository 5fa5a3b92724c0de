"""The wording of what check sheets record by code in the trail (see :mod:`mamori.platform.messages`).

``object`` is the check sheet's name as recorded. Codes are stable: reword freely, never rename.
"""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from mamori.platform.messages import Message

TEXTS = {
    "checksheets.portal_viewed": Message(pgettext_lazy("trail", "%(object)s (viewed)")),
    "checksheets.portal_evidence_downloaded": Message(
        pgettext_lazy("trail", "%(object)s (evidence downloaded: %(file)s)")
    ),
    "checksheets.portal_excel_downloaded": Message(pgettext_lazy("trail", "%(object)s (Excel downloaded)")),
}
