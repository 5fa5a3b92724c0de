"""The incidents' dashboard card (registered in :mod:`mamori.incidents.apps`): every open incident
with its next deadline of any kind (速報, 確報, the My Number reports, the notice to the principal,
any open task), overdue first."""

from __future__ import annotations

from django.utils import timezone

from mamori.incidents.models import Incident, Task
from mamori.platform.tenancy.scoping import scoped


def next_deadlines(incidents, today) -> list[dict]:
    """One row per open incident: its earliest open, still-needed task with a due date."""
    tasks = (
        Task.objects.filter(
            incident__in=incidents, done_at__isnull=True, not_needed_reason="", due_on__isnull=False
        )
        .order_by("due_on", "step", "pk")
        .values("incident_id", "title", "due_on")
    )
    first: dict[int, dict] = {}
    for task in tasks:
        first.setdefault(task["incident_id"], task)
    rows = []
    for incident in incidents:
        task = first.get(incident.pk)
        a = incident.assessment or {}
        rows.append(
            {
                "incident": incident,
                "verdict": (a.get("verdict") or {}).get("headline") or "",
                "verdict_code": (a.get("verdict") or {}).get("code") or "",
                "task": task["title"] if task else "",
                "due": task["due_on"] if task else None,
                "overdue": bool(task and task["due_on"] < today),
                "days": (task["due_on"] - today).days if task else None,
            }
        )
    rows.sort(key=lambda r: (r["due"] is None, r["due"] or today))
    return rows


def open_incidents(request) -> dict:
    incidents = list(scoped(request, Incident).filter(state="open").order_by("final_due", "aware_on")[:50])
    today = timezone.localdate()
    rows = next_deadlines(incidents, today)[:10]
    return {"open_incidents": [r["incident"] for r in rows], "incident_deadlines": rows}
