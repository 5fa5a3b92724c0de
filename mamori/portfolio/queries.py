"""The law firm's portfolio: one page across every organization the user belongs to.

Each card is one query whatever the number of clients (the clients themselves are one more):
the open incidents with their nearest open deadline, the check sheets overdue, the vendors at high
risk and the open audit findings, each grouped by organization. Only organizations the user is a
member of are read (the memberships are the scope)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, F, Min, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from mamori.audits.models import Finding
from mamori.checksheets.models import OPEN_STATES, Assessment
from mamori.incidents.models import Incident, Task
from mamori.platform.tenancy.models import Membership
from mamori.vendors.models import Vendor

INCIDENT_ROWS = 100  # the incidents card lists at most this many (nearest deadline first)


@dataclass
class Client:
    org: object
    role: str
    incidents: int = 0
    sheets_overdue: int = 0
    vendors_high: int = 0
    findings_open: int = 0
    nearest: dt.date | None = None

    @property
    def attention(self) -> int:
        return self.incidents + self.sheets_overdue + self.vendors_high + self.findings_open


@dataclass
class Portfolio:
    clients: list[Client]
    incidents: list = field(default_factory=list)
    today: dt.date | None = None


def _counts(queryset, org_ids) -> dict[int, int]:
    return dict(
        queryset.filter(organization_id__in=org_ids)
        .order_by()
        .values("organization_id")
        .annotate(n=Count("*"))
        .values_list("organization_id", "n")
    )


def portfolio(user, today: dt.date) -> Portfolio:
    memberships = list(Membership.objects.filter(user=user).select_related("organization"))
    clients = {m.organization_id: Client(m.organization, m.role) for m in memberships}
    ids = list(clients)
    if not ids:
        return Portfolio([], [], today)
    open_tasks = Task.objects.filter(
        incident=OuterRef("pk"), done_at__isnull=True, due_on__isnull=False
    ).order_by("due_on", "pk")
    incidents = list(
        Incident.objects.filter(organization_id__in=ids, state="open")
        .annotate(
            task_due=Subquery(open_tasks.values("due_on")[:1]),
            task_title=Subquery(open_tasks.values("title")[:1]),
        )
        .annotate(nearest=Coalesce(F("task_due"), F("final_due")))
        .only("uuid", "title", "organization_id", "aware_on", "final_due")
        .order_by(F("nearest").asc(nulls_last=True), "aware_on", "pk")[:INCIDENT_ROWS]
    )
    for incident in incidents:
        incident.client = clients[incident.organization_id]
        incident.overdue = incident.nearest is not None and incident.nearest < today
        days = (incident.nearest - today).days if incident.nearest else None
        if days is None:
            incident.when = ""
        elif days < 0:
            incident.when = gettext("%(n)s days overdue") % {"n": -days}
        else:
            incident.when = gettext("in %(n)s days") % {"n": days}
    # Every client's open incidents and nearest deadline (the list above stops at INCIDENT_ROWS).
    for org_id, n, nearest in (
        Incident.objects.filter(organization_id__in=ids, state="open")
        .annotate(task_due=Subquery(open_tasks.values("due_on")[:1]))
        .order_by()
        .values("organization_id")
        .annotate(n=Count("*"), nearest=Min(Coalesce(F("task_due"), F("final_due"))))
        .values_list("organization_id", "n", "nearest")
    ):
        clients[org_id].incidents, clients[org_id].nearest = n, nearest
    overdue = _counts(Assessment.objects.filter(state__in=OPEN_STATES, due_on__lt=today), ids)
    high = _counts(Vendor.objects.filter(risk_rating="high").exclude(status="ended"), ids)
    findings = _counts(Finding.objects.filter(closed_on__isnull=True), ids)
    for org_id, client in clients.items():
        client.sheets_overdue = overdue.get(org_id, 0)
        client.vendors_high = high.get(org_id, 0)
        client.findings_open = findings.get(org_id, 0)
    ordered = sorted(
        clients.values(),
        key=lambda c: (c.nearest is None, c.nearest or today, -c.attention, c.org.name),
    )
    return Portfolio(ordered, incidents, today)
