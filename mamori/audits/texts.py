"""The wording of what audits record by code in the trail (see :mod:`mamori.platform.messages`).

Codes are stable: reword freely, never rename.
"""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from mamori.platform.messages import Message

TEXTS = {
    "audits.annual_report_exported": Message(
        pgettext_lazy("trail", "Annual supervision report %(year)s"), {"year": str}
    ),
}
