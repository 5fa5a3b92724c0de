"""The dashboard's 「次にすること」 and its small charts (registered in :mod:`mamori.audits.apps`).

Each line of the to-do card is one query: the first few rows to fix, each carrying the total as a
window count, so a card costs one query whatever the size of the organization. Each row links
straight to the page that fixes it (add a contact, register a contract, record an approval, open
the check sheet, close the corrective action).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Window
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamori.audits.models import ActionStatus, CorrectiveAction
from mamori.checksheets.models import OPEN_STATES, Assessment, State
from mamori.incidents.models import Incident
from mamori.platform.tenancy.scoping import scoped
from mamori.vendors.models import Entrustment, Tier, Vendor, VendorStatus

SHOWN = 5  # rows shown under each line; the line says how many there are in all
SOON_DAYS = 7  # a check sheet is "due soon" this many days ahead

CONTROL = [
    ("A", gettext_lazy("A: good")),
    ("B", gettext_lazy("B: mostly good")),
    ("C", gettext_lazy("C: needs improvement")),
    ("D", gettext_lazy("D: insufficient")),
    ("", gettext_lazy("Not yet rated")),
]


def _first_with_total(queryset) -> tuple[list, int]:
    rows = list(queryset.annotate(total=Window(Count("pk")))[:SHOWN])
    return rows, (rows[0].total if rows else 0)


def todo(request) -> dict:
    today = timezone.localdate()
    current = scoped(request, Vendor).exclude(status=VendorStatus.ENDED)
    lines = []

    rows, n = _first_with_total(current.filter(contacts__isnull=True).order_by("name"))
    lines.append(
        {
            "key": "no-contact",
            "title": _("Vendors without a contact person: %(n)s") % {"n": f"{n:,}"},
            "n": n,
            "fix": _("Add a contact"),
            "rows": [(v.name, reverse("contacts:create") + f"?vendor={v.uuid}") for v in rows],
            "all": reverse("vendors:list"),
        }
    )
    rows, n = _first_with_total(current.filter(contracts__isnull=True).order_by("name"))
    lines.append(
        {
            "key": "no-contract",
            "title": _("Vendors with no contract registered: %(n)s") % {"n": f"{n:,}"},
            "n": n,
            "fix": _("Register the contract"),
            "rows": [(v.name, reverse("contracts:create") + f"?vendor={v.uuid}") for v in rows],
            "all": reverse("contracts:list"),
        }
    )
    rows, n = _first_with_total(
        scoped(request, Entrustment)
        .filter(parent__isnull=False, approved=False, vendor__status__in=_live_statuses())
        .select_related("vendor", "parent__vendor")
        .order_by("vendor__name", "pk")
    )
    lines.append(
        {
            "key": "unapproved",
            "title": _("Re-subcontracting without approval: %(n)s") % {"n": f"{n:,}"},
            "n": n,
            "fix": _("Record the approval"),
            "rows": [
                (
                    f"{e.parent.vendor.name} → {e.vendor.name}",
                    reverse("entrustment_approve", args=[e.uuid]),
                )
                for e in rows
            ],
            "all": reverse("entrustments:list") + "?sub=1",
        }
    )
    rows, n = _first_with_total(
        scoped(request, Assessment)
        .filter(state__in=OPEN_STATES, due_on__lte=today + dt.timedelta(days=SOON_DAYS))
        .select_related("vendor")
        .order_by("due_on", "pk")
    )
    lines.append(
        {
            "key": "sheets-due",
            "title": _("Check sheets due within %(days)s days or overdue: %(n)s")
            % {"days": SOON_DAYS, "n": f"{n:,}"},
            "n": n,
            "fix": _("Open"),
            "rows": [
                (
                    _("%(vendor)s (due %(date)s)") % {"vendor": a.vendor.name, "date": _date(a.due_on)},
                    reverse("checksheets:detail", args=[a.uuid]),
                )
                for a in rows
            ],
            "all": reverse("checksheets:dashboard"),
        }
    )
    rows, n = _first_with_total(
        scoped(request, CorrectiveAction)
        .filter(status=ActionStatus.OPEN, due_on__lt=today)
        .order_by("due_on", "pk")
    )
    lines.append(
        {
            "key": "actions-overdue",
            "title": _("Corrective actions past their due date: %(n)s") % {"n": f"{n:,}"},
            "n": n,
            "fix": _("Record progress"),
            "rows": [
                (
                    _("%(what)s (due %(date)s)") % {"what": c.what[:60], "date": _date(c.due_on)},
                    reverse("actions:edit", args=[c.uuid]),
                )
                for c in rows
            ],
            "all": reverse("actions:list"),
        }
    )
    return {"todo_lines": lines, "todo_count": sum(line["n"] for line in lines)}


def _live_statuses() -> list[str]:
    return [s for s in VendorStatus.values if s != VendorStatus.ENDED]


def _date(day: dt.date) -> str:
    from django.utils.formats import date_format

    return date_format(day, "DATE_FORMAT")


def _bars(pairs: list[tuple[str, int, str]]) -> list[dict]:
    """(label, count, link) → bars with a width in percent of the largest."""
    top = max((n for _label, n, _url in pairs), default=0) or 1
    return [{"label": label, "n": n, "url": url, "pct": round(100 * n / top)} for label, n, url in pairs]


def charts(request) -> dict:
    today = timezone.localdate()
    # Vendors: one query, grouped by inherent tier and control rating together.
    by_tier: dict[str, int] = {}
    by_control: dict[str, int] = {}
    for tier, control, n in (
        scoped(request, Vendor)
        .exclude(status=VendorStatus.ENDED)
        .values_list("inherent_tier", "control_rating")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        by_tier[tier] = by_tier.get(tier, 0) + n
        by_control[control or ""] = by_control.get(control or "", 0) + n
    vendors_list = reverse("vendors:list")
    tiers = _bars(
        [(str(label), by_tier.get(code, 0), f"{vendors_list}?tier={code}") for code, label in Tier.choices]
    )
    controls = _bars([(str(label), by_control.get(code, 0), vendors_list) for code, label in CONTROL])

    # Check sheets: one query, by state.
    states = dict(scoped(request, Assessment).values_list("state").annotate(n=Count("pk")).order_by())
    sheets = _bars(
        [
            (str(label), states.get(code, 0), reverse("checksheets:dashboard") + f"?state={code}")
            for code, label in State.choices
            if states.get(code, 0) or code in OPEN_STATES
        ]
    )

    # Open incidents: one query, by the nearest report deadline.
    buckets = {"overdue": 0, "3": 0, "30": 0, "later": 0}
    for prelim, final in (
        scoped(request, Incident).filter(state="open").values_list("preliminary_due", "final_due")
    ):
        dues = [d for d in (prelim, final) if d is not None]
        nearest = min(dues) if dues else None
        if nearest is None:
            buckets["later"] += 1
        elif nearest < today:
            buckets["overdue"] += 1
        elif nearest <= today + dt.timedelta(days=3):
            buckets["3"] += 1
        elif nearest <= today + dt.timedelta(days=30):
            buckets["30"] += 1
        else:
            buckets["later"] += 1
    incidents_list = reverse("incidents:list")
    incidents = _bars(
        [
            (_("Deadline passed"), buckets["overdue"], incidents_list),
            (_("Due within 3 days"), buckets["3"], incidents_list),
            (_("Due within 30 days"), buckets["30"], incidents_list),
            (_("Later or no report due"), buckets["later"], incidents_list),
        ]
    )
    return {
        "chart_blocks": [
            (_("Vendors by inherent risk"), tiers),
            (_("Vendors by control rating"), controls),
            (_("Check sheets by state"), sheets),
            (_("Open incidents by report deadline"), incidents),
        ]
    }
