"""A vendor's answers through every lens, and the ★ level required of it per entrustment."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from mamori.audits.next import SHOWN
from mamori.checksheets.models import Answer, Assessment
from mamori.core import standards
from mamori.standards.models import RequiredStar
from mamori.vendors.models import Entrustment, Vendor, VendorStatus

SCORED_STATES = ("submitted", "approved", "returned")


def latest_answers(vendor: Vendor) -> tuple[Assessment | None, dict[str, str]]:
    """The vendor's answers on its latest submitted check sheet (keys of the built-in sheets)."""
    assessment = (
        Assessment.objects.for_org(vendor.organization)
        .filter(vendor=vendor, state__in=SCORED_STATES)
        .order_by("-submitted_at", "-pk")
        .first()
    )
    if assessment is None:
        return None, {}
    answers = {
        a.question: a.value
        for a in Answer.objects.for_org(vendor.organization).filter(assessment=assessment)
        if isinstance(a.value, str)
    }
    return assessment, answers


def lens_report(vendor: Vendor) -> dict:
    assessment, answers = latest_answers(vendor)
    star = standards.star_level(answers) if answers else 0
    requirements = []
    for e in (
        Entrustment.objects.for_org(vendor.organization).filter(vendor=vendor).select_related("data_asset")
    ):
        required = RequiredStar.objects.for_org(vendor.organization).filter(entrustment=e).first()
        requirements.append(
            {
                "entrustment": e,
                "required": required.level if required else None,
                "short": bool(required and star < required.level),
            }
        )
    return {
        "assessment": assessment,
        "lenses": standards.score_all(answers) if answers else [],
        "star": star,
        "requirements": requirements,
    }


def shortfalls(org, vendor: Vendor | None = None) -> list[dict]:
    """Entrustments whose vendor's latest answers fall short of the ★ level we require of it (the
    vendor page's warning and the dashboard's to-do line). Vendors no longer in business with us are
    left out; each vendor's answers are read once."""
    required = (
        RequiredStar.objects.for_org(org)
        .exclude(entrustment__vendor__status=VendorStatus.ENDED)
        .select_related("entrustment__vendor", "entrustment__data_asset")
        .order_by("entrustment__vendor__name", "pk")
    )
    if vendor is not None:
        required = required.filter(entrustment__vendor=vendor)
    reached: dict[int, int] = {}
    out = []
    for r in required:
        v = r.entrustment.vendor
        if v.pk not in reached:
            _assessment, answers = latest_answers(v)
            reached[v.pk] = standards.star_level(answers) if answers else 0
        if reached[v.pk] < r.level:
            out.append(
                {"vendor": v, "entrustment": r.entrustment, "required": r.level, "reached": reached[v.pk]}
            )
    return out


def vendor_panel(request, vendor: Vendor) -> dict:
    """The ★ shortfall warning on the vendor's own page (registered as a panel)."""
    rows, seen = [], set()
    for s in shortfalls(request.org, vendor):  # one line per data set, purpose and level
        key = (s["entrustment"].data_asset_id, s["entrustment"].purpose, s["required"])
        if key not in seen:
            seen.add(key)
            rows.append(s)
    return {"star_shortfalls": rows}


def dashboard_card(request) -> dict:
    """The dashboard card under 「次にすること」: vendors whose answers fall short of the ★ level we
    require (shown only when there are some). A card of its own, because the to-do card is one query
    per line and the ★ level is computed from each vendor's latest answers."""
    items = shortfalls(request.org)
    return {
        "star_short_n": len(items),
        "star_short_rows": [
            (
                _("%(vendor)s (%(asset)s: ★%(required)s required)")
                % {
                    "vendor": i["vendor"].name,
                    "asset": i["entrustment"].data_asset.name,
                    "required": i["required"],
                },
                reverse("vendor_lenses", args=[i["vendor"].uuid]),
            )
            for i in items[:SHOWN]
        ],
    }
