"""The vendor's rating, computed from its latest scored check sheet (with the audits' findings and
the incidents): recomputed by submitting and reviewing here, and called by the other apps."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from mamori.checksheets.models import Assessment, State
from mamori.core.checksheets import scoring
from mamori.core.checksheets.structure import question_map
from mamori.vendors.models import Vendor


def latest_rated(vendor: Vendor) -> Assessment | None:
    return (
        Assessment.objects.filter(vendor=vendor, state__in=(State.SUBMITTED, State.APPROVED))
        .exclude(rating="")
        .order_by("-submitted_at")
        .first()
    )


def refresh_vendor_rating(vendor: Vendor) -> None:
    """Control score from the latest scored check sheet, lowered by open audit findings; with the
    inherent tier and recent incidents, the risk rating in words."""
    from mamori.audits.actions import control_penalty
    from mamori.incidents.models import Incident

    vendor.refresh_from_db(fields=["inherent_tier"])
    a = latest_rated(vendor)
    qmap = question_map(a.version.structure) if a else {}
    critical = [qmap[k]["text"] for k in (a.critical_failed if a else []) if k in qmap]
    penalty, findings = control_penalty(vendor)
    score = max(0.0, a.score - penalty) if a and a.score is not None else None
    rating = (scoring.rating_for(score, bool(critical)) or "") if a else ""
    incidents = Incident.objects.filter(
        vendor=vendor, aware_on__gte=timezone.localdate() - dt.timedelta(days=365)
    ).count()
    risk, words = scoring.risk_rating(
        vendor.inherent_tier, rating or None, critical, open_findings=findings, incidents=incidents
    )
    if penalty and score is not None:
        words += f"（未是正の指摘により管理状況のスコアを{penalty}点下げています）"
    Vendor.objects.filter(pk=vendor.pk).update(
        control_score=score, control_rating=rating, risk_rating=risk or "", risk_explanation=words[:500]
    )
