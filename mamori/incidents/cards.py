"""The incidents' dashboard card (registered in :mod:`mamori.incidents.apps`)."""

from __future__ import annotations

from mamori.incidents.models import Incident
from mamori.platform.tenancy.scoping import scoped


def open_incidents(request) -> dict:
    return {
        "open_incidents": scoped(request, Incident)
        .filter(state="open")
        .order_by("final_due", "aware_on")[:10]
    }
